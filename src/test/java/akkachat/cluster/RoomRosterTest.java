package akkachat.cluster;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
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

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

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

  private static ChatRoom.Member member(String name) {
    return new ChatRoom.Member(name, testKit.createTestProbe(Session.Command.class).ref(),
        testKit.createTestProbe(Fanout.Command.class).ref());
  }
}
