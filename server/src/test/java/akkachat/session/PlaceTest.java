package akkachat.session;

import akka.actor.testkit.typed.javadsl.BehaviorTestKit;
import akka.actor.testkit.typed.javadsl.TestInbox;
import akka.actor.typed.ActorRef;
import akka.actor.typed.javadsl.Behaviors;
import akka.util.ByteString;
import akkachat.room.ChatRoom;
import akkachat.room.RoomDirectory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A session's place, driven directly inside a {@link BehaviorTestKit}: which of a room's lines
 * its client sees, which lines it keeps until their echo, and what it tells rooms as it moves.
 */
class PlaceTest {

  /** Lines written to the client. */
  private final List<ByteString> written = new ArrayList<>();
  /** Commands sent to rooms by name, through the directory. */
  private final List<Map.Entry<String, ChatRoom.Command>> viaDirectory = new ArrayList<>();
  private final TestInbox<ChatRoom.Command> lobby = TestInbox.create();
  private ActorRef<Session.Command> self;
  private Place place;

  @BeforeEach
  void enterTheLobby() {
    Outbound out = new Outbound() {
      @Override
      public void send(ByteString line) {
        written.add(line);
      }

      @Override
      public void close() {
      }
    };
    RoomDirectory directory = new RoomDirectory() {
      @Override
      public void tell(String room, ChatRoom.Command command) {
        viaDirectory.add(Map.entry(room, command));
      }

      @Override
      public void listRooms(ActorRef<RoomList> replyTo) {
      }
    };
    Link link = new Link(null, null, null, directory, TestInbox.<Fanout.Command>create().getRef(),
        out, "test", null, null);
    BehaviorTestKit<Session.Command> kit = BehaviorTestKit.create(
        Behaviors.<Session.Command>setup(ctx -> {
          place = new Place(ctx, link, "alice");
          return Behaviors.empty();
        }));
    self = kit.getRef();
    place.enter(joined("lobby", lobby));
    place.announced("lobby");
  }

  private static Session.Joined joined(String room, TestInbox<ChatRoom.Command> ref) {
    return new Session.Joined(room, ref.getRef(), "alice", List.of("alice"), false);
  }

  /** The answer of a room's new incarnation to a silent rejoin. */
  private static Session.Joined rejoined(String room, TestInbox<ChatRoom.Command> ref) {
    return new Session.Joined(room, ref.getRef(), "alice", List.of("alice"), true);
  }

  private static Session.Deliver line(String room, String text, long echo) {
    return new Session.Deliver(room, ByteString.fromString(text), echo, null);
  }

  @Test
  void showsLinesOfItsOwnRoomOnly() {
    place.deliver(line("lobby", "bob left", Session.NO_ECHO));
    place.deliver(line("games", "elsewhere", Session.NO_ECHO));
    place.deliver(line("lobby", "hello", Session.NO_ECHO));
    assertEquals(List.of(ByteString.fromString("bob left"), ByteString.fromString("hello")),
        written);
  }

  @Test
  void keepsLinesUntilTheirEchoAndResendsTheRestToANewIncarnation() {
    place.say("one");
    place.emote("two");
    assertEquals(List.of(new ChatRoom.Say("alice", self, 1, "one"),
        new ChatRoom.Emote("alice", self, 2, "two")), lobby.getAllReceived());
    place.deliver(line("lobby", "one", 1));
    assertFalse(place.settled());

    TestInbox<ChatRoom.Command> restarted = TestInbox.create();
    place.roomStopped();
    assertNull(place.room());
    place.enter(rejoined("lobby", restarted));
    place.resendUnechoed();
    assertEquals(List.of(new ChatRoom.Emote("alice", self, 2, "two")),
        restarted.getAllReceived());
    place.deliver(line("lobby", "two", 2));
    assertTrue(place.settled());
  }

  @Test
  void isNotSettledUntilTheRoomItEnteredHasAnnouncedIt() {
    TestInbox<ChatRoom.Command> games = TestInbox.create();
    place.enter(joined("games", games));
    assertFalse(place.settled());
    place.announced("lobby"); // an answer from the room it was in before
    assertFalse(place.settled());
    place.announced("games");
    assertTrue(place.settled());

    place.roomStopped();
    place.enter(rejoined("games", TestInbox.create())); // a silent rejoin is not announced
    assertTrue(place.settled());
  }

  @Test
  void countsItselfInTheRoomItIsMovingToUntilTheMoveFails() {
    TestInbox<ChatRoom.Command> asker = TestInbox.create();
    place.movingTo("games");
    place.answer(new Session.Ping("games", asker.getRef()));
    place.stayed();
    place.answer(new Session.Ping("games", asker.getRef()));
    place.answer(new Session.Ping("lobby", asker.getRef()));
    assertEquals(List.of(new ChatRoom.Pong("alice", self, true),
        new ChatRoom.Pong("alice", self, false), new ChatRoom.Pong("alice", self, true)),
        asker.getAllReceived());
  }

  @Test
  void leavesTheOldRoomForTheNewOneAndGivesUpItsUnechoedLines() {
    place.movingTo("games");
    place.say("one");
    assertEquals(lobby.getRef(), place.leaveFor("games"));
    assertEquals(new ChatRoom.Leave("alice", self, "games"), lobby.getAllReceived().get(1));
    assertTrue(place.settled());
    assertFalse(place.isIn("games"));
    assertTrue(viaDirectory.isEmpty());
  }

  @Test
  void hasTheNewRoomAnnounceItWhenTheOldOneDiedDuringTheMove() {
    place.movingTo("games");
    place.roomStopped();
    assertNull(place.leaveFor("games"));
    assertEquals(List.of(Map.entry("games", new ChatRoom.Announce("alice", self))),
        viaDirectory);
  }

  /**
   * The old room may stop before the leave reaches it, its end known here only after the move
   * (a join that landed while it passivated): then nobody asked the new room to announce.
   */
  @Test
  void hasTheNewRoomAnnounceItWhenTheOldOneTurnsOutToHaveStoppedAfterTheMove() {
    TestInbox<ChatRoom.Command> games = TestInbox.create();
    place.movingTo("games");
    ActorRef<ChatRoom.Command> old = place.leaveFor("games");
    place.watchLeft(old, "games");
    place.enter(joined("games", games));
    assertTrue(viaDirectory.isEmpty());
    assertTrue(place.isLeft(lobby.getRef()));

    place.leftRoomStopped(lobby.getRef());
    place.leftRoomStopped(lobby.getRef());
    assertEquals(List.of(Map.entry("games", new ChatRoom.Announce("alice", self))),
        viaDirectory);
    assertFalse(place.isLeft(lobby.getRef()));
  }

  @Test
  void aRoomLeftLatelyAndEnteredAgainIsNoLongerWatchedAsLeft() {
    TestInbox<ChatRoom.Command> games = TestInbox.create();
    place.movingTo("games");
    place.watchLeft(place.leaveFor("games"), "games");
    place.enter(joined("games", games));
    place.movingTo("lobby");
    place.watchLeft(place.leaveFor("lobby"), "lobby");
    place.enter(joined("lobby", lobby));

    assertFalse(place.isLeft(lobby.getRef()));
    assertTrue(place.isLeft(games.getRef()));
    assertTrue(place.forgetLeft(games.getRef()));
    assertFalse(place.forgetLeft(games.getRef()));
    place.leftRoomStopped(games.getRef());
    assertTrue(viaDirectory.isEmpty());
  }
}
