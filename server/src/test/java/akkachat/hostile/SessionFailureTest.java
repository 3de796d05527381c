package akkachat.hostile;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import akka.cluster.typed.Cluster;
import akka.cluster.typed.Join;
import akkachat.cluster.RoomRegistry;
import akkachat.cluster.ShardedRooms;
import akkachat.config.ChatConfig;
import akkachat.config.ChatSettings;
import akkachat.protocol.Lines;
import akkachat.room.ChatRoom;
import akkachat.room.RoomDirectory;
import akkachat.server.ChatServer;
import akkachat.session.Fanout;
import akkachat.support.ChatClient;
import akkachat.support.LogCapture;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An exception while one client's line is handled ends that session alone, with the reason in
 * the log; the room and every other session carry on. The node (a one-node cluster with sharded
 * rooms) is built here around a room directory that fails on purpose, so nothing under test is
 * mocked.
 */
class SessionFailureTest {
  private static final Config CONFIG = ChatConfig.load(ConfigFactory.parseString(
      "akka-chat { host = \"127.0.0.1\", port = 0, cluster.port = 0, cluster.seeds = \"\",\n"
          + " management.port = 0, http.port = 0 }\n"
          // leaving even a one-node cluster runs several shutdown phases; give a loaded machine time
          + "akka.actor.testkit.typed.system-shutdown-default = 30s"));
  private static final ActorTestKit testKit = ActorTestKit.create("SessionFailureTest", CONFIG);
  private static final ChatSettings settings = ChatSettings.fromConfig(CONFIG);
  private static final RoomDirectory rooms = ShardedRooms.init(testKit.system(), settings,
      testKit.spawn(RoomRegistry.create(), "registry"));
  private static final ActorRef<Fanout.Command> fanout =
      testKit.spawn(Fanout.create(rooms, new Lines("\n")), "fanout");

  static {
    Cluster cluster = Cluster.get(testKit.system());
    cluster.manager().tell(new Join(cluster.selfMember().address()));
  }
  private static final String BOOM = "injected failure of the room directory";
  private static final Duration QUIET = Duration.ofMillis(300);

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  /** The real directory, except that /rooms and the room "trap" throw in the session. */
  private static RoomDirectory faulty(RoomDirectory real) {
    return new RoomDirectory() {
      @Override
      public void tell(String room, ChatRoom.Command command) {
        if (room.equals("trap")) {
          throw new IllegalStateException(BOOM);
        }
        real.tell(room, command);
      }

      @Override
      public void listRooms(ActorRef<RoomList> replyTo) {
        throw new IllegalStateException(BOOM);
      }
    };
  }

  @ParameterizedTest
  @ValueSource(strings = {"/rooms", "/join trap"})
  void failureWhileHandlingALineEndsThatSessionAlone(String fatalLine) {
    ActorRef<ChatServer.Command> server =
        testKit.spawn(ChatServer.create(settings, faulty(rooms), fanout));
    TestProbe<InetSocketAddress> address = testKit.createTestProbe();
    server.tell(new ChatServer.GetAddress(address.getRef()));
    int port = address.receiveMessage(Duration.ofSeconds(10)).getPort();

    try (LogCapture log = LogCapture.errors();
         ChatClient alice = ChatClient.connect(port);
         ChatClient bob = ChatClient.connect(port);
         ChatClient carol = ChatClient.connect(port)) {
      alice.login("alice");
      bob.login("bob");
      alice.expectLine("*** bob just joined the chatroom");
      alice.send("hello");
      alice.expectLine("[alice] hello");
      bob.expectLine("[alice] hello");

      alice.send(fatalLine);
      bob.expectLine("*** alice has disconnected");
      // Her connection is closed, not left open with nobody behind it.
      alice.expectClosed();

      carol.login("carol");
      bob.expectLine("*** carol just joined the chatroom");
      carol.send("hi bob");
      bob.expectLine("[carol] hi bob");
      carol.expectLine("[carol] hi bob");
      bob.send("/who");
      bob.expectLine("*** Users online: bob, carol");
      bob.expectNothing(QUIET); // one line about alice leaving, not two
      carol.expectNothing(QUIET);

      // The name is free again at once.
      try (ChatClient again = ChatClient.connect(port)) {
        again.login("alice");
        bob.expectLine("*** alice just joined the chatroom");
      }

      log.flush(testKit.system());
      List<String> errors = log.errorsSoFar();
      assertTrue(errors.stream().anyMatch(e -> e.contains(BOOM)),
          "the failure is not in the log; errors logged: " + errors);
    }
  }
}
