package akkachat.e2e;

import akkachat.support.ChatClient;
import akkachat.support.ServerPerTest;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

/** PROTOCOL.md section 2: talking. */
class ChatTest extends ServerPerTest {
  @Test
  void twoUserTranscript() {
    try (ChatClient alice = server.connect();
         ChatClient bob = server.connect()) {
      alice.expectLine("Welcome to akka-chat!");
      alice.expectPrompt();
      alice.send("alice");
      alice.expectLines("Welcome, alice",
          "*** Users online: alice",
          "*** alice just joined the chatroom");

      bob.expectLine("Welcome to akka-chat!");
      bob.expectPrompt();
      bob.send("bob");
      bob.expectLines("Welcome, bob",
          "*** Users online: alice, bob",
          "*** bob just joined the chatroom");
      alice.expectLine("*** bob just joined the chatroom");

      alice.send("hello this is dog");
      alice.expectLine("[alice] hello this is dog");
      bob.expectLine("[alice] hello this is dog");

      bob.send("/quit");
      bob.expectLine("*** Bye!");
      bob.expectClosed();
      alice.expectLine("*** bob has disconnected");
    }
  }

  @Test
  void sendsBlankAndWhiteSpaceLinesToNobody() {
    try (ChatClient alice = server.login("alice");
         ChatClient bob = server.login("bob")) {
      alice.expectLine("*** bob just joined the chatroom");
      alice.send("");
      alice.send("   ");
      alice.send("\t \t");
      alice.sendRaw("\r\n".getBytes(StandardCharsets.US_ASCII));
      alice.send("marker");
      alice.expectLine("[alice] marker");
      bob.expectLine("[alice] marker");
    }
  }

  @Test
  void keepsTheTextOfALineAsTyped() {
    try (ChatClient alice = server.login("alice");
         ChatClient bob = server.login("bob")) {
      alice.expectLine("*** bob just joined the chatroom");
      alice.send("two  spaces and ***  stars");
      alice.expectLine("[alice] two  spaces and ***  stars");
      bob.expectLine("[alice] two  spaces and ***  stars");
      bob.send("caf\u00e9 \u2615 \u65e5\u672c");
      alice.expectLine("[bob] caf\u00e9 \u2615 \u65e5\u672c");
      bob.expectLine("[bob] caf\u00e9 \u2615 \u65e5\u672c");
    }
  }

  @Test
  void doubleSlashSendsTheLineWithOneSlash() {
    try (ChatClient alice = server.login("alice");
         ChatClient bob = server.login("bob")) {
      alice.expectLine("*** bob just joined the chatroom");
      alice.send("//text");
      alice.expectLine("[alice] /text");
      bob.expectLine("[alice] /text");
      alice.send("//quit now");
      alice.expectLine("[alice] /quit now");
      bob.expectLine("[alice] /quit now");
      alice.send("// ");
      alice.expectLine("[alice] / ");
      bob.expectLine("[alice] / ");
    }
  }

  @Test
  void lineWithSlashInsideIsNotACommand() {
    try (ChatClient alice = server.login("alice");
         ChatClient bob = server.login("bob")) {
      alice.expectLine("*** bob just joined the chatroom");
      alice.send("a/quit and /help");
      alice.expectLine("[alice] a/quit and /help");
      bob.expectLine("[alice] a/quit and /help");
    }
  }
}
