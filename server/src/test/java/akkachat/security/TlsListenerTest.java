package akkachat.security;

import akkachat.support.ChatClient;
import akkachat.support.LogCapture;
import akkachat.support.TestKeys;
import akkachat.support.TestServer;
import akkachat.support.WsClient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * PROTOCOL.md section 7: the TLS listener speaks the same protocol to the same rooms, under the
 * same limits; what is not TLS on its port is dropped alone and quietly.
 */
class TlsListenerTest {
  @TempDir
  static Path dir;
  private static TestKeys keys;
  private static SSLContext trusting;

  @BeforeAll
  static void makeKeys() {
    keys = TestKeys.generate(dir, "chat-server");
    trusting = keys.clientContext();
  }

  /** With TLS on, the browser listener is HTTPS and its WebSocket WSS, same key store. */
  @Test
  void browsersChatOverWssWithTheSameKeyStore() {
    try (TestServer server = TestServer.start(keys.listenerHocon())) {
      int port = server.httpPort();
      WsClient alice = WsClient.connect(URI.create("wss://localhost:" + port + "/ws"),
          "https://localhost:" + port, trusting);
      alice.login("alice");
      ChatClient bob = server.connectTls(trusting);
      bob.expectLine("Welcome to akka-chat!");
      bob.expectPrompt();
      bob.send("bob");
      bob.expectLines("Welcome, bob", "*** Users online: alice, bob",
          "*** bob just joined the chatroom");
      alice.expectFrame("*** bob just joined the chatroom");
      alice.send("hello over wss");
      alice.expectFrame("[alice] hello over wss");
      bob.expectLine("[alice] hello over wss");
      alice.close();
    }
  }

  @Test
  void aWholeChatOverTlsWithAPlainUserInTheSameRoom() {
    try (LogCapture log = LogCapture.errors();
         TestServer server = TestServer.start(keys.listenerHocon())) {
      assertTrue(server.tlsPort > 0 && server.tlsPort != server.port);
      log.flush(server.system);
      assertTrue(log.messagesSoFar().stream().anyMatch(
              m -> m.endsWith("listening on 127.0.0.1:" + server.tlsPort + " (tls)")),
          String.join("\n", log.messagesSoFar()));

      ChatClient alice = server.connectTls(trusting);
      alice.expectLine("Welcome to akka-chat!");
      alice.expectPrompt();
      alice.send("alice");
      alice.expectLines("Welcome, alice",
          "*** Users online: alice",
          "*** alice just joined the chatroom");
      alice.send("hello over tls");
      alice.expectLine("[alice] hello over tls");

      ChatClient bob = server.login("bob"); // plain port, same room
      alice.expectLine("*** bob just joined the chatroom");
      bob.send("hi alice");
      alice.expectLine("[bob] hi alice");
      bob.expectLine("[bob] hi alice");

      alice.send("/quit");
      alice.expectLine("*** Bye!");
      alice.expectClosed();
      bob.expectLine("*** alice has disconnected");
      assertEquals(List.of(), log.errorsSoFar());
    }
  }

  @Test
  void plaintextOnTheTlsPortIsDroppedWhileATlsUserChatsOn() throws Exception {
    try (LogCapture log = LogCapture.errors();
         TestServer server = TestServer.start(keys.listenerHocon())) {
      ChatClient alice = server.connectTls(trusting);
      alice.login("alice");

      String plaintextGot = talkPlainTo(server.tlsPort, "bob\nhello\n");
      assertFalse(plaintextGot.contains("Welcome"), plaintextGot);

      // A client that does not trust the certificate fails its handshake.
      SSLContext trustsNothing = TestKeys.generate(dir, "stranger").clientContext();
      UncheckedIOException e = assertThrows(UncheckedIOException.class,
          () -> ChatClient.connectTls(server.tlsPort, trustsNothing));
      assertInstanceOf(SSLException.class, e.getCause());

      alice.send("still here");
      alice.expectLine("[alice] still here");
      try (ChatClient carol = server.connectTls(trusting)) {
        carol.login("carol");
        alice.expectLine("*** carol just joined the chatroom");
      }
      log.flush(server.system);
      assertEquals(List.of(), log.errorsSoFar());
      assertTrue(log.messagesSoFar().stream().noneMatch(m -> m.contains("bob")),
          "the plaintext line reached a session: " + log.messagesSoFar());
    }
  }

  @Test
  void plaintextOffLeavesOnlyTheTlsPort() throws IOException {
    int plainPort;
    try (ServerSocket probe = new ServerSocket(0)) {
      plainPort = probe.getLocalPort();
    }
    try (TestServer server = TestServer.start(keys.listenerHocon()
        + "akka-chat { port = " + plainPort + ", tls.plaintext = off }")) {
      assertEquals(server.tlsPort, server.port, "the server's address is its TLS port");
      UncheckedIOException refused =
          assertThrows(UncheckedIOException.class, () -> ChatClient.connect(plainPort));
      assertInstanceOf(ConnectException.class, refused.getCause());
      ChatClient alice = server.connectTls(trusting);
      alice.login("alice");
      alice.send("only tls");
      alice.expectLine("[alice] only tls");
    }
  }

  @Test
  void theConnectionLimitCountsBothPorts() {
    try (TestServer server = TestServer.start(keys.listenerHocon()
        + "akka-chat.max-connections = 2")) {
      ChatClient alice = server.connectTls(trusting);
      alice.login("alice");
      ChatClient bob = server.login("bob");
      alice.expectLine("*** bob just joined the chatroom");

      ChatClient overTls = server.connectTls(trusting);
      overTls.expectLine("*** error: server is full, try again later");
      overTls.expectClosed();
      ChatClient overPlain = server.connect();
      overPlain.expectLine("*** error: server is full, try again later");
      overPlain.expectClosed();

      bob.send("both still here");
      alice.expectLine("[bob] both still here");
      bob.expectLine("[bob] both still here");
    }
  }

  @Test
  void aClientThatNeverStartsItsHandshakeIsCutAndItsSlotFreed() throws IOException {
    try (TestServer server = TestServer.start(keys.listenerHocon()
        + "akka-chat { login-timeout = 1s, shutdown-grace = 1s, max-connections = 1 }")) {
      // Nothing sent: the login timeout ends the session, then the socket is cut.
      String got = talkPlainTo(server.tlsPort, "");
      assertFalse(got.contains("Welcome"), got);
      ChatClient alice = server.connectTls(trusting);
      alice.login("alice"); // the only slot is free again
    }
  }

  /**
   * Sends {@code text} in the clear to a TLS port and reads until the server closes the
   * connection; returns what came back (whatever TLS alert bytes, as text).
   */
  private static String talkPlainTo(int port, String text) throws IOException {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
      s.setSoTimeout((int) ChatClient.TIMEOUT.toMillis());
      s.getOutputStream().write(text.getBytes(StandardCharsets.US_ASCII));
      s.getOutputStream().flush();
      ByteArrayOutputStream got = new ByteArrayOutputStream();
      InputStream in = s.getInputStream();
      byte[] buffer = new byte[1024];
      try {
        for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
          got.write(buffer, 0, n);
        }
      } catch (SocketTimeoutException e) {
        fail("the server kept the plaintext connection open; got: " + got);
      } catch (SocketException e) {
        // reset: dropped all the same
      }
      return got.toString(StandardCharsets.ISO_8859_1);
    }
  }
}
