package akkachat.e2e;

import akkachat.support.ChatClient;
import akkachat.support.ServerPerTest;
import org.junit.jupiter.api.Test;

import java.util.List;

/** PROTOCOL.md section 3: /nick NAME. */
class NickTest extends ServerPerTest {
  private static final String INVALID =
      "*** error: invalid username (use 1-24 letters, digits, '_' or '-')";

  @Test
  void renameIsAnnouncedToEveryoneAndTheNewNameIsUsed() {
    List<ChatClient> c = server.loginAll("alice", "bob");
    ChatClient alice = c.get(0);
    ChatClient bob = c.get(1);
    alice.send("/nick alicia");
    alice.expectLine("*** alice is now known as alicia");
    bob.expectLine("*** alice is now known as alicia");
    alice.send("hello");
    alice.expectLine("[alicia] hello");
    bob.expectLine("[alicia] hello");
    alice.send("/me smiles");
    alice.expectLine("* alicia smiles");
    bob.expectLine("* alicia smiles");
    bob.send("/msg alicia psst");
    bob.expectLine("[bob -> alicia] psst");
    alice.expectLine("[bob -> alicia] psst");
    bob.send("/who");
    bob.expectLine("*** Users online: alicia, bob");
  }

  @Test
  void oldNameIsFreeAfterTheRename() {
    List<ChatClient> c = server.loginAll("alice", "bob");
    c.get(0).send("/nick alicia");
    c.get(0).expectLine("*** alice is now known as alicia");
    c.get(1).expectLine("*** alice is now known as alicia");
    ChatClient newAlice = server.login("alice");
    c.get(0).expectLine("*** alice just joined the chatroom");
    newAlice.send("/who");
    newAlice.expectLine("*** Users online: alice, alicia, bob");
    c.get(1).send("/msg alice hi");
    newAlice.expectLine("[bob -> alice] hi");
  }

  @Test
  void invalidNameIsAnError() {
    List<ChatClient> c = server.loginAll("alice", "bob");
    ChatClient alice = c.get(0);
    for (String bad : List.of("bad name", "x".repeat(25), "al!ce", "\u00e5lice", " ")) {
      alice.send("/nick " + bad);
      alice.expectLine(INVALID);
    }
    alice.send("still alice");
    alice.expectLine("[alice] still alice");
    c.get(1).expectLine("[alice] still alice");
  }

  @Test
  void nameTakenIsAnErrorAsTyped() {
    List<ChatClient> c = server.loginAll("alice", "bob");
    ChatClient alice = c.get(0);
    alice.send("/nick BOB");
    alice.expectLine("*** error: username BOB is already taken");
    alice.send("/nick bob");
    alice.expectLine("*** error: username bob is already taken");
    alice.send("still alice");
    alice.expectLine("[alice] still alice");
    c.get(1).expectLine("[alice] still alice");
  }

  @Test
  void ownNameInAnotherLetterCaseIsAllowed() {
    List<ChatClient> c = server.loginAll("alice", "bob");
    c.get(0).send("/nick ALICE");
    c.get(0).expectLine("*** alice is now known as ALICE");
    c.get(1).expectLine("*** alice is now known as ALICE");
    c.get(0).send("hi");
    c.get(0).expectLine("[ALICE] hi");
    c.get(1).expectLine("[ALICE] hi");
  }

  @Test
  void renamedUserLeavesUnderTheNewName() {
    List<ChatClient> c = server.loginAll("alice", "bob");
    c.get(0).send("/nick alicia");
    c.get(0).expectLine("*** alice is now known as alicia");
    c.get(1).expectLine("*** alice is now known as alicia");
    c.get(0).send("/quit");
    c.get(0).expectLine("*** Bye!");
    c.get(1).expectLine("*** alicia has disconnected");
    // Both names are free again.
    server.login("alicia");
    server.login("alice");
  }
}
