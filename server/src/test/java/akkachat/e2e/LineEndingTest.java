package akkachat.e2e;

import akkachat.support.ChatClient;
import akkachat.support.TestServer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * PROTOCOL.md notation: {@code line-ending = crlf} ends every server line with CRLF; the prompt
 * still has no line break. Checked on the raw bytes.
 */
class LineEndingTest {

  @Test
  void crlfEndsEveryLineWithCrLf() {
    try (TestServer server = TestServer.start("akka-chat.line-ending = crlf")) {
      ChatClient alice = server.connect();
      alice.expectExact("Welcome to akka-chat!\r\nPlease enter your username: ");
      alice.send("bad name");
      alice.expectExact("*** error: invalid username (use 1-24 letters, digits, '_' or '-')\r\n"
          + "Please enter your username: ");
      alice.send("alice");
      alice.expectExact("Welcome, alice\r\n"
          + "*** Users online: alice\r\n"
          + "*** alice just joined the chatroom\r\n");

      ChatClient bob = server.connect();
      bob.expectExact("Welcome to akka-chat!\r\nPlease enter your username: ");
      bob.sendRaw("bob\r\n".getBytes(StandardCharsets.US_ASCII));
      bob.expectExact("Welcome, bob\r\n"
          + "*** Users online: alice, bob\r\n"
          + "*** bob just joined the chatroom\r\n");
      alice.expectExact("*** bob just joined the chatroom\r\n");

      alice.send("hello");
      alice.expectExact("[alice] hello\r\n");
      bob.expectExact("[alice] hello\r\n");
      alice.send("/me waves");
      bob.expectExact("* alice waves\r\n");
      alice.expectExact("* alice waves\r\n");
      alice.send("/msg bob psst");
      alice.expectExact("[alice -> bob] psst\r\n");
      bob.expectExact("[alice -> bob] psst\r\n");
      alice.send("/who");
      alice.expectExact("*** Users online: alice, bob\r\n");
      alice.send("/rooms");
      alice.expectExact("*** Rooms: lobby (2)\r\n");
      alice.send("/foo");
      alice.expectExact("*** error: unknown command /foo (try /help)\r\n");
      alice.send("/help");
      alice.send("end");
      for (String line : alice.readUntil("[alice] end\r")) {
        assertEquals(line.length() - 1, line.indexOf('\r'), "help line not ending in CRLF: " + line);
      }
      bob.expectExact("[alice] end\r\n");
      alice.send("/join dev");
      alice.expectExact("*** Now chatting in room dev\r\n"
          + "*** Users online: alice\r\n"
          + "*** alice just joined the chatroom\r\n");
      bob.expectExact("*** alice left the chatroom\r\n");
      alice.send("/join lobby");
      alice.expectExact("*** Now chatting in room lobby\r\n"
          + "*** Users online: alice, bob\r\n"
          + "*** alice just joined the chatroom\r\n");
      bob.expectExact("*** alice just joined the chatroom\r\n");
      alice.send("/nick alicia");
      alice.expectExact("*** alice is now known as alicia\r\n");
      bob.expectExact("*** alice is now known as alicia\r\n");

      bob.send("/quit");
      bob.expectExact("*** Bye!\r\n");
      bob.expectClosed();
      alice.expectExact("*** bob has disconnected\r\n");
    }
  }

  @Test
  void crlfAppliesToTimeoutAndShutdownLines() {
    try (TestServer server = TestServer.start(
        "akka-chat { line-ending = crlf, login-timeout = 1s }")) {
      ChatClient late = server.connect();
      late.expectExact("Welcome to akka-chat!\r\nPlease enter your username: ");
      late.expectExact("*** disconnected: no username within 1 second\r\n");
      late.expectClosed();

      ChatClient alice = server.connect();
      alice.expectExact("Welcome to akka-chat!\r\nPlease enter your username: ");
      alice.send("alice");
      alice.expectExact("Welcome, alice\r\n"
          + "*** Users online: alice\r\n"
          + "*** alice just joined the chatroom\r\n");
      server.shutdownGracefully();
      alice.expectExact("*** server is shutting down\r\n");
      alice.expectClosed();
    }
  }
}
