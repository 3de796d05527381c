package akkachat.room;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akkachat.config.ChatSettings;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Hosts the rooms of a single node: starts a room on its first message, keeps the member
 * counts for /rooms, and stops a room that became empty the way Cluster Sharding passivates an
 * entity: messages that arrive while it stops are held and start it again afterwards.
 */
public final class RoomManager extends AbstractBehavior<RoomManager.Command> {

  public sealed interface Command {}

  public record Forward(String room, ChatRoom.Command command) implements Command {}

  public record ListRooms(ActorRef<RoomDirectory.RoomList> replyTo) implements Command {}

  private record MembersChanged(String room, int count) implements Command {}

  private record RoomEmpty(String room, ActorRef<ChatRoom.Command> ref) implements Command {}

  private record RoomStopped(String room, ActorRef<ChatRoom.Command> ref) implements Command {}

  public static Behavior<Command> create(ChatSettings settings) {
    return Behaviors.setup(ctx -> new RoomManager(ctx, settings));
  }

  /** The directory sessions use on a single node. */
  public static RoomDirectory directory(ActorRef<Command> manager) {
    return new RoomDirectory() {
      @Override
      public void tell(String room, ChatRoom.Command command) {
        manager.tell(new Forward(room, command));
      }

      @Override
      public void listRooms(ActorRef<RoomDirectory.RoomList> replyTo) {
        manager.tell(new ListRooms(replyTo));
      }
    };
  }

  private final ChatSettings settings;
  private final RoomHost host;
  private final Map<String, ActorRef<ChatRoom.Command>> rooms = new HashMap<>();
  private final Map<String, List<ChatRoom.Command>> stopping = new HashMap<>();
  private final TreeMap<String, Integer> counts = new TreeMap<>();

  private RoomManager(ActorContext<Command> context, ChatSettings settings) {
    super(context);
    this.settings = settings;
    ActorRef<Command> self = context.getSelf();
    this.host = new RoomHost() {
      @Override
      public void membersChanged(String room, int count) {
        self.tell(new MembersChanged(room, count));
      }

      @Override
      public void empty(String room, ActorRef<ChatRoom.Command> ref) {
        self.tell(new RoomEmpty(room, ref));
      }
    };
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Forward.class, this::onForward)
        .onMessage(ListRooms.class, this::onListRooms)
        .onMessage(MembersChanged.class, this::onMembersChanged)
        .onMessage(RoomEmpty.class, this::onRoomEmpty)
        .onMessage(RoomStopped.class, this::onRoomStopped)
        .build();
  }

  private Behavior<Command> onForward(Forward f) {
    List<ChatRoom.Command> held = stopping.get(f.room());
    if (held != null) {
      held.add(f.command());
    } else {
      rooms.computeIfAbsent(f.room(), this::start).tell(f.command());
    }
    return this;
  }

  private ActorRef<ChatRoom.Command> start(String room) {
    ActorRef<ChatRoom.Command> ref =
        getContext().spawn(ChatRoom.create(room, settings, host), "room-" + room);
    getContext().watchWith(ref, new RoomStopped(room, ref));
    getContext().getLog().debug("room {} started", room);
    return ref;
  }

  private Behavior<Command> onListRooms(ListRooms list) {
    list.replyTo().tell(new RoomDirectory.RoomList(counts));
    return this;
  }

  private Behavior<Command> onMembersChanged(MembersChanged m) {
    if (m.count() > 0) {
      counts.put(m.room(), m.count());
    } else {
      counts.remove(m.room());
    }
    return this;
  }

  private Behavior<Command> onRoomEmpty(RoomEmpty e) {
    if (e.ref().equals(rooms.get(e.room())) && !stopping.containsKey(e.room())) {
      stopping.put(e.room(), new ArrayList<>());
      e.ref().tell(new ChatRoom.Stop());
    }
    return this;
  }

  private Behavior<Command> onRoomStopped(RoomStopped s) {
    if (!s.ref().equals(rooms.get(s.room()))) {
      return this;
    }
    rooms.remove(s.room());
    counts.remove(s.room());
    getContext().getLog().debug("room {} stopped", s.room());
    List<ChatRoom.Command> held = stopping.remove(s.room());
    if (held != null && !held.isEmpty()) {
      ActorRef<ChatRoom.Command> ref = rooms.computeIfAbsent(s.room(), this::start);
      held.forEach(ref::tell);
    }
    return this;
  }
}
