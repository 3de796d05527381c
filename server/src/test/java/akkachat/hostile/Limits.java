package akkachat.hostile;

import akkachat.support.ChatClient;
import akkachat.support.TestServer;

import java.net.InetSocketAddress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/** Connection limits as a client meets them. */
final class Limits {
  static final String FULL = "*** error: server is full, try again later";
  static final String BANNER = "Welcome to akka-chat!";

  private Limits() {}

  /** A socket bound to a loopback source address: Linux routes all of 127.0.0.0/8 to lo. */
  static ChatClient.SocketSetup from(String address) {
    return s -> s.bind(new InetSocketAddress(address, 0));
  }

  /** The connection gets exactly the server-full line, then end of stream. */
  static void expectRefused(ChatClient client) {
    client.expectLine(FULL);
    client.expectClosed();
  }

  /**
   * Connects until a slot is free: the server frees one once a closed connection's stream has
   * ended, a moment after the client saw it close. Returns a client that has read the banner.
   */
  static ChatClient connectWhenFree(TestServer server, ChatClient.SocketSetup setup) {
    long deadline = System.nanoTime() + ChatClient.TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      ChatClient client = server.connect(setup);
      String first = client.readLine();
      if (first.equals(BANNER)) {
        return client;
      }
      assertEquals(FULL, first);
      client.expectClosed();
      client.close();
    }
    fail("no connection was accepted again within " + ChatClient.TIMEOUT);
    return null;
  }
}
