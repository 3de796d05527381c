package akkachat.session;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import akka.util.ByteString;
import akkachat.protocol.Lines;
import akkachat.room.ChatRoom;
import akkachat.support.NoRooms;
import com.typesafe.config.ConfigFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/**
 * A real {@link Fanout} with probes as the room and its sessions: numbered lines are checked
 * for gaps (every member closed with {@link Session.Overrun} on one), progress is reported to
 * the room every {@link Fanout#REPORT_EVERY} lines, and the count starts afresh with new members.
 */
class FanoutNumberingTest {

  static final ActorTestKit testKit = ActorTestKit.create(
      ConfigFactory.parseString("akka.actor.testkit.typed.single-expect-default = 10s")
          .withFallback(ConfigFactory.load()));

  /** Short: only used to show that nothing more arrives after what was awaited. */
  static final Duration QUIET = Duration.ofMillis(200);

  private static final String LOBBY = "lobby";

  private ActorRef<Fanout.Command> fanout;
  private TestProbe<ChatRoom.Command> room;
  private TestProbe<Session.Command> alice;
  private TestProbe<Session.Command> bob;

  @AfterAll
  static void cleanup() {
    testKit.shutdownTestKit();
  }

  @BeforeEach
  void subscribe() {
    fanout = testKit.spawn(Fanout.create(NoRooms.INSTANCE, new Lines("\n")));
    room = testKit.createTestProbe(ChatRoom.Command.class);
    alice = testKit.createTestProbe(Session.Command.class);
    bob = testKit.createTestProbe(Session.Command.class);
    fanout.tell(new Fanout.Roster(room.ref(), LOBBY, List.of(member("alice", alice),
        member("bob", bob))));
  }

  private ChatRoom.Member member(String name, TestProbe<Session.Command> session) {
    return new ChatRoom.Member(name, session.ref(), fanout);
  }

  @AfterEach
  void stopFanout() {
    testKit.stop(fanout);
  }

  @Test
  void deliversLinesInOrderWithoutComplaint() {
    sendNumbered(1, 10);
    for (TestProbe<Session.Command> member : List.of(alice, bob)) {
      for (int n = 1; n <= 10; n++) {
        expectLine(member, n);
      }
      member.expectNoMessage(QUIET);
    }
    room.expectNoMessage(QUIET);
  }

  @Test
  void reportsProgressToTheRoomEvery64Lines() {
    sendNumbered(1, 63);
    room.expectNoMessage(QUIET);
    sendNumbered(64, 130);
    room.expectMessage(new ChatRoom.Delivered(fanout, 64));
    room.expectMessage(new ChatRoom.Delivered(fanout, 128));
    room.expectNoMessage(QUIET);
    for (int n = 1; n <= 130; n++) {
      expectLine(alice, n);
    }
    alice.expectNoMessage(QUIET);
  }

  @Test
  void aGapClosesEveryMemberAsTooSlow() {
    fanout.tell(line(1));
    fanout.tell(line(2));
    fanout.tell(line(4));
    for (TestProbe<Session.Command> member : List.of(alice, bob)) {
      expectLine(member, 1);
      expectLine(member, 2);
      member.expectMessage(new Session.Overrun(LOBBY));
      expectLine(member, 4);
      member.expectNoMessage(QUIET);
    }
  }

  @Test
  void unnumberedLinesAreNeitherCheckedNorReported() {
    for (int i = 1; i <= 70; i++) {
      fanout.tell(new Fanout.Broadcast(room.ref(), LOBBY, text(i), null, Session.NO_ECHO, null, 0));
    }
    for (int n = 1; n <= 70; n++) {
      expectLine(alice, n);
    }
    alice.expectNoMessage(QUIET);
    room.expectNoMessage(QUIET);
  }

  @Test
  void countsAfreshAfterTheLastMemberLeft() {
    fanout.tell(new Fanout.Exit(room.ref(), bob.ref()));
    sendNumbered(1, 3);
    fanout.tell(new Fanout.Exit(room.ref(), alice.ref()));
    TestProbe<Session.Command> carol = testKit.createTestProbe(Session.Command.class);
    fanout.tell(new Fanout.Roster(room.ref(), LOBBY, List.of(member("carol", carol))));
    sendNumbered(1, 2);
    expectLine(carol, 1);
    expectLine(carol, 2);
    carol.expectNoMessage(QUIET);
    for (int n = 1; n <= 3; n++) {
      expectLine(alice, n);
    }
    alice.expectNoMessage(QUIET);
  }

  private void sendNumbered(int from, int to) {
    for (int n = from; n <= to; n++) {
      fanout.tell(line(n));
    }
  }

  private Fanout.Broadcast line(long number) {
    return new Fanout.Broadcast(room.ref(), LOBBY, text(number), null, Session.NO_ECHO, null,
        number);
  }

  private static ByteString text(long n) {
    return ByteString.fromString("line " + n + "\n");
  }

  private static void expectLine(TestProbe<Session.Command> member, long n) {
    Session.Deliver d = assertInstanceOf(Session.Deliver.class, member.receiveMessage());
    assertEquals(text(n), d.line());
    assertEquals(LOBBY, d.room());
  }
}
