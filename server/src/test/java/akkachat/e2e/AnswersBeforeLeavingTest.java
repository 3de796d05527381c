package akkachat.e2e;

import akkachat.support.ChatClient;
import akkachat.support.ServerPerTest;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * What `printf '...' | nc -N` sends: a command with more lines, /quit or end of input right
 * behind it, in one write. Its answers come first, in full, then what the later lines ask for
 * (PROTOCOL.md sections 3 and 4). Each race is run several times:
 * before the fix each failed in about half of the runs or more.
 */
class AnswersBeforeLeavingTest extends ServerPerTest {
  private static final int RUNS = 8;
  private static final Duration QUIET = Duration.ofMillis(300);

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void aLineRightAfterAJoinReachesTheNewRoomAfterTheJoinNotice() {
    ChatClient watcher = server.login("watcher");
    ChatClient alice = server.login("alice");
    watcher.expectLine("*** alice just joined the chatroom");
    for (int i = 0; i < RUNS; i++) {
      String room = "r" + i;
      watcher.send("/join " + room);
      watcher.readUntil("*** watcher just joined the chatroom");
      alice.expectLine("*** watcher left the chatroom");
      alice.sendRaw(bytes("/join " + room + "\nhi " + i + "\n"));
      alice.expectLines("*** Now chatting in room " + room,
          "*** Users online: alice, watcher",
          "*** alice just joined the chatroom",
          "[alice] hi " + i);
      watcher.expectLines("*** alice just joined the chatroom", "[alice] hi " + i);
    }
  }

  @Test
  void whoRightAfterAJoinIsAnsweredAfterTheJoinNotice() {
    ChatClient alice = server.login("alice");
    for (int i = 0; i < RUNS; i++) {
      alice.sendRaw(bytes("/join w" + i + "\n/who\n"));
      alice.expectLines("*** Now chatting in room w" + i,
          "*** Users online: alice",
          "*** alice just joined the chatroom",
          "*** Users online: alice");
    }
  }

  @Test
  void endOfInputRightAfterAJoinMovesFirstAndGivesOneNoticeInTheNewRoom() {
    ChatClient carol = server.login("carol");
    carol.send("/join dev");
    carol.readUntil("*** carol just joined the chatroom");
    ChatClient alice = server.login("alice");
    for (int i = 0; i < RUNS; i++) {
      String name = "bob" + i;
      ChatClient bob = server.login(name);
      alice.expectLine("*** " + name + " just joined the chatroom");
      bob.sendRaw(bytes("/join dev\n"));
      bob.shutdownOutput();
      bob.expectLines("*** Now chatting in room dev",
          "*** Users online: " + name + ", carol",
          "*** " + name + " just joined the chatroom");
      bob.expectClosed();
      carol.expectLines("*** " + name + " just joined the chatroom",
          "*** " + name + " has disconnected");
      alice.expectLine("*** " + name + " left the chatroom");
    }
    alice.expectNothing(QUIET);
    carol.expectNothing(QUIET);
  }

  @Test
  void roomsRightBeforeQuitOrEndOfInputIsStillAnswered() {
    ChatClient watcher = server.login("watcher"); // sees each one leave before the next comes
    for (int i = 0; i < RUNS; i++) {
      ChatClient quitter = server.login("quitter" + i);
      watcher.expectLine("*** quitter" + i + " just joined the chatroom");
      quitter.sendRaw(bytes("/rooms\n/quit\n"));
      quitter.expectLines("*** Rooms: lobby (2)", "*** Bye!");
      quitter.expectClosed();
      watcher.expectLine("*** quitter" + i + " has disconnected");

      ChatClient ender = server.login("ender" + i);
      watcher.expectLine("*** ender" + i + " just joined the chatroom");
      ender.sendRaw(bytes("/rooms\n"));
      ender.shutdownOutput();
      ender.expectLine("*** Rooms: lobby (2)");
      ender.expectClosed();
      watcher.expectLine("*** ender" + i + " has disconnected");
    }
  }

  @Test
  void roomsIsAnsweredBeforeTheLineAfterIt() {
    ChatClient alice = server.login("alice");
    for (int i = 0; i < RUNS; i++) {
      alice.sendRaw(bytes("/rooms\nline " + i + "\n"));
      alice.expectLines("*** Rooms: lobby (1)", "[alice] line " + i);
    }
  }

  @Test
  void endOfInputRightAfterTheNameStillShowsTheWelcomeAndTheJoinNotice() {
    ChatClient alice = server.login("alice");
    for (int i = 0; i < RUNS; i++) {
      String name = "dave" + i;
      ChatClient dave = server.connect();
      dave.expectLine("Welcome to akka-chat!");
      dave.expectPrompt();
      dave.sendRaw(bytes(name + "\n"));
      dave.shutdownOutput();
      dave.expectLines("Welcome, " + name,
          "*** Users online: alice, " + name,
          "*** " + name + " just joined the chatroom");
      dave.expectClosed();
      alice.expectLines("*** " + name + " just joined the chatroom",
          "*** " + name + " has disconnected");
    }
  }

  @Test
  void quitRightAfterTheNameShowsTheJoinNoticeBeforeTheBye() {
    ChatClient alice = server.login("alice"); // sees each one leave before the next comes
    for (int i = 0; i < RUNS; i++) {
      String name = "erin" + i;
      ChatClient erin = server.connect();
      erin.expectLine("Welcome to akka-chat!");
      erin.expectPrompt();
      erin.sendRaw(bytes(name + "\n/quit\n"));
      erin.expectLines("Welcome, " + name,
          "*** Users online: alice, " + name,
          "*** " + name + " just joined the chatroom",
          "*** Bye!");
      erin.expectClosed();
      alice.expectLines("*** " + name + " just joined the chatroom",
          "*** " + name + " has disconnected");
    }
  }

  @Test
  void aTakenNameRightBeforeEndOfInputGetsItsErrorAndThePromptThenTheClose() {
    server.login("frank");
    ChatClient other = server.connect();
    other.expectLine("Welcome to akka-chat!");
    other.expectPrompt();
    other.sendRaw(bytes("FRANK\n"));
    other.shutdownOutput();
    other.expectLine("*** error: username FRANK is already taken");
    other.expectPrompt(); // the prompt again, as after any refused name, then the close
    other.expectClosed();
  }

  @Test
  void endOfInputRightAfterANickShowsTheRenameThenLeavesUnderTheNewName() {
    ChatClient alice = server.login("alice");
    for (int i = 0; i < RUNS; i++) {
      String name = "bob" + i;
      ChatClient bob = server.login(name);
      alice.expectLine("*** " + name + " just joined the chatroom");
      bob.sendRaw(bytes("/nick robert" + i + "\n"));
      bob.shutdownOutput();
      bob.expectLine("*** " + name + " is now known as robert" + i);
      bob.expectClosed();
      alice.expectLines("*** " + name + " is now known as robert" + i,
          "*** robert" + i + " has disconnected");
    }
  }

  @Test
  void quitRightAfterANickShowsTheRenameBeforeTheBye() {
    ChatClient alice = server.login("alice");
    for (int i = 0; i < RUNS; i++) {
      String name = "cy" + i;
      ChatClient cy = server.login(name);
      alice.expectLine("*** " + name + " just joined the chatroom");
      cy.sendRaw(bytes("/nick cyrus" + i + "\n/quit\n"));
      cy.expectLines("*** " + name + " is now known as cyrus" + i, "*** Bye!");
      cy.expectClosed();
      alice.expectLines("*** " + name + " is now known as cyrus" + i,
          "*** cyrus" + i + " has disconnected");
    }
  }
}
