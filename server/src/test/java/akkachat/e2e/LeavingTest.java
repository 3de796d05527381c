package akkachat.e2e;

import akkachat.support.ChatClient;
import akkachat.support.ServerPerTest;
import akkachat.support.TestServer;
import org.junit.jupiter.api.Test;

import java.io.UncheckedIOException;
import java.util.List;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * PROTOCOL.md section 4: however a connection ends, the others get exactly one notice and the
 * name is free again at once. (The idle timeout is in TimeoutsTest.)
 */
class LeavingTest extends ServerPerTest {
  @Test
  void quitGivesOneNoticeAndFreesTheName() {
    bobLeaves(bob -> {
      bob.send("/quit");
      bob.expectLine("*** Bye!");
      bob.expectClosed();
    });
  }

  @Test
  void endOfInputGivesOneNoticeAndFreesTheName() {
    bobLeaves(bob -> {
      bob.shutdownOutput();
      bob.expectClosed(); // the server closes its side too, with no last line
    });
  }

  /** printf 'hello\nbye all\n/quit\n' | nc ...: the sender sees its own lines, then Bye. */
  @Test
  void linesSentRightBeforeQuitAreEchoedBeforeTheBye() {
    List<ChatClient> c = server.loginAll("alice", "bob");
    ChatClient alice = c.get(0);
    ChatClient bob = c.get(1);
    bob.sendRaw("hello\nbye all\n/quit\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    bob.expectLines("[bob] hello", "[bob] bye all", "*** Bye!");
    bob.expectClosed();
    alice.expectLines("[bob] hello", "[bob] bye all", "*** bob has disconnected");
  }

  /** printf 'hello\n' | nc -N ...: end of input right after a line still shows its echo. */
  @Test
  void aLineSentRightBeforeEndOfInputIsEchoedBeforeTheClose() {
    List<ChatClient> c = server.loginAll("alice", "bob");
    ChatClient alice = c.get(0);
    ChatClient bob = c.get(1);
    bob.sendRaw("last words\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    bob.shutdownOutput();
    bob.expectLine("[bob] last words");
    bob.expectClosed();
    alice.expectLines("[bob] last words", "*** bob has disconnected");
  }

  @Test
  void resetGivesOneNoticeAndFreesTheName() {
    bobLeaves(ChatClient::abort);
  }

  /**
   * The reset may reach the old session only after the new login asks whether the name is free
   * (seen in 2 of 80 tries before the room gave a holder's "still here" a grace period).
   */
  @Test
  void aNameResetAndLoggedInAgainAtOnceIsFree() {
    for (int i = 0; i < 30; i++) {
      String name = "quick" + i;
      ChatClient old = server.login(name);
      old.abort();
      ChatClient again = server.connect();
      again.expectLine("Welcome to akka-chat!");
      again.expectPrompt();
      again.send(name);
      again.expectLine("Welcome, " + name);
      again.close();
    }
  }

  @Test
  void endOfInputAtThePromptClosesTheConnection() {
    ChatClient c = server.connect();
    c.expectLine("Welcome to akka-chat!");
    c.expectPrompt();
    c.shutdownOutput();
    c.expectClosed();
  }

  @Test
  void endOfInputRightAfterALineStillDeliversTheLine() {
    List<ChatClient> c = server.loginAll("alice", "bob");
    c.get(1).send("last words");
    c.get(1).shutdownOutput();
    c.get(0).expectLines("[bob] last words", "*** bob has disconnected");
  }

  @Test
  void leavingFromAnotherRoomNotifiesThatRoomOnly() {
    List<ChatClient> c = server.loginAll("alice", "bob", "carol");
    ChatClient bob = c.get(1);
    bob.send("/join dev");
    bob.readUntil("*** bob just joined the chatroom");
    c.get(0).expectLine("*** bob left the chatroom");
    c.get(2).expectLine("*** bob left the chatroom");
    ChatClient dave = server.login("dave");
    c.get(0).expectLine("*** dave just joined the chatroom");
    c.get(2).expectLine("*** dave just joined the chatroom");
    dave.send("/join dev");
    dave.readUntil("*** dave just joined the chatroom");
    bob.expectLine("*** dave just joined the chatroom");
    c.get(0).expectLine("*** dave left the chatroom");
    c.get(2).expectLine("*** dave left the chatroom");

    bob.abort();
    dave.expectLine("*** bob has disconnected");
    c.get(0).send("marker");
    c.get(0).expectLine("[alice] marker");
    c.get(2).expectLine("[alice] marker");
  }

  @Test
  void shutdownTellsEveryUserThenCloses() {
    List<ChatClient> c = server.loginAll("alice", "bob", "carol");
    c.get(2).send("/join dev");
    c.get(2).readUntil("*** carol just joined the chatroom");
    c.get(0).expectLine("*** carol left the chatroom");
    c.get(1).expectLine("*** carol left the chatroom");
    ChatClient atPrompt = server.connect();
    atPrompt.expectLine("Welcome to akka-chat!");
    atPrompt.expectPrompt();

    server.shutdownGracefully();

    for (ChatClient each : List.of(c.get(0), c.get(1), c.get(2), atPrompt)) {
      // Others leaving at the same moment may be announced first; the last line is ours.
      for (String before : each.readUntil("*** server is shutting down")) {
        assertTrue(before.matches("\\*\\*\\* \\w+ has disconnected"), "unexpected: " + before);
      }
      each.expectClosed();
    }
    assertThrows(UncheckedIOException.class, server::connect, "still accepting connections");
  }

  @Test
  void connectionPastTheLimitIsToldTheServerIsFull() {
    try (TestServer small = TestServer.start("akka-chat.max-connections = 2")) {
      ChatClient alice = small.login("alice");
      ChatClient second = small.connect();
      second.expectLine("Welcome to akka-chat!");
      second.expectPrompt();
      ChatClient third = small.connect();
      third.expectLine("*** error: server is full, try again later");
      third.expectClosed();
      alice.send("still served");
      alice.expectLine("[alice] still served");
    }
  }

  /**
   * alice, bob and carol are in the lobby; {@code leave} ends bob's connection. alice and carol
   * must each get exactly one notice (the next line after it is carol's marker), and a new
   * connection must be able to log in as bob at once.
   */
  private void bobLeaves(Consumer<ChatClient> leave) {
    List<ChatClient> c = server.loginAll("alice", "bob", "carol");
    ChatClient alice = c.get(0);
    ChatClient carol = c.get(2);
    leave.accept(c.get(1));
    alice.expectLine("*** bob has disconnected");
    carol.expectLine("*** bob has disconnected");
    carol.send("marker");
    alice.expectLine("[carol] marker");
    carol.expectLine("[carol] marker");

    ChatClient newBob = server.connect();
    newBob.expectLine("Welcome to akka-chat!");
    newBob.expectPrompt();
    newBob.send("bob");
    newBob.expectLines("Welcome, bob",
        "*** Users online: alice, bob, carol",
        "*** bob just joined the chatroom");
    alice.expectLine("*** bob just joined the chatroom");
    carol.expectLine("*** bob just joined the chatroom");
    // The new bob is a full member: he hears the room and the room hears him.
    newBob.send("back");
    for (ChatClient each : List.of(alice, newBob, carol)) {
      each.expectLine("[bob] back");
    }
  }
}
