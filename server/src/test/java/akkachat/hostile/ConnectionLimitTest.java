package akkachat.hostile;

import akkachat.support.ChatClient;
import akkachat.support.TestServer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static akkachat.hostile.Limits.BANNER;
import static akkachat.hostile.Limits.connectWhenFree;
import static akkachat.hostile.Limits.expectRefused;
import static akkachat.hostile.Limits.from;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * PROTOCOL.md sections 4 and 6: a connection over {@code max-connections} or
 * {@code max-connections-per-ip} gets one line instead of the banner and is closed; those already
 * connected notice nothing, and a slot that is freed can be used again.
 */
class ConnectionLimitTest {
  private static final Duration QUIET = Duration.ofMillis(300);

  @Test
  void connectionOverMaxConnectionsIsRefusedAndTheOthersNoticeNothing() {
    try (TestServer server = TestServer.start("akka-chat.max-connections = 3")) {
      List<ChatClient> pair = server.loginAll("alice", "bob");
      ChatClient pending = server.connect(); // not logged in yet, but it holds a slot
      pending.expectLine(BANNER);
      pending.expectPrompt();

      expectRefused(server.connect());
      expectRefused(server.connect(from("127.0.0.2")));

      for (ChatClient member : pair) {
        member.expectNothing(QUIET);
      }
      pair.get(0).send("still here");
      pair.forEach(m -> m.expectLine("[alice] still here"));
      pending.send("carol");
      pending.expectLine("Welcome, carol");
      pending.expectLine("*** Users online: alice, bob, carol");
      pending.expectLine("*** carol just joined the chatroom");
      pair.forEach(m -> m.expectLine("*** carol just joined the chatroom"));

      ChatClient bob = pair.get(1);
      bob.send("/quit");
      bob.expectLine("*** Bye!");
      bob.expectClosed();
      bob.close();
      pair.get(0).expectLine("*** bob has disconnected");
      pending.expectLine("*** bob has disconnected");

      ChatClient dave = connectWhenFree(server, s -> { });
      dave.expectPrompt();
      dave.send("dave");
      dave.expectLine("Welcome, dave");
      expectRefused(server.connect()); // full again
      pair.get(0).expectLine("*** dave just joined the chatroom");
      pair.get(0).expectNothing(QUIET);
    }
  }

  @Test
  void connectionOverMaxConnectionsPerIpIsRefusedWhileOtherAddressesGetIn() {
    try (TestServer server = TestServer.start(
        "akka-chat { max-connections = 100, max-connections-per-ip = 2 }")) {
      List<ChatClient> local = server.loginAll("alice", "bob"); // both from 127.0.0.1
      expectRefused(server.connect());

      ChatClient carol = server.connect(from("127.0.0.2"));
      carol.login("carol");
      ChatClient dave = server.connect(from("127.0.0.2"));
      dave.login("dave");
      expectRefused(server.connect(from("127.0.0.2")));
      ChatClient erin = server.connect(from("127.0.0.3"));
      erin.login("erin");
      for (ChatClient member : local) {
        member.expectLines("*** carol just joined the chatroom",
            "*** dave just joined the chatroom", "*** erin just joined the chatroom");
        member.expectNothing(QUIET);
      }

      ChatClient alice = local.get(0);
      alice.shutdownOutput(); // end of input, as nc -N does
      alice.expectClosed();
      alice.close();
      local.get(1).expectLine("*** alice has disconnected");
      ChatClient again = connectWhenFree(server, s -> { });
      again.expectPrompt();
      again.send("alice");
      again.expectLine("Welcome, alice");
      expectRefused(server.connect());
    }
  }

  /**
   * A connection's place under {@code max-connections-per-ip} is free by the time its client has
   * seen it close: a client that connects again at once, right after {@code *** Bye!} and end of
   * stream, is let in every time (not only once the server has noticed the socket is gone).
   */
  @Test
  void reconnectingRightAfterQuitIsNeverRefused() {
    int cycles = 30;
    try (TestServer server = TestServer.start("akka-chat.max-connections-per-ip = 2")) {
      server.login("alice"); // holds the other place all along
      ChatClient user = server.login("user0");
      List<Integer> refused = new ArrayList<>();
      for (int i = 1; i <= cycles; i++) {
        user.send("/quit");
        // The last user's departure may reach the room after this one came in: its notice first.
        List<String> before = user.readUntil("*** Bye!");
        assertTrue(before.stream().allMatch(
            l -> l.matches("\\*\\*\\* user\\d+ has disconnected")), "before the Bye: " + before);
        user.expectClosed();
        ChatClient old = user;
        user = server.connect(); // at once: before this client has closed its old socket
        old.close();
        String first = user.readLine();
        if (!first.equals(BANNER)) {
          assertEquals(Limits.FULL, first);
          refused.add(i);
          user.expectClosed();
          user.close();
          user = connectWhenFree(server, s -> { });
        }
        user.expectPrompt();
        user.send("user" + i);
        user.expectLine("Welcome, user" + i);
        user.readUntil("*** user" + i + " just joined the chatroom");
      }
      assertEquals(List.of(), refused, "cycles (of " + cycles + ") in which the reconnect was"
          + " refused as full");
      expectRefused(server.connect()); // each close freed one place, once: still two in use
    }
  }

  /**
   * A closed connection frees its slot without a thread of its own. The JDK's default executor
   * starts a thread per task when the common pool has fewer than two threads, as on a 2-core
   * machine (the pom sets the tests' common pool to one thread, so this fails anywhere).
   */
  @Test
  void closingConnectionsStartsNoThreads() {
    int closed = 60;
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    try (TestServer server = TestServer.start("akka-chat.max-connections = 1")) {
      connectWhenFree(server, s -> { }).close(); // the server's threads are up
      long before = threads.getTotalStartedThreadCount();
      for (int i = 0; i < closed; i++) {
        // Only one at a time gets in: each connect proves the last close was handled.
        ChatClient client = connectWhenFree(server, s -> { });
        client.expectPrompt();
        client.close();
      }
      long started = threads.getTotalStartedThreadCount() - before;
      assertTrue(started < closed / 2,
          started + " threads started while " + closed + " connections closed");
    }
  }

  @Test
  void acceptedConnectionsHaveKeepAliveOn() throws IOException {
    Path table = Path.of("/proc/net/tcp6");
    assumeTrue(Files.isReadable(table) && Files.isReadable(Path.of("/proc/net/tcp")),
        "needs Linux /proc/net/tcp to see a socket's keep-alive timer");
    try (TestServer server = TestServer.start();
         Socket control = new Socket()) {
      ChatClient alice = server.login("alice");
      control.setKeepAlive(true);
      control.connect(new InetSocketAddress("127.0.0.1", server.port));
      int alicePort = alice.socket().getLocalPort();
      // The timer column shows 2 while the keep-alive timer is armed, 0 with no timer at all.
      assumeTrue(timer(alicePort, server.port) == 0
              && timer(control.getLocalPort(), server.port) == 2,
          "the keep-alive timer is not visible in /proc/net/tcp here");
      assertEquals(2, timer(server.port, alicePort),
          "the server's end of a client connection has no keep-alive timer");
    }
  }

  /**
   * The "tr" column of the connection from {@code localPort} to {@code remotePort}, read until
   * no retransmission timer (1) hides the others (data not yet acknowledged).
   */
  private static int timer(int localPort, int remotePort) throws IOException {
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (true) {
      List<String> rows = new ArrayList<>(Files.readAllLines(Path.of("/proc/net/tcp")));
      rows.addAll(Files.readAllLines(Path.of("/proc/net/tcp6")));
      String local = String.format(Locale.ROOT, ":%04X", localPort);
      String remote = String.format(Locale.ROOT, ":%04X", remotePort);
      Integer found = null;
      for (String row : rows) {
        String[] f = row.trim().split("\\s+");
        if (f.length > 5 && f[1].endsWith(local) && f[2].endsWith(remote) && f[3].equals("01")) {
          found = Integer.parseInt(f[5].substring(0, f[5].indexOf(':')), 16);
        }
      }
      assertTrue(found != null, "no established connection " + localPort + " -> " + remotePort);
      if (found != 1 || System.nanoTime() > deadline) {
        return found;
      }
    }
  }
}
