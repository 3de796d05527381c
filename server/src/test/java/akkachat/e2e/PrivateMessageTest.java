package akkachat.e2e;

import akkachat.support.ChatClient;
import akkachat.support.ServerPerTest;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** PROTOCOL.md section 3: /msg NAME[,NAME...] TEXT. */
class PrivateMessageTest extends ServerPerTest {
  @Test
  void goesToTheOneRecipientAndTheSenderOnly() {
    List<ChatClient> c = server.loginAll("alice", "bob", "carol");
    c.get(0).send("/msg bob hi there, bob");
    c.get(0).expectLine("[alice -> bob] hi there, bob");
    c.get(1).expectLine("[alice -> bob] hi there, bob");
    expectMarkerNext(c.get(2), "carol", c);
  }

  @Test
  void goesToSeveralRecipientsAndTheSender() {
    List<ChatClient> c = server.loginAll("alice", "bob", "carol", "dave");
    c.get(0).send("/msg bob,carol hi");
    for (ChatClient each : c.subList(0, 3)) {
      each.expectLine("[alice -> bob,carol] hi");
    }
    expectMarkerNext(c.get(3), "dave", c);
  }

  @Test
  void namesRecipientsAsGivenAndFindsThemCaseInsensitively() {
    List<ChatClient> c = server.loginAll("alice", "Bob", "carol");
    c.get(0).send("/msg BOB,Carol yo");
    for (ChatClient each : c) {
      each.expectLine("[alice -> BOB,Carol] yo");
    }
  }

  @Test
  void unknownNameIsAnErrorToTheSenderWhileTheOthersStillGetIt() {
    List<ChatClient> c = server.loginAll("alice", "bob", "carol", "dave");
    ChatClient alice = c.get(0);
    alice.send("/msg bob,zed,carol hi");
    assertEquals(Set.of("[alice -> bob,zed,carol] hi", "*** error: no such user in this room: zed"),
        Set.of(alice.readLine(), alice.readLine()));
    c.get(1).expectLine("[alice -> bob,zed,carol] hi");
    c.get(2).expectLine("[alice -> bob,zed,carol] hi");
    expectMarkerNext(c.get(3), "dave", c);
  }

  @Test
  void senderGetsItsCopyEvenWhenNoRecipientIsInTheRoom() {
    List<ChatClient> c = server.loginAll("alice", "bob");
    ChatClient alice = c.get(0);
    alice.send("/msg zed anyone?");
    assertEquals(Set.of("[alice -> zed] anyone?", "*** error: no such user in this room: zed"),
        Set.of(alice.readLine(), alice.readLine()));
    expectMarkerNext(c.get(1), "bob", c);
  }

  @Test
  void userInAnotherRoomIsNoSuchUser() {
    List<ChatClient> c = server.loginAll("alice", "bob", "carol");
    ChatClient carol = c.get(2);
    carol.send("/join dev");
    carol.readUntil("*** carol just joined the chatroom");
    c.get(0).expectLine("*** carol left the chatroom");
    c.get(1).expectLine("*** carol left the chatroom");
    c.get(0).send("/msg bob,carol psst");
    assertEquals(Set.of("[alice -> bob,carol] psst", "*** error: no such user in this room: carol"),
        Set.of(c.get(0).readLine(), c.get(0).readLine()));
    c.get(1).expectLine("[alice -> bob,carol] psst");
    carol.send("marker");
    carol.expectLine("[carol] marker");
  }

  @Test
  void eachUnknownNameGetsItsOwnError() {
    List<ChatClient> c = server.loginAll("alice", "bob");
    ChatClient alice = c.get(0);
    alice.send("/msg zed,bob,yan hey");
    assertEquals(Set.of("[alice -> zed,bob,yan] hey",
            "*** error: no such user in this room: zed",
            "*** error: no such user in this room: yan"),
        Set.of(alice.readLine(), alice.readLine(), alice.readLine()));
    c.get(1).expectLine("[alice -> zed,bob,yan] hey");
  }

  /** {@code sender} says a marker: it must be the next line every client gets. */
  private static void expectMarkerNext(ChatClient sender, String name, List<ChatClient> all) {
    sender.send("marker");
    all.forEach(each -> each.expectLine("[" + name + "] marker"));
  }
}
