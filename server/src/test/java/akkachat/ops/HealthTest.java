package akkachat.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;

import akka.actor.CoordinatedShutdown;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Adapter;
import akka.management.javadsl.AkkaManagement;
import akkachat.Guardian;
import akkachat.config.ChatConfig;
import akkachat.config.ChatSettings;
import akkachat.protocol.Lines;
import akkachat.support.ChatClient;
import akkachat.support.ManagementClient;
import akkachat.support.TestServer;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code GET /alive} and {@code GET /ready} over real HTTP: a node is alive as soon as its
 * management port answers, ready only once it is Up in its cluster and listening, and not ready
 * from the moment shutdown begins, before its users are told.
 */
class HealthTest {
  private static final Duration WITHIN = Duration.ofSeconds(30);
  private static final String SYSTEM = "health-cluster";

  /**
   * A node whose seed node is not there yet cannot be Up: alive but not ready. Once the seed
   * starts, it joins, opens its chat port and becomes ready.
   */
  @Test
  @Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void readyOnlyOnceUpInTheClusterAndListening() throws Exception {
    int seedPort = freePort();
    String seeds = "akka-chat.cluster.seeds = \"127.0.0.1:" + seedPort + "\"\n";
    Config config = ChatConfig.load(ConfigFactory.parseString(
        "akka-chat { host = \"127.0.0.1\", port = 0, cluster.port = 0, management.port = 0 }\n"
            + "akka.coordinated-shutdown.run-by-jvm-shutdown-hook = off\n" + seeds));
    ActorSystem<Guardian.Command> joining =
        ActorSystem.create(Guardian.create(ChatSettings.fromConfig(config)), SYSTEM, config);
    try {
      ManagementClient management = new ManagementClient(URI.create(
          AkkaManagement.get(Adapter.toClassic(joining)).start().toCompletableFuture()
              .get(30, TimeUnit.SECONDS).toString()));
      management.awaitStatus("/alive", 200, WITHIN);
      // Its only seed does not exist yet, so it cannot have joined a cluster.
      assertEquals(500, management.status("/ready"));

      try (TestServer seed = TestServer.start(SYSTEM,
          "akka-chat.cluster.port = " + seedPort + "\n" + seeds, WITHIN)) {
        management.awaitStatus("/ready", 200, WITHIN);
        assertEquals(200, new ManagementClient(seed.managementUri()).status("/ready"));
      }
    } finally {
      joining.terminate();
      joining.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  /**
   * Once shutdown begins the node is not ready at once, and goes on serving for
   * {@code shutdown-drain} before its users are told it is going: a load balancer that polls
   * readiness stops sending users there first.
   */
  @Test
  @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void notReadyFromTheMomentShutdownBeginsBeforeTheUsersAreTold() throws IOException {
    try (TestServer server = TestServer.start("akka-chat.shutdown-drain = 2s")) {
      ManagementClient management = new ManagementClient(server.managementUri());
      ChatClient alice = server.login("alice");
      assertEquals(200, management.status("/ready"));

      CoordinatedShutdown.get(server.system).runAll(CoordinatedShutdown.unknownReason());
      management.awaitStatus("/ready", 500, WITHIN);
      // All alice was sent so far was read by login(): nothing waits for her yet.
      assertEquals(0, alice.socket().getInputStream().available(),
          "alice was told before the node stopped being ready");
      alice.send("still here");
      alice.expectLine("[alice] still here");
      alice.expectLine(Lines.SHUTTING_DOWN);
      alice.expectClosed();
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
