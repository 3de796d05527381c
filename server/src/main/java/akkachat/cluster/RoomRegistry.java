package akkachat.cluster;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.actor.typed.receptionist.Receptionist;
import akka.actor.typed.receptionist.ServiceKey;
import akkachat.CborSerializable;
import akkachat.room.ChatRoom;
import akkachat.room.RoomDirectory;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The member counts of the rooms hosted on this node, as the rooms report them, for /rooms.
 * Every node has one; a /rooms question asks all of them (found through the receptionist) and
 * adds up their answers, so the list covers the whole cluster and is never older than the
 * question.
 */
public final class RoomRegistry extends AbstractBehavior<RoomRegistry.Command> {

  public static final ServiceKey<Command> KEY =
      ServiceKey.create(Command.class, "akka-chat-room-registry");

  /** How long a /rooms question waits for the other nodes. */
  static final Duration QUERY_TIMEOUT = Duration.ofSeconds(1);

  public sealed interface Command {}

  /** From a room hosted on this node. */
  public record MembersChanged(String room, ActorRef<ChatRoom.Command> ref, int count)
      implements Command {}

  /** From a session on this node: every room in the cluster. */
  public record ListRooms(ActorRef<RoomDirectory.RoomList> replyTo) implements Command {}

  /** From another node's query: the rooms hosted here. */
  public record GetCounts(ActorRef<Counts> replyTo) implements Command, CborSerializable {}

  public record Counts(Map<String, Integer> counts) implements CborSerializable {
    public Counts {
      counts = Map.copyOf(counts);
    }
  }

  private record Registries(Receptionist.Listing listing) implements Command {}

  private record RoomStopped(String room, ActorRef<ChatRoom.Command> ref) implements Command {}

  private record Hosted(ActorRef<ChatRoom.Command> ref, int count) {}

  public static Behavior<Command> create() {
    return Behaviors.setup(RoomRegistry::new);
  }

  private final Map<String, Hosted> hosted = new HashMap<>();
  private Set<ActorRef<Command>> registries = new HashSet<>();

  private RoomRegistry(ActorContext<Command> context) {
    super(context);
    ActorRef<Receptionist.Listing> adapter =
        context.messageAdapter(Receptionist.Listing.class, Registries::new);
    context.getSystem().receptionist().tell(Receptionist.register(KEY, context.getSelf()));
    context.getSystem().receptionist().tell(Receptionist.subscribe(KEY, adapter));
    registries.add(context.getSelf());
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(MembersChanged.class, this::onMembersChanged)
        .onMessage(ListRooms.class, this::onListRooms)
        .onMessage(GetCounts.class, this::onGetCounts)
        .onMessage(Registries.class, this::onRegistries)
        .onMessage(RoomStopped.class, this::onRoomStopped)
        .build();
  }

  private Behavior<Command> onMembersChanged(MembersChanged m) {
    Hosted before = hosted.get(m.room());
    if (before != null && !before.ref().equals(m.ref())) {
      getContext().unwatch(before.ref());
    }
    if (m.count() == 0) {
      hosted.remove(m.room());
      getContext().unwatch(m.ref());
    } else {
      if (before == null || !before.ref().equals(m.ref())) {
        getContext().watchWith(m.ref(), new RoomStopped(m.room(), m.ref()));
      }
      hosted.put(m.room(), new Hosted(m.ref(), m.count()));
    }
    return this;
  }

  private Behavior<Command> onRoomStopped(RoomStopped s) {
    Hosted h = hosted.get(s.room());
    if (h != null && h.ref().equals(s.ref())) {
      hosted.remove(s.room());
    }
    return this;
  }

  private Behavior<Command> onListRooms(ListRooms list) {
    getContext().spawnAnonymous(RoomsQuery.create(registries, list.replyTo(), QUERY_TIMEOUT));
    return this;
  }

  private Behavior<Command> onGetCounts(GetCounts get) {
    Map<String, Integer> counts = new HashMap<>();
    hosted.forEach((room, h) -> counts.put(room, h.count()));
    get.replyTo().tell(new Counts(counts));
    return this;
  }

  private Behavior<Command> onRegistries(Registries r) {
    Set<ActorRef<Command>> found = new HashSet<>(r.listing().getServiceInstances(KEY));
    found.add(getContext().getSelf());
    registries = found;
    return this;
  }
}
