package akkachat.session;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import akka.actor.typed.javadsl.Behaviors;
import akkachat.protocol.Lines;
import akkachat.room.ChatRoom;
import akkachat.room.RoomDirectory;
import com.typesafe.config.ConfigFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A real {@link Fanout} keeps the whole roster of every room it serves, from the room's
 * {@link Fanout.Roster}, {@link Fanout.Enter} and {@link Fanout.Exit}, and hands it to the room's
 * next incarnation when the room stops with members on its node.
 */
class FanoutRosterTest {

  static final ActorTestKit testKit = ActorTestKit.create(
      ConfigFactory.parseString("akka.actor.testkit.typed.single-expect-default = 10s")
          .withFallback(ConfigFactory.load()));

  static final Duration QUIET = Duration.ofMillis(300);

  /** What the fan-out sent to rooms by name. */
  record Told(String room, ChatRoom.Command command) {}

  @AfterAll
  static void cleanup() {
    testKit.shutdownTestKit();
  }

  private static RoomDirectory directoryTo(TestProbe<Told> probe) {
    return new RoomDirectory() {
      @Override
      public void tell(String room, ChatRoom.Command command) {
        probe.getRef().tell(new Told(room, command));
      }

      @Override
      public void listRooms(ActorRef<RoomList> replyTo) {}
    };
  }

  @Test
  void handsTheWholeRosterToTheNextIncarnationWhenTheRoomStops() {
    TestProbe<Told> directory = testKit.createTestProbe(Told.class);
    ActorRef<Fanout.Command> fanout =
        testKit.spawn(Fanout.create(directoryTo(directory), new Lines("\n")));
    ActorRef<Fanout.Command> elsewhere = testKit.createTestProbe(Fanout.Command.class).ref();
    ActorRef<ChatRoom.Command> room = testKit.spawn(Behaviors.ignore());
    ChatRoom.Member alice = member("alice", fanout);
    ChatRoom.Member bob = member("bob", elsewhere);
    ChatRoom.Member carol = member("carol", elsewhere);
    ChatRoom.Member dave = member("dave", fanout);

    fanout.tell(new Fanout.Roster(room, "dev", List.of(alice, bob)));
    fanout.tell(new Fanout.Enter(room, carol));
    fanout.tell(new Fanout.Enter(room, dave));
    fanout.tell(new Fanout.Exit(room, bob.session()));
    ChatRoom.Member renamed = new ChatRoom.Member("caroline", carol.session(), elsewhere);
    fanout.tell(new Fanout.Enter(room, renamed));
    testKit.stop(room);

    Told told = directory.receiveMessage();
    assertEquals("dev", told.room());
    ChatRoom.TakeOver takeOver = (ChatRoom.TakeOver) told.command();
    assertEquals(Set.of(alice, renamed, dave), new HashSet<>(takeOver.members()));
    directory.expectNoMessage(QUIET);
  }

  @Test
  void forgetsARoomWhoseLastMemberHereLeft() {
    TestProbe<Told> directory = testKit.createTestProbe(Told.class);
    ActorRef<Fanout.Command> fanout =
        testKit.spawn(Fanout.create(directoryTo(directory), new Lines("\n")));
    ActorRef<Fanout.Command> elsewhere = testKit.createTestProbe(Fanout.Command.class).ref();
    ActorRef<ChatRoom.Command> room = testKit.spawn(Behaviors.ignore());
    ChatRoom.Member alice = member("alice", fanout);

    fanout.tell(new Fanout.Roster(room, "dev", List.of(alice, member("bob", elsewhere))));
    fanout.tell(new Fanout.Exit(room, alice.session()));
    testKit.stop(room);
    directory.expectNoMessage(QUIET); // the room sends this node nothing more: no copy to hand on
  }

  private static ChatRoom.Member member(String name, ActorRef<Fanout.Command> fanout) {
    return new ChatRoom.Member(name, testKit.createTestProbe(Session.Command.class).ref(), fanout);
  }
}
