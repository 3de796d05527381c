package akkachat.room;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.FishingOutcomes;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import akkachat.config.ChatSettings;
import akkachat.protocol.Lines;
import akkachat.session.Fanout;
import akkachat.session.Session;
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
 * A {@link ChatRoom} with a small {@code node-lag-limit} and two nodes: one whose fan-out is a
 * probe that never reports progress, one a real {@link Fanout}. The silent node is cut off once
 * more than the limit, plus the step between reports, behind: its members are told
 * {@link Session.Overrun} once and it is sent nothing more. The healthy node is not cut off, and
 * a report in time keeps a node on.
 */
class ChatRoomLagTest {

  static final ActorTestKit testKit = ActorTestKit.create(
      ConfigFactory.parseString("akka.actor.testkit.typed.single-expect-default = 10s")
          .withFallback(ConfigFactory.load()));

  static final int LIMIT = 5;

  /** How many lines a node may be behind: fan-outs report only every REPORT_EVERY lines. */
  static final int BEHIND = LIMIT + Fanout.REPORT_EVERY;

  static final ChatSettings settings = ChatSettings.fromConfig(
      ConfigFactory.parseString("akka-chat.node-lag-limit = " + LIMIT)
          .withFallback(ConfigFactory.load()));

  /** Short: only used to show that nothing more arrives after what was awaited. */
  static final Duration QUIET = Duration.ofMillis(200);

  /** A host with nothing to be told. */
  static final RoomHost host = new SilentHost();

  private ActorRef<ChatRoom.Command> room;
  private ActorRef<Fanout.Command> healthyNode;
  private TestProbe<Fanout.Command> silentNode;
  private TestProbe<Session.Command> slow;

  @AfterAll
  static void cleanup() {
    testKit.shutdownTestKit();
  }

  /** The room, with "slow" joined through the silent node: its join line is that node's 1st. */
  @BeforeEach
  void startRoom() {
    room = testKit.spawn(ChatRoom.create("lobby", settings, host));
    healthyNode = testKit.spawn(Fanout.create(NoRooms.INSTANCE, new Lines("\n")));
    silentNode = testKit.createTestProbe(Fanout.Command.class);
    slow = testKit.createTestProbe(Session.Command.class);
    room.tell(new ChatRoom.Join("slow", slow.ref(), silentNode.ref(), ChatRoom.JoinMode.LOGIN));
  }

  @AfterEach
  void stop() {
    testKit.stop(room);
    testKit.stop(healthyNode);
  }

  @Test
  void cutsOffTheSilentNodeOnlyAndTellsItsMemberOnce() {
    TestProbe<Session.Command> fast = testKit.createTestProbe(Session.Command.class);
    room.tell(new ChatRoom.Join("fast", fast.ref(), healthyNode, ChatRoom.JoinMode.LOGIN));
    fast.expectMessage(new Session.Joined("lobby", room, "fast", List.of("fast", "slow"), false));
    expectLine(fast, "*** fast just joined the chatroom\n", Session.NO_ECHO);
    fast.expectMessage(new Session.Announced("lobby"));

    // Paced by the healthy member, as a node that keeps up: its reports come in time.
    for (int i = 1; i <= BEHIND + 20; i++) {
      room.tell(new ChatRoom.Say("fast", fast.ref(), i, "line " + i));
      expectLine(fast, "[fast] line " + i + "\n", i);
    }

    List<Long> numbers = broadcastNumbers(slow.ref());
    assertEquals(BEHIND + 1, numbers.size(), "nothing more for the silent node after the cut");
    for (int i = 0; i < numbers.size(); i++) {
      assertEquals(i + 1, numbers.get(i));
    }
    slow.expectMessage(new Session.Overrun("lobby"));
    slow.expectNoMessage(QUIET);
    fast.expectNoMessage(QUIET);
  }

  @Test
  void aReportInTimeKeepsTheNodeOnAndTheLimitCountsFromIt() {
    say(BEHIND - 1); // with the join line: BEHIND lines, none reported
    room.tell(new ChatRoom.Delivered(silentNode.ref(), BEHIND));
    say(BEHIND); // BEHIND past the report: still fine
    assertEquals(2 * BEHIND, broadcastNumbers(slow.ref()).size());
    slow.expectNoMessage(QUIET);

    say(1);
    slow.expectMessage(new Session.Overrun("lobby"));
  }

  @Test
  void aMemberJoiningThroughACutNodeIsToldAtOnce() {
    say(BEHIND);
    slow.expectMessage(new Session.Overrun("lobby"));

    TestProbe<Session.Command> late = testKit.createTestProbe(Session.Command.class);
    room.tell(new ChatRoom.Join("late", late.ref(), silentNode.ref(), ChatRoom.JoinMode.LOGIN));
    late.expectMessage(new Session.Overrun("lobby"));
    late.expectNoMessage(QUIET);
    slow.expectNoMessage(QUIET);
  }

  @Test
  void aCutNodeStartsAfreshOnceItsMembersAreGone() {
    say(BEHIND);
    slow.expectMessage(new Session.Overrun("lobby"));
    broadcastNumbers(slow.ref());
    room.tell(new ChatRoom.Leave("slow", slow.ref(), null));

    TestProbe<Session.Command> again = testKit.createTestProbe(Session.Command.class);
    room.tell(new ChatRoom.Join("again", again.ref(), silentNode.ref(), ChatRoom.JoinMode.LOGIN));
    assertEquals(List.of(1L), broadcastNumbers(again.ref()), "its join line is numbered 1 again");
    again.expectNoMessage(QUIET);
  }

  /**
   * A node behind by more than a client's queue limit is not overloaded yet: many members pasting
   * at once put the room briefly ahead of every node by more than that. The node limit counts.
   */
  @Test
  void aNodeBehindByMoreThanTheClientQueueLimitIsNotCut() {
    ChatSettings smallQueues = ChatSettings.fromConfig(ConfigFactory.parseString(
        "akka-chat { send-queue-limit = " + LIMIT + ", node-lag-limit = " + 4 * BEHIND + " }")
        .withFallback(ConfigFactory.load()));
    ActorRef<ChatRoom.Command> busy = testKit.spawn(ChatRoom.create("busy", smallQueues, host));
    TestProbe<Session.Command> member = testKit.createTestProbe(Session.Command.class);
    busy.tell(new ChatRoom.Join("member", member.ref(), silentNode.ref(),
        ChatRoom.JoinMode.LOGIN));
    for (int i = 1; i <= 3 * BEHIND; i++) {
      busy.tell(new ChatRoom.Say("member", member.ref(), i, "line " + i));
    }
    busy.tell(new ChatRoom.Who(member.ref()));
    List<Fanout.Command> got = silentNode.fishForMessage(Duration.ofSeconds(10), "the /who",
        m -> m instanceof Fanout.SendTo ? FishingOutcomes.complete()
            : m instanceof Fanout.Broadcast ? FishingOutcomes.continueAndCollect()
            : FishingOutcomes.continueAndIgnore());
    assertEquals(3 * BEHIND + 1, got.stream()
        .filter(m -> m instanceof Fanout.Broadcast b && b.name().equals("busy")).count(),
        "the join line and every line went to the node");
    member.expectNoMessage(QUIET); // no Overrun
    testKit.stop(busy);
  }

  /** {@code n} lines from "slow", whose node is the silent one. */
  private void say(int n) {
    for (int i = 1; i <= n; i++) {
      room.tell(new ChatRoom.Say("slow", slow.ref(), i, "line " + i));
    }
  }

  /**
   * The numbers of the broadcasts the silent node got since last asked: a /who from
   * {@code member} there comes after them (same room, same node), so all of them have arrived.
   */
  private List<Long> broadcastNumbers(ActorRef<Session.Command> member) {
    room.tell(new ChatRoom.Who(member));
    List<Fanout.Command> got = silentNode.fishForMessage(Duration.ofSeconds(10), "the /who",
        m -> m instanceof Fanout.SendTo
            ? FishingOutcomes.complete()
            : m instanceof Fanout.Broadcast
                ? FishingOutcomes.continueAndCollect()
                : FishingOutcomes.continueAndIgnore());
    return got.stream()
        .filter(Fanout.Broadcast.class::isInstance)
        .map(m -> ((Fanout.Broadcast) m).number())
        .toList();
  }

  private static void expectLine(TestProbe<Session.Command> probe, String text, long echo) {
    Session.Deliver d = assertInstanceOf(Session.Deliver.class, probe.receiveMessage());
    assertEquals(text, d.line().utf8String());
    assertEquals(echo, d.echo());
  }
}
