package akkachat.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.ActorRef;
import akka.actor.CoordinatedShutdown;
import akka.actor.typed.javadsl.Adapter;
import akkachat.protocol.Lines;
import akkachat.support.ChatClient;
import akkachat.support.LogCapture;
import akkachat.support.TestServer;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A listener whose stream of connections ends while the node runs (its actor died) would leave
 * the node up but shut to newcomers: the node says so in one line and shuts down, telling its
 * users, with a reason that makes it exit with status 1. At an ordinary shutdown the listeners'
 * ends are expected and say nothing.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ListenerLostTest {

  @Test
  void aListenerLostWhileRunningShutsTheNodeDownAndSaysWhy() throws Exception {
    try (LogCapture log = LogCapture.errors();
         TestServer server = TestServer.start()) {
      ChatClient alice = server.login("alice");
      ActorRef chatServer = server.system.classicSystem().actorSelection("/user/server")
          .resolveOne(Duration.ofSeconds(10)).toCompletableFuture().get(20, TimeUnit.SECONDS);
      Adapter.toTyped(chatServer).tell(new ChatServer.AcceptEnded(Listener.PLAIN,
          new IOException("the listener died")));

      alice.expectLine(Lines.SHUTTING_DOWN);
      alice.expectClosed();
      server.system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
      assertEquals(ListenerLost.INSTANCE,
          CoordinatedShutdown.get(server.system).getShutdownReason().orElseThrow());
      // ChatServer logs through SLF4J at once, before the shutdown it starts.
      assertEquals(List.of("akkachat.server.ChatServer: stopped accepting connections on"
          + " 127.0.0.1:" + server.settings.port() + ": the listener died"), log.errorsSoFar());
    }
  }

  @Test
  void anOrdinaryShutdownEndsTheListenersQuietly() {
    try (LogCapture log = LogCapture.errors();
         TestServer server = TestServer.start()) {
      ChatClient alice = server.login("alice");
      server.shutdownGracefully(); // returns once the node has stopped, its listeners ended
      alice.expectLine(Lines.SHUTTING_DOWN);
      assertTrue(log.errorsSoFar().stream().noneMatch(e -> e.contains("stopped accepting")),
          log.errorsSoFar().toString());
    }
  }
}
