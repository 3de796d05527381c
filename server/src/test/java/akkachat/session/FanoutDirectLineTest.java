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
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * A real {@link Fanout} with a probe as the session: which lines it writes straight into the
 * session's {@link Outbound} through a {@link DirectLine}, and which it still sends through
 * the session, counted on the line, so that the client sees them in order.
 */
class FanoutDirectLineTest {

  static final ActorTestKit testKit = ActorTestKit.create(
      ConfigFactory.parseString("akka.actor.testkit.typed.single-expect-default = 10s")
          .withFallback(ConfigFactory.load()));

  /** Short: only used to show that nothing more arrives after what was awaited. */
  static final Duration QUIET = Duration.ofMillis(200);

  private static final String LOBBY = "lobby";

  /** What the fan-out wrote straight to the client. */
  static final class Recorder implements Outbound {
    final BlockingQueue<ByteString> written = new LinkedBlockingQueue<>();

    @Override
    public void send(ByteString line) {
      written.add(line);
    }

    @Override
    public void close() {
    }
  }

  private ActorRef<Fanout.Command> fanout;
  private ActorRef<ChatRoom.Command> room;
  private TestProbe<Session.Command> session;
  private Recorder out;
  private DirectLine line;

  @AfterAll
  static void cleanup() {
    testKit.shutdownTestKit();
  }

  @BeforeEach
  void subscribeAndOpen() {
    fanout = testKit.spawn(Fanout.create(NoRooms.INSTANCE, new Lines("\n")));
    room = testKit.<ChatRoom.Command>createTestProbe().ref();
    session = testKit.createTestProbe(Session.Command.class);
    out = new Recorder();
    fanout.tell(new Fanout.Roster(room, LOBBY,
        List.of(new ChatRoom.Member("alice", session.ref(), fanout))));
    line = new DirectLine(out, LOBBY);
    fanout.tell(new Fanout.OpenDirectLine(session.ref(), line));
    session.expectMessage(new Session.DirectLineOpened(line));
  }

  @AfterEach
  void stopFanout() {
    testKit.stop(fanout);
  }

  @Test
  void sendsThroughTheSessionUntilItHasHandledTheOpening() {
    fanout.tell(broadcast("one"));
    session.expectMessage(deliver("one", Session.NO_ECHO));
    nothingWritten();
  }

  @Test
  void writesTheRoomsLinesStraightToTheClientOnceOpened() throws Exception {
    line.handled(); // as the session does on DirectLineOpened
    fanout.tell(broadcast("one"));
    fanout.tell(broadcast("two"));
    assertEquals(text("one").concat(text("two")), written(2));
    session.expectNoMessage(QUIET);
  }

  /** What the session does with an answer comes after the lines the fan-out held before it. */
  @Test
  void handsTheHeldLinesOverBeforeAnAnswerReachesTheSession() throws Exception {
    line.handled();
    Session.Renamed renamed = new Session.Renamed(LOBBY, "bob");
    for (int i = 0; i < 50; i++) {
      fanout.tell(broadcast("line " + i));
      fanout.tell(new Fanout.Reply(session.ref(), renamed));
      session.expectMessage(renamed);
      assertEquals(text("line " + i), out.written.poll(), "in the queue before the answer");
    }
  }

  @Test
  void sendsTheEchoThroughTheSession() throws Exception {
    line.handled();
    fanout.tell(new Fanout.Broadcast(room, LOBBY, text("mine"), session.ref(), 7, null, 0));
    session.expectMessage(deliver("mine", 7));
    line.handled();

    fanout.tell(broadcast("after"));
    assertEquals(text("after"), written());
    nothingWritten();
  }

  /** Two incarnations of a room may both announce one departure: it is shown once. */
  @Test
  void writesADepartureNoticeStraightAndOnlyOnce() throws Exception {
    line.handled();
    ActorRef<Session.Command> gone = testKit.createTestProbe(Session.Command.class).ref();
    fanout.tell(new Fanout.Broadcast(room, LOBBY, text("bye"), null, Session.NO_ECHO, gone, 0));
    assertEquals(text("bye"), written());
    ActorRef<ChatRoom.Command> again = testKit.<ChatRoom.Command>createTestProbe().ref();
    fanout.tell(new Fanout.Roster(again, LOBBY,
        List.of(new ChatRoom.Member("alice", session.ref(), fanout))));
    fanout.tell(new Fanout.Broadcast(again, LOBBY, text("bye"), null, Session.NO_ECHO, gone, 0));
    fanout.tell(new Fanout.Broadcast(again, LOBBY, text("after"), null, Session.NO_ECHO, null, 0));
    assertEquals(text("after"), written());
    session.expectNoMessage(QUIET);
  }

  @Test
  void sendsLinesOfAnotherRoomAndPrivateLinesThroughTheSession() {
    line.handled();
    fanout.tell(
        new Fanout.Broadcast(room, "attic", text("elsewhere"), null, Session.NO_ECHO, null, 0));
    session.expectMessage(new Session.Deliver("attic", text("elsewhere"), Session.NO_ECHO, line));
    line.handled();

    fanout.tell(new Fanout.SendTo(LOBBY, session.ref(), text("psst"), Session.NO_ECHO));
    session.expectMessage(deliver("psst", Session.NO_ECHO));
    nothingWritten();
  }

  @Test
  void keepsLinesBehindAnUnhandledOneInTheSession() throws Exception {
    line.handled();
    fanout.tell(new Fanout.Broadcast(room, LOBBY, text("mine"), session.ref(), 1, null, 0));
    fanout.tell(broadcast("next"));
    session.expectMessage(deliver("mine", 1));
    session.expectMessage(deliver("next", Session.NO_ECHO));
    nothingWritten();

    line.handled();
    line.handled();
    fanout.tell(broadcast("straight"));
    assertEquals(text("straight"), written());
    session.expectNoMessage(QUIET);
  }

  @Test
  void closesTheLineAsItPassesAJoinedToTheSession() throws Exception {
    line.handled();
    fanout.tell(broadcast("before"));
    assertEquals(text("before"), written());

    Session.Joined joined = new Session.Joined(LOBBY, room, "ann", List.of("ann"), false);
    fanout.tell(new Fanout.Reply(session.ref(), joined));
    fanout.tell(broadcast("after"));
    session.expectMessage(joined);
    session.expectMessage(new Session.Deliver(LOBBY, text("after"), Session.NO_ECHO, null));
    nothingWritten();
  }

  @Test
  void keepsTheLineOpenForOtherReplies() throws Exception {
    line.handled();
    Session.Renamed renamed = new Session.Renamed(LOBBY, "bob");
    fanout.tell(new Fanout.Reply(session.ref(), renamed));
    fanout.tell(broadcast("after"));
    session.expectMessage(renamed);
    assertEquals(text("after"), written());
    session.expectNoMessage(QUIET);
  }

  private Fanout.Broadcast broadcast(String s) {
    return new Fanout.Broadcast(room, LOBBY, text(s), null, Session.NO_ECHO, null, 0);
  }

  private Session.Deliver deliver(String s, long echo) {
    return new Session.Deliver(LOBBY, text(s), echo, line);
  }

  private ByteString written() throws InterruptedException {
    return out.written.poll(10, TimeUnit.SECONDS);
  }

  /** The next {@code lines} lines written, however the fan-out grouped them. */
  private ByteString written(int lines) throws InterruptedException {
    ByteString all = ByteString.emptyByteString();
    while (all.utf8String().chars().filter(c -> c == '\n').count() < lines) {
      ByteString next = written();
      if (next == null) {
        break;
      }
      all = all.concat(next);
    }
    return all;
  }

  /**
   * Nothing went straight to the client, checked after two answers the fan-out passed on to
   * another session: the second comes behind the hand-over of lines it held when it took in the
   * first.
   */
  private void nothingWritten() {
    TestProbe<Session.Command> other = testKit.createTestProbe(Session.Command.class);
    for (int i = 0; i < 2; i++) {
      fanout.tell(new Fanout.Reply(other.ref(), new Session.Announced("barrier")));
      other.expectMessage(new Session.Announced("barrier"));
    }
    assertNull(out.written.peek());
  }

  private static ByteString text(String s) {
    return ByteString.fromString(s + "\n");
  }
}
