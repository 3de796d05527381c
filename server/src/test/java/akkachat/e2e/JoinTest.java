package akkachat.e2e;

import akkachat.support.ChatClient;
import akkachat.support.ServerPerTest;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** PROTOCOL.md section 3: /join ROOM. */
class JoinTest extends ServerPerTest {
  @Test
  void moverOldRoomAndNewRoomEachSeeTheirLines() {
    List<ChatClient> c = server.loginAll("dave", "alice", "bob", "Carl");
    ChatClient dave = c.get(0);
    ChatClient alice = c.get(1);
    ChatClient bob = c.get(2);
    ChatClient carl = c.get(3);
    dave.send("/join dev");
    dave.expectLines("*** Now chatting in room dev",
        "*** Users online: dave",
        "*** dave just joined the chatroom");
    for (ChatClient other : List.of(alice, bob, carl)) {
      other.expectLine("*** dave left the chatroom");
    }
    carl.send("/join dev");
    carl.expectLines("*** Now chatting in room dev",
        "*** Users online: Carl, dave",
        "*** Carl just joined the chatroom");
    dave.expectLine("*** Carl just joined the chatroom");
    alice.expectLine("*** Carl left the chatroom");
    bob.expectLine("*** Carl left the chatroom");

    alice.send("/join dev");
    bob.expectLine("*** alice left the chatroom");
    alice.expectLines("*** Now chatting in room dev",
        "*** Users online: alice, Carl, dave",
        "*** alice just joined the chatroom");
    dave.expectLine("*** alice just joined the chatroom");
    carl.expectLine("*** alice just joined the chatroom");

    // Lines now go to the new room only.
    alice.send("hi dev");
    for (ChatClient member : List.of(alice, carl, dave)) {
      member.expectLine("[alice] hi dev");
    }
    bob.send("hi lobby");
    bob.expectLine("[bob] hi lobby"); // and not alice's line before it
    alice.send("/who");
    alice.expectLine("*** Users online: alice, Carl, dave");
  }

  @Test
  void dropsLeadingHashAndShowsRoomInLowerCase() {
    List<ChatClient> c = server.loginAll("alice", "bob", "carol");
    ChatClient alice = c.get(0);
    ChatClient bob = c.get(1);
    ChatClient carol = c.get(2);
    alice.send("/join #DeV");
    alice.expectLines("*** Now chatting in room dev",
        "*** Users online: alice",
        "*** alice just joined the chatroom");
    bob.expectLine("*** alice left the chatroom");
    carol.expectLine("*** alice left the chatroom");
    bob.send("/join Dev");
    bob.expectLines("*** Now chatting in room dev",
        "*** Users online: alice, bob",
        "*** bob just joined the chatroom");
    alice.expectLine("*** bob just joined the chatroom");
    carol.expectLine("*** bob left the chatroom");
    carol.send("/rooms");
    carol.expectLine("*** Rooms: dev (2), lobby (1)");
  }

  @Test
  void roomsNeverCountsTheMoverInTheRoomItLeft() {
    // Someone who has seen the mover arrive asks /rooms at once: the mover has left lobby by
    // then (section 3: the old room's members get the left line, then the mover enters).
    // Repeated, because the window in which a wrong count shows is short.
    ChatClient alice = server.login("alice");
    alice.send("/join dev");
    alice.readUntil("*** alice just joined the chatroom");
    for (int i = 0; i < 50; i++) {
      String name = "bob" + i;
      try (ChatClient bob = server.login(name)) {
        bob.send("/join dev");
        alice.expectLine("*** " + name + " just joined the chatroom");
        alice.send("/rooms");
        assertEquals("*** Rooms: dev (2)", alice.readLine(), "after " + name + " moved");
        bob.send("/quit");
        alice.expectLine("*** " + name + " has disconnected");
      }
    }
  }

  @Test
  void nameTakenInTargetRoomIsAnErrorAndTheUserStays() {
    List<ChatClient> c = server.loginAll("alice", "bob");
    ChatClient alice = c.get(0);
    ChatClient bob = c.get(1);
    alice.send("/join dev");
    alice.readUntil("*** alice just joined the chatroom");
    bob.expectLine("*** alice left the chatroom");

    ChatClient alice2 = server.login("alice"); // free in lobby once alice left it
    bob.expectLine("*** alice just joined the chatroom");
    alice2.send("/join dev");
    alice2.expectLine("*** error: username alice is already taken in room dev");
    alice2.send("/join DEV");
    alice2.expectLine("*** error: username alice is already taken in room dev");

    // Still in lobby: bob hears the next line, dev's alice does not.
    alice2.send("still in lobby");
    alice2.expectLine("[alice] still in lobby");
    bob.expectLine("[alice] still in lobby");
    alice.send("in dev");
    alice.expectLine("[alice] in dev");
    alice2.send("/who");
    alice2.expectLine("*** Users online: alice, bob");
  }

  @Test
  void nameTakenInAnotherLetterCaseIsAnErrorWithTheUsersName() {
    List<ChatClient> c = server.loginAll("alice", "Bob");
    ChatClient alice = c.get(0);
    alice.send("/join dev");
    alice.readUntil("*** alice just joined the chatroom");
    c.get(1).expectLine("*** alice left the chatroom");
    alice.send("/nick BOB");
    alice.expectLine("*** alice is now known as BOB");
    c.get(1).send("/join dev");
    c.get(1).expectLine("*** error: username Bob is already taken in room dev");
  }

  @Test
  void joiningTheRoomOneIsInIsAnError() {
    List<ChatClient> c = server.loginAll("alice", "bob");
    ChatClient alice = c.get(0);
    alice.send("/join lobby");
    alice.expectLine("*** error: you are already in room lobby");
    alice.send("/join dev");
    alice.readUntil("*** alice just joined the chatroom");
    c.get(1).expectLine("*** alice left the chatroom");
    alice.send("/join dev");
    alice.expectLine("*** error: you are already in room dev");
    alice.send("/join #Dev");
    alice.expectLine("*** error: you are already in room dev");
    // Nobody else hears of it, and alice is still in dev.
    alice.send("/who");
    alice.expectLine("*** Users online: alice");
    c.get(1).send("marker");
    c.get(1).expectLine("[bob] marker");
  }

  @Test
  void movingBackAndForthKeepsOneMembership() {
    List<ChatClient> c = server.loginAll("alice", "bob");
    ChatClient alice = c.get(0);
    ChatClient bob = c.get(1);
    for (int i = 0; i < 3; i++) {
      alice.send("/join dev");
      alice.readUntil("*** alice just joined the chatroom");
      bob.expectLine("*** alice left the chatroom");
      alice.send("/join lobby");
      alice.expectLines("*** Now chatting in room lobby",
          "*** Users online: alice, bob",
          "*** alice just joined the chatroom");
      bob.expectLine("*** alice just joined the chatroom");
    }
    alice.send("once");
    alice.expectLine("[alice] once");
    bob.expectLine("[alice] once");
    bob.send("/rooms");
    bob.expectLine("*** Rooms: lobby (2)");
  }
}
