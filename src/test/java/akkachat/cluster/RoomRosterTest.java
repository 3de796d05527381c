package akkachat.cluster;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import akka.actor.typed.javadsl.Adapter;
import akka.cluster.ddata.LWWMap;
import akka.cluster.ddata.SelfUniqueAddress;
import akka.cluster.ddata.typed.javadsl.DistributedData;
import akka.cluster.ddata.typed.javadsl.Replicator;
import akka.cluster.typed.Cluster;
import akka.cluster.typed.Join;
import akkachat.config.ChatConfig;
import akkachat.room.ChatRoom;
import akkachat.session.Fanout;
import akkachat.session.Session;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The cluster's memory of room members on a one-node cluster: what a room remembers, a later
 * incarnation recalls, and a room that asks is told when its writes are done.
 */
class RoomRosterTest {
  private static final Config CONFIG = ChatConfig.load(ConfigFactory.parseString(
      "akka-chat { host = \"127.0.0.1\", port = 0, cluster.port = 0, cluster.seeds = \"\" }\n"
          + "akka.actor.testkit.typed.system-shutdown-default = 30s"));
  private static final ActorTestKit testKit = ActorTestKit.create("RoomRosterTest", CONFIG);
  private static final ActorRef<RoomRoster.Command> roster =
      testKit.spawn(RoomRoster.create(), "roster");
  private static final Duration WAIT = Duration.ofSeconds(10);

  static {
    Cluster cluster = Cluster.get(testKit.system());
    cluster.manager().tell(new Join(cluster.selfMember().address()));
  }

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  @Test
  void aRoomThatWroteNothingIsToldAtOnce() {
    TestProbe<ChatRoom.Command> room = testKit.createTestProbe(ChatRoom.Command.class);
    roster.tell(new RoomRoster.WhenWritten("quiet", room.ref()));
    room.expectMessage(WAIT, new ChatRoom.Remembered());
  }

  @Test
  void aRoomIsToldOnceItsWritesAreDoneAndALaterIncarnationReadsThem() {
    TestProbe<ChatRoom.Command> room = testKit.createTestProbe(ChatRoom.Command.class);
    ChatRoom.Member alice = member("alice");
    ChatRoom.Member bob = member("Bob");
    roster.tell(new RoomRoster.Remember("hall", "alice", alice));
    roster.tell(new RoomRoster.Remember("hall", "bob", bob));
    roster.tell(new RoomRoster.WhenWritten("hall", room.ref()));
    room.expectMessage(WAIT, new ChatRoom.Remembered());

    roster.tell(new RoomRoster.Recall("hall", room.ref()));
    ChatRoom.Recalled recalled = (ChatRoom.Recalled) room.expectMessageClass(
        ChatRoom.Recalled.class, WAIT);
    assertEquals(List.of("Bob", "alice"),
        recalled.members().stream().map(ChatRoom.Member::name).sorted().toList());

    roster.tell(new RoomRoster.Remember("hall", "alice", null));
    roster.tell(new RoomRoster.WhenWritten("hall", room.ref()));
    room.expectMessage(WAIT, new ChatRoom.Remembered());
    roster.tell(new RoomRoster.Recall("hall", room.ref()));
    recalled = (ChatRoom.Recalled) room.expectMessageClass(ChatRoom.Recalled.class, WAIT);
    assertEquals(List.of(bob), recalled.members());
  }

  @Test
  void roomsThatShareAMapRecallOnlyTheirOwnMembers() {
    TestProbe<ChatRoom.Command> room = testKit.createTestProbe(ChatRoom.Command.class);
    String other = IntStream.range(0, 100_000).mapToObj(i -> "r" + i)
        .filter(r -> RoomRoster.key(r, "carol").equals(RoomRoster.key("kitchen", "carol")))
        .findFirst().orElseThrow();
    ChatRoom.Member carol = member("carol");
    ChatRoom.Member carolThere = member("Carol");
    roster.tell(new RoomRoster.Remember("kitchen", "carol", carol));
    roster.tell(new RoomRoster.Remember(other, "carol", carolThere));
    roster.tell(new RoomRoster.WhenWritten("kitchen", room.ref()));
    room.expectMessage(WAIT, new ChatRoom.Remembered());
    roster.tell(new RoomRoster.WhenWritten(other, room.ref()));
    room.expectMessage(WAIT, new ChatRoom.Remembered());

    roster.tell(new RoomRoster.Recall("kitchen", room.ref()));
    assertEquals(List.of(carol),
        room.expectMessageClass(ChatRoom.Recalled.class, WAIT).members());
    roster.tell(new RoomRoster.Recall(other, room.ref()));
    assertEquals(List.of(carolThere),
        room.expectMessageClass(ChatRoom.Recalled.class, WAIT).members());
  }

  /** Distributed Data never forgets a key: made-up room names must not each add one. */
  @Test
  void theMapsDoNotGrowWithTheNumberOfRoomNamesEverUsed() {
    TestProbe<ChatRoom.Command> room = testKit.createTestProbe(ChatRoom.Command.class);
    int rooms = RoomRoster.SLOTS * 3;
    for (int i = 0; i < rooms; i++) {
      roster.tell(new RoomRoster.Remember("made-up-" + i, "dave", member("dave")));
      roster.tell(new RoomRoster.Remember("made-up-" + i, "dave", null));
      roster.tell(new RoomRoster.WhenWritten("made-up-" + i, room.ref()));
    }
    for (int i = 0; i < rooms; i++) {
      room.expectMessage(WAIT, new ChatRoom.Remembered());
    }
    TestProbe<Object> keys = testKit.createTestProbe();
    akka.cluster.ddata.DistributedData.get(Adapter.toClassic(testKit.system())).replicator()
        .tell(akka.cluster.ddata.Replicator.GetKeyIds$.MODULE$, Adapter.toClassic(keys.ref()));
    Set<String> ids =
        ((akka.cluster.ddata.Replicator.GetKeyIdsResult) keys.receiveMessage(WAIT)).getKeyIds();
    assertTrue(ids.size() <= RoomRoster.SLOTS * RoomRoster.BUCKETS, ids.size() + " keys");
    assertTrue(ids.size() < rooms, ids.size() + " keys for " + rooms + " rooms");
  }

  /**
   * A Replicator that does not answer (as one far behind) does not stop the roster: a write
   * counts as done once its wait is over, and a recall falls back to what this node has.
   */
  @Test
  void aReplicatorThatDoesNotAnswerInTimeLeavesTheRosterServing() {
    TestProbe<Replicator.Command> replicator = testKit.createTestProbe(Replicator.Command.class);
    ActorRef<RoomRoster.Command> slow =
        testKit.spawn(RoomRoster.create(replicator.ref(), Duration.ofMillis(200)));
    TestProbe<ChatRoom.Command> room = testKit.createTestProbe(ChatRoom.Command.class);

    slow.tell(new RoomRoster.Remember("attic", "erin", member("erin")));
    replicator.expectMessageClass(Replicator.Update.class, WAIT);
    slow.tell(new RoomRoster.WhenWritten("attic", room.ref()));
    room.expectMessage(WAIT, new ChatRoom.Remembered());

    slow.tell(new RoomRoster.Recall("attic", room.ref()));
    for (int b = 0; b < RoomRoster.BUCKETS; b++) {
      Replicator.Get<?> get = replicator.expectMessageClass(Replicator.Get.class, WAIT);
      assertTrue(get.consistency() instanceof Replicator.ReadMajority, get.toString());
    }
    // Nobody answers the majority reads; then this node's own copy is asked for, and it has
    // frank in one map.
    ChatRoom.Member frank = member("frank");
    SelfUniqueAddress node = DistributedData.get(testKit.system()).selfUniqueAddress();
    for (int b = 0; b < RoomRoster.BUCKETS; b++) {
      @SuppressWarnings("unchecked")
      Replicator.Get<LWWMap<String, ChatRoom.Member>> get =
          replicator.expectMessageClass(Replicator.Get.class, WAIT);
      assertEquals(Replicator.readLocal(), get.consistency());
      if (get.key().equals(RoomRoster.key("attic", "frank"))) {
        get.replyTo().tell(new Replicator.GetSuccess<>(get.key(),
            LWWMap.<String, ChatRoom.Member>empty().put(node, "attic frank", frank)));
      } else {
        get.replyTo().tell(new Replicator.NotFound<>(get.key()));
      }
    }
    assertEquals(List.of(frank), room.expectMessageClass(ChatRoom.Recalled.class, WAIT).members());

    // A recall whose local reads go unanswered too ends with what was found: nobody.
    slow.tell(new RoomRoster.Recall("attic", room.ref()));
    assertEquals(List.of(), room.expectMessageClass(ChatRoom.Recalled.class, WAIT).members());
    replicator.receiveSeveralMessages(2 * RoomRoster.BUCKETS, WAIT);
  }

  /**
   * The Replicator's answers reach the roster without a thread each: the JDK's default executor
   * starts one per task when the common pool has fewer than two threads, as on a 2-core
   * machine (the pom sets the tests' common pool to one thread, so this fails anywhere).
   */
  @Test
  void recallsStartNoThreads() {
    TestProbe<ChatRoom.Command> room = testKit.createTestProbe(ChatRoom.Command.class);
    roster.tell(new RoomRoster.Recall("cellar", room.ref()));
    room.expectMessageClass(ChatRoom.Recalled.class, WAIT);
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long before = threads.getTotalStartedThreadCount();
    int recalls = 3;
    for (int i = 0; i < recalls; i++) {
      roster.tell(new RoomRoster.Recall("cellar", room.ref()));
      room.expectMessageClass(ChatRoom.Recalled.class, WAIT);
    }
    long started = threads.getTotalStartedThreadCount() - before;
    assertTrue(started < RoomRoster.BUCKETS, started + " threads started for "
        + recalls * RoomRoster.BUCKETS + " reads");
  }

  private static ChatRoom.Member member(String name) {
    return new ChatRoom.Member(name, testKit.createTestProbe(Session.Command.class).ref(),
        testKit.createTestProbe(Fanout.Command.class).ref());
  }
}
