package akkachat.cluster;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.typed.ActorRef;
import akka.serialization.SerializationExtension;
import akka.util.ByteString;
import akkachat.CborSerializable;
import akkachat.config.ChatConfig;
import akkachat.room.ChatRoom;
import akkachat.session.Fanout;
import akkachat.session.Session;
import com.typesafe.config.ConfigFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every message that crosses nodes survives a round trip unchanged, through the serializer the
 * node's own configuration binds (never Java serialization), actor refs and encoded lines
 * included: Jackson CBOR, and for the room rosters' members their own serializer.
 */
class CrossNodeSerializationTest {
  // The node's own configuration (bindings, the ByteString module); terminating it without the
  // cluster-leave phases of the coordinated shutdown saves seconds, as it never joins a cluster.
  private static final ActorTestKit testKit = ActorTestKit.create(ChatConfig.load(
      ConfigFactory.parseString("akka-chat.cluster.port = 0\n"
          + "akka.coordinated-shutdown.run-by-actor-system-terminate = off")));

  private static final ActorRef<ChatRoom.Command> room =
      testKit.<ChatRoom.Command>createTestProbe().getRef();
  private static final ActorRef<Session.Command> session =
      testKit.<Session.Command>createTestProbe().getRef();
  private static final ActorRef<Fanout.Command> fanout =
      testKit.<Fanout.Command>createTestProbe().getRef();
  private static final ByteString line =
      ByteString.fromString("[alice] h\u00e9llo \u2603\n", StandardCharsets.UTF_8);

  private static final List<Object> MESSAGES = List.of(
      new ChatRoom.Join("alice", session, fanout, ChatRoom.JoinMode.LOGIN),
      new ChatRoom.Join("alice", session, fanout, ChatRoom.JoinMode.MOVE),
      new ChatRoom.Join("alice", session, fanout, ChatRoom.JoinMode.REJOIN),
      new ChatRoom.Leave("alice", session, "dev"),
      // a plain leave names no room to announce the member in
      new ChatRoom.Leave("alice", session, null),
      new ChatRoom.Announce("alice", session),
      new ChatRoom.Say("alice", session, 7, "hello \u2603"),
      new ChatRoom.Emote("alice", session, 8, "waves"),
      new ChatRoom.Whisper("alice", session, 9, List.of("bob", "Carol"), "psst"),
      new ChatRoom.Rename("alice", "alicia", session),
      new ChatRoom.Who(session),
      new ChatRoom.Stop(),
      new Session.Joined("lobby", room, "alice", List.of("alice", "bob"), false),
      new Session.Joined("lobby", room, "alice", List.of(), true),
      new Session.JoinRejected("lobby", "ALICE"),
      new Session.Announced("lobby"),
      new Session.Renamed("lobby", "alicia"),
      new Session.RenameRejected("lobby", "bob"),
      new Fanout.Roster(room, "lobby", List.of(new ChatRoom.Member("alice", session, fanout),
          new ChatRoom.Member("Bob", session, fanout))),
      new Fanout.Enter(room, new ChatRoom.Member("alice", session, fanout)),
      new Fanout.Exit(room, session),
      new Fanout.Broadcast(room, "lobby", line, session, 7, null, 0),
      // join, leave and disconnect notices are broadcast without a sender to echo to
      new Fanout.Broadcast(room, "lobby", line, null, Session.NO_ECHO, null, 5),
      new Fanout.Broadcast(room, "lobby", line, null, Session.NO_ECHO, session, 42),
      new ChatRoom.Delivered(fanout, 64),
      new Session.Overrun("lobby"),
      new Fanout.Reply(session, new Session.Overrun("lobby")),
      new Fanout.SendTo("lobby", session, line, Session.NO_ECHO),
      new Fanout.Reply(session, new Session.Joined("lobby", room, "alice", List.of("alice"), false)),
      new Fanout.Reply(session, new Session.JoinRejected("lobby", "ALICE")),
      new Fanout.Reply(session, new Session.Announced("lobby")),
      new Fanout.Reply(session, new Session.Renamed("lobby", "alicia")),
      new Fanout.Reply(session, new Session.RenameRejected("lobby", "bob")),
      new Fanout.Reply(session, new Session.Ping("lobby", room)),
      new Session.Ping("lobby", room),
      new ChatRoom.Pong("alice", session, true),
      new ChatRoom.TakeOver(List.of(new ChatRoom.Member("alice", session, fanout))),
      new RoomRegistry.GetCounts(testKit.<RoomRegistry.Counts>createTestProbe().getRef()),
      new RoomRegistry.Counts(Map.of("lobby", 5, "dev", 2)),
      new RoomRegistry.Counts(Map.of()),
      new Arrival.SeeMe("akka://akka-chat@127.0.0.1:25520", -4421539308470855246L,
          testKit.<Arrival.Command>createTestProbe().getRef()),
      new Arrival.Seen("akka://akka-chat@127.0.0.1:25521"));

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  @Test
  void everyCrossNodeMessageSurvivesACborRoundTripUnchanged() {
    for (Object message : MESSAGES) {
      Object copy = testKit.serializationTestKit().verifySerialization(message, true);
      assertNotSame(message, copy, "a copy, not the same object: " + message);
    }
  }

  @Test
  void anEncodedLineArrivesByteForByte() {
    Fanout.Broadcast copy = testKit.serializationTestKit()
        .verifySerialization(new Fanout.Broadcast(room, "lobby", line, session, 7, null, 0), true);
    assertEquals(line, copy.line());
    assertEquals("[alice] h\u00e9llo \u2603\n", copy.line().utf8String());
  }

  @Test
  void crossNodeMessagesUseTheJacksonCborSerializer() {
    var serialization = SerializationExtension.get(testKit.system().classicSystem());
    for (Object message : MESSAGES) {
      String serializer = serialization.findSerializerFor(message).getClass().getName();
      assertTrue(serializer.contains("Jackson") && serializer.contains("Cbor"),
          message.getClass().getName() + " is serialized by " + serializer);
    }
  }

  /** A new public message type that crosses nodes must be added to this test. */
  @Test
  void coversEveryPublicCrossNodeMessage() {
    Set<Class<?>> crossing = new HashSet<>();
    crossing.addAll(publicCborRecords(ChatRoom.Command.class));
    crossing.addAll(publicCborRecords(Session.Command.class));
    crossing.addAll(publicCborRecords(Fanout.Command.class));
    crossing.addAll(publicCborRecords(RoomRegistry.Command.class));
    crossing.addAll(publicCborRecords(Arrival.Command.class));
    crossing.add(RoomRegistry.Counts.class);
    Set<Class<?>> tested = MESSAGES.stream().map(Object::getClass).collect(Collectors.toSet());
    assertEquals(names(crossing), names(tested));
  }

  /** The public records under a sealed interface (following nested sealed interfaces). */
  private static Set<Class<?>> publicCborRecords(Class<?> sealedInterface) {
    Set<Class<?>> found = new HashSet<>();
    for (Class<?> c : sealedInterface.getPermittedSubclasses()) {
      if (c.isInterface() && c.isSealed()) {
        found.addAll(publicCborRecords(c));
      } else if (Modifier.isPublic(c.getModifiers()) && CborSerializable.class.isAssignableFrom(c)) {
        found.add(c);
      }
    }
    return found;
  }

  private static Set<String> names(Set<Class<?>> classes) {
    return classes.stream().map(Class::getName).collect(Collectors.toCollection(TreeSet::new));
  }
}
