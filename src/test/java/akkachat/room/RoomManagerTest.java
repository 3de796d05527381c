package akkachat.room;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import akkachat.config.ChatSettings;
import akkachat.session.Session;
import com.typesafe.config.ConfigFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/** The single-node {@link RoomManager}, used only through its {@link RoomDirectory}. */
class RoomManagerTest {

  static final ActorTestKit testKit = ActorTestKit.create(
      ConfigFactory.parseString("akka.actor.testkit.typed.single-expect-default = 10s")
          .withFallback(ConfigFactory.load()));

  static final ChatSettings settings = ChatSettings.fromConfig(ConfigFactory.load());

  @AfterAll
  static void cleanup() {
    testKit.shutdownTestKit();
  }

  private RoomDirectory directory;

  @BeforeEach
  void startManager() {
    directory = RoomManager.directory(testKit.spawn(RoomManager.create(settings)));
  }

  @Test
  void startsRoomsOnDemand() {
    TestProbe<Session.Command> alice = testKit.createTestProbe(Session.Command.class);
    TestProbe<Session.Command> bob = testKit.createTestProbe(Session.Command.class);
    ActorRef<ChatRoom.Command> dev = join("dev", "alice", alice, List.of("alice"));
    ActorRef<ChatRoom.Command> lobby = join("lobby", "bob", bob, List.of("bob"));
    assertNotEquals(dev, lobby);

    directory.tell("dev", new ChatRoom.Say("alice", alice.ref(), 1, "only dev"));
    Session.Deliver said = assertInstanceOf(Session.Deliver.class, alice.receiveMessage());
    assertEquals("[alice] only dev\n", said.line().utf8String());
    assertEquals(dev, said.room());
    bob.expectNoMessage(Duration.ofMillis(200));
  }

  @Test
  void sendsLaterCommandsToTheSameRoom() {
    TestProbe<Session.Command> alice = testKit.createTestProbe(Session.Command.class);
    TestProbe<Session.Command> bob = testKit.createTestProbe(Session.Command.class);
    ActorRef<ChatRoom.Command> first = join("dev", "alice", alice, List.of("alice"));
    ActorRef<ChatRoom.Command> second = join("dev", "bob", bob, List.of("alice", "bob"));
    assertEquals(first, second);
    expectLine(alice, "*** bob just joined the chatroom\n");
  }

  @Test
  void listsRoomsWithMemberCountsSortedByName() {
    join("zoo", "zed", testKit.createTestProbe(Session.Command.class), List.of("zed"));
    join("lobby", "bob", testKit.createTestProbe(Session.Command.class), List.of("bob"));
    join("dev", "alice", testKit.createTestProbe(Session.Command.class), List.of("alice"));
    join("dev", "carol", testKit.createTestProbe(Session.Command.class), List.of("alice", "carol"));
    settle("zoo", "lobby", "dev");

    RoomDirectory.RoomList list = listRooms();
    assertEquals(List.of("dev", "lobby", "zoo"), new ArrayList<>(list.counts().keySet()));
    assertEquals(Map.of("dev", 2, "lobby", 1, "zoo", 1), list.counts());
  }

  @Test
  void listsNoRoomsWhenNobodyIsIn() {
    assertEquals(Map.of(), listRooms().counts());
  }

  @Test
  void stopsEmptiedRoomAndStartsAFreshOneOnNextJoin() {
    TestProbe<Session.Command> alice = testKit.createTestProbe(Session.Command.class);
    TestProbe<Session.Command> bob = testKit.createTestProbe(Session.Command.class);
    join("lobby", "bob", bob, List.of("bob"));
    settle("lobby");
    ActorRef<ChatRoom.Command> oldDev = join("dev", "alice", alice, List.of("alice"));

    TestProbe<Object> watcher = testKit.createTestProbe();
    directory.tell("dev", new ChatRoom.Leave("alice", alice.ref()));
    watcher.expectTerminated(oldDev);
    assertEquals(Map.of("lobby", 1), listRooms().counts());

    TestProbe<Session.Command> carol = testKit.createTestProbe(Session.Command.class);
    ActorRef<ChatRoom.Command> newDev = join("dev", "carol", carol, List.of("carol"));
    assertNotEquals(oldDev, newDev);
    directory.tell("dev", new ChatRoom.Say("carol", carol.ref(), 1, "fresh"));
    Session.Deliver said = assertInstanceOf(Session.Deliver.class, carol.receiveMessage());
    assertEquals("[carol] fresh\n", said.line().utf8String());
    assertEquals(newDev, said.room());
    assertEquals(1, said.echo());

    settle("dev");
    assertEquals(Map.of("dev", 1, "lobby", 1), listRooms().counts());
  }

  @Test
  void stopsRoomWhoseLastMembersSessionStops() {
    TestProbe<Session.Command> alice = testKit.createTestProbe(Session.Command.class);
    ActorRef<ChatRoom.Command> dev = join("dev", "alice", alice, List.of("alice"));
    TestProbe<Object> watcher = testKit.createTestProbe();
    alice.stop();
    watcher.expectTerminated(dev);
    assertEquals(Map.of(), listRooms().counts());
  }

  // ---- helpers ----

  /** Joins through the directory; returns the room's ref from the reply. */
  private ActorRef<ChatRoom.Command> join(String room, String name,
      TestProbe<Session.Command> session, List<String> membersAfter) {
    directory.tell(room, new ChatRoom.Join(name, session.ref(), false));
    Session.Joined joined = session.expectMessageClass(Session.Joined.class);
    assertEquals(room, joined.room());
    assertEquals(name, joined.name());
    assertEquals(membersAfter, joined.members());
    Session.Deliver hello = assertInstanceOf(Session.Deliver.class, session.receiveMessage());
    assertEquals("*** " + name + " just joined the chatroom\n", hello.line().utf8String());
    assertEquals(joined.roomRef(), hello.room());
    return joined.roomRef();
  }

  /**
   * A room reports its member count to the manager after replying to a join. Asking each room
   * a question and waiting for its answer orders those reports before our next ListRooms.
   */
  private void settle(String... rooms) {
    TestProbe<Session.Command> barrier = testKit.createTestProbe(Session.Command.class);
    for (String room : rooms) {
      directory.tell(room, new ChatRoom.Who(barrier.ref()));
      barrier.expectMessageClass(Session.Deliver.class);
    }
  }

  private RoomDirectory.RoomList listRooms() {
    TestProbe<RoomDirectory.RoomList> probe = testKit.createTestProbe(RoomDirectory.RoomList.class);
    directory.listRooms(probe.ref());
    return probe.receiveMessage();
  }

  private static void expectLine(TestProbe<Session.Command> probe, String text) {
    Session.Deliver d = assertInstanceOf(Session.Deliver.class, probe.receiveMessage());
    assertEquals(text, d.line().utf8String());
  }
}
