package akkachat.e2e;

import akkachat.support.ChatClient;
import akkachat.support.ServerPerTest;
import akkachat.support.TestServer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** PROTOCOL.md section 1: banner, prompt and choosing a name (timeouts: TimeoutsTest). */
class LoginTest extends ServerPerTest {
  private static final String INVALID =
      "*** error: invalid username (use 1-24 letters, digits, '_' or '-')";

  @Test
  void sendsBannerThenPromptWithoutLineBreak() {
    try (ChatClient c = server.connect()) {
      c.expectExact("Welcome to akka-chat!\nPlease enter your username: ");
      c.expectNothing(Duration.ofMillis(300)); // no line break after the prompt
      c.send("alice");
      c.expectLines("Welcome, alice",
          "*** Users online: alice",
          "*** alice just joined the chatroom");
    }
  }

  @Test
  void sendsEveryBannerLineFromConfig() {
    try (TestServer custom = TestServer.start("akka-chat.banner = [\"Hello\", \"  second line\"]");
         ChatClient c = custom.connect()) {
      c.expectExact("Hello\n  second line\nPlease enter your username: ");
    }
  }

  @Test
  void listsUsersSortedCaseInsensitivelyWithTheNewcomer() {
    try (ChatClient bob = server.login("Bob");
         ChatClient carol = server.login("carol")) {
      bob.expectLine("*** carol just joined the chatroom");
      try (ChatClient alice = server.connect()) {
        alice.expectLine("Welcome to akka-chat!");
        alice.expectPrompt();
        alice.send("alice");
        alice.expectLines("Welcome, alice",
            "*** Users online: alice, Bob, carol",
            "*** alice just joined the chatroom");
        // The others see only the join line: the next thing they get is alice's marker.
        alice.send("marker");
        alice.expectLine("[alice] marker");
        for (ChatClient other : new ChatClient[] {bob, carol}) {
          other.expectLines("*** alice just joined the chatroom", "[alice] marker");
        }
      }
    }
  }

  @Test
  void rejectsInvalidNamesWithErrorThenPromptAgain() {
    try (ChatClient c = server.connect()) {
      c.expectLine("Welcome to akka-chat!");
      c.expectPrompt();
      String[] invalid = {
          "",
          "a".repeat(25),
          "al ice",
          "alice!",
          "a.b",
          "al@ice",
          "ålice",
          "用户",
      };
      for (String name : invalid) {
        c.send(name);
        assertEquals(INVALID, c.readLine(), "for name '" + name + "'");
        c.expectPrompt();
      }
      c.send("alice");
      c.expectLines("Welcome, alice",
          "*** Users online: alice",
          "*** alice just joined the chatroom");
    }
  }

  @Test
  void acceptsTwentyFourCharactersOfEveryAllowedKind() {
    String name = "Ab_9-xyzABCDEFGHIJKLMNOP";
    assertEquals(24, name.length());
    try (ChatClient c = server.connect()) {
      c.expectLine("Welcome to akka-chat!");
      c.expectPrompt();
      c.send(name);
      c.expectLines("Welcome, " + name,
          "*** Users online: " + name,
          "*** " + name + " just joined the chatroom");
    }
  }

  @Test
  void rejectsNameTakenInAnotherLetterCaseAsTyped() {
    try (ChatClient alice = server.login("alice");
         ChatClient c = server.connect()) {
      c.expectLine("Welcome to akka-chat!");
      c.expectPrompt();
      c.send("ALICE");
      c.expectLine("*** error: username ALICE is already taken");
      c.expectPrompt();
      c.send("alice");
      c.expectLine("*** error: username alice is already taken");
      c.expectPrompt();
      c.send("alice2");
      c.expectLines("Welcome, alice2",
          "*** Users online: alice, alice2",
          "*** alice2 just joined the chatroom");
      alice.expectLine("*** alice2 just joined the chatroom");
    }
  }

  @Test
  void keepsTheSpellingTheUserTyped() {
    try (ChatClient c = server.connect()) {
      c.expectLine("Welcome to akka-chat!");
      c.expectPrompt();
      c.send("MiXeD_Case");
      c.expectLines("Welcome, MiXeD_Case",
          "*** Users online: MiXeD_Case",
          "*** MiXeD_Case just joined the chatroom");
      c.send("hi");
      c.expectLine("[MiXeD_Case] hi");
    }
  }

  @Test
  void acceptsCrlfLineBreakAfterTheName() {
    try (ChatClient c = server.connect()) {
      c.expectLine("Welcome to akka-chat!");
      c.expectPrompt();
      c.sendRaw("alice\r\n".getBytes(StandardCharsets.US_ASCII));
      c.expectLines("Welcome, alice",
          "*** Users online: alice",
          "*** alice just joined the chatroom");
    }
  }
}
