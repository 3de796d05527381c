package akkachat.cluster;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.cluster.ddata.Key;
import akka.cluster.ddata.LWWMap;
import akka.cluster.ddata.LWWMapKey;
import akka.cluster.ddata.SelfUniqueAddress;
import akka.cluster.ddata.typed.javadsl.DistributedData;
import akka.cluster.ddata.typed.javadsl.Replicator;
import akka.cluster.ddata.typed.javadsl.ReplicatorMessageAdapter;
import akkachat.room.ChatRoom;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The cluster's memory of who is in each room, kept in Distributed Data (LWW maps written to a
 * majority of nodes) by the rooms hosted on this node. When a room's node is lost and the room
 * starts again elsewhere, the new incarnation reads it and takes the members over: the
 * survivors carry on, and those lost with the node are reported as disconnected.
 *
 * <p>A room's members are spread over {@link #BUCKETS} maps by name, because Distributed Data
 * serializes, digests and gossips a changed map whole: with one map per room every join of a
 * 1,000-member room cost work in proportion to the room, logins in a cluster ran at ~30/s, and
 * the big messages held up the chat lines behind them between nodes.
 *
 * <p>The maps are shared: a room's maps are those of its slot, one of {@link #SLOTS}, and an
 * entry's key is the room's name and the member's. Distributed Data never forgets a key (a
 * deleted one stays as a tombstone), so maps named after rooms grew by one for every room name
 * anybody ever typed: a client hopping through made-up rooms filled the heap of every node.
 * Now there are at most {@code SLOTS * BUCKETS} maps, and a map holds only present members.
 */
public final class RoomRoster extends AbstractBehavior<RoomRoster.Command> {

  public sealed interface Command {}

  /** Remember {@code member} under {@code key} in {@code room}; forget the key if it is null. */
  public record Remember(String room, String key, ChatRoom.Member member) implements Command {}

  /** Answer {@code replyTo} with a {@link ChatRoom.Recalled} of the room's remembered members. */
  public record Recall(String room, ActorRef<ChatRoom.Command> replyTo) implements Command {}

  /**
   * Answer {@code replyTo} with a {@link ChatRoom.Remembered} once every {@link Remember} of the
   * room so far has reached a majority of the nodes (or failed to in time), so that a later
   * incarnation of the room, wherever it starts, reads what this one wrote.
   */
  public record WhenWritten(String room, ActorRef<ChatRoom.Command> replyTo) implements Command {}

  private record Written(String room,
      Replicator.UpdateResponse<LWWMap<String, ChatRoom.Member>> response) implements Command {}

  private record Read(Replicator.GetResponse<LWWMap<String, ChatRoom.Member>> response,
      long recall, boolean local) implements Command {}

  /** A recall under way: the buckets not yet read, and the members found so far. */
  private static final class Recalling {
    final String prefix; // of the room's entries
    final ActorRef<ChatRoom.Command> replyTo;
    int pending = BUCKETS;
    final List<ChatRoom.Member> members = new ArrayList<>();

    Recalling(String room, ActorRef<ChatRoom.Command> replyTo) {
      this.prefix = entry(room, "");
      this.replyTo = replyTo;
    }
  }

  /** How many maps one room's members are spread over. */
  static final int BUCKETS = 32;
  /** How many groups of {@link #BUCKETS} maps the rooms share. */
  static final int SLOTS = 128;

  private static final Replicator.WriteConsistency WRITE =
      new Replicator.WriteMajority(Duration.ofSeconds(3));
  // A room waits for this read before it serves anyone: short, then what this node has.
  private static final Replicator.ReadConsistency READ =
      new Replicator.ReadMajority(Duration.ofMillis(750));

  public static Behavior<Command> create() {
    return Behaviors.setup(ctx ->
        DistributedData.<Command, LWWMap<String, ChatRoom.Member>>withReplicatorMessageAdapter(
            adapter -> new RoomRoster(ctx, adapter)));
  }

  private final ReplicatorMessageAdapter<Command, LWWMap<String, ChatRoom.Member>> replicator;
  private final SelfUniqueAddress node;
  private final Map<Long, Recalling> recalls = new HashMap<>();
  /** Per room, its writes not yet answered, and who waits for them. */
  private final Map<String, Integer> writing = new HashMap<>();
  private final Map<String, List<ActorRef<ChatRoom.Command>>> waiting = new HashMap<>();
  private long nextRecall;

  private RoomRoster(ActorContext<Command> context,
      ReplicatorMessageAdapter<Command, LWWMap<String, ChatRoom.Member>> replicator) {
    super(context);
    this.replicator = replicator;
    this.node = DistributedData.get(context.getSystem()).selfUniqueAddress();
  }

  /** The map that holds {@code memberKey}'s entry for {@code room}. */
  static Key<LWWMap<String, ChatRoom.Member>> key(String room, String memberKey) {
    return key(room, Math.floorMod(memberKey.hashCode(), BUCKETS));
  }

  private static Key<LWWMap<String, ChatRoom.Member>> key(String room, int bucket) {
    int slot = Math.floorMod(room.hashCode(), SLOTS);
    return LWWMapKey.create("room-members-" + slot + "-" + bucket);
  }

  /** An entry's key in a shared map; room names have no space in them. */
  private static String entry(String room, String memberKey) {
    return room + " " + memberKey;
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Remember.class, this::onRemember)
        .onMessage(Recall.class, this::onRecall)
        .onMessage(Read.class, this::onRead)
        .onMessage(WhenWritten.class, this::onWhenWritten)
        .onMessage(Written.class, this::onWritten)
        .build();
  }

  private Behavior<Command> onRemember(Remember r) {
    replicator.askUpdate(
        replyTo -> new Replicator.Update<>(key(r.room(), r.key()), LWWMap.empty(), WRITE,
            replyTo, map -> r.member() == null
                ? map.remove(node, entry(r.room(), r.key()))
                : map.put(node, entry(r.room(), r.key()), r.member())),
        response -> new Written(r.room(), response));
    writing.merge(r.room(), 1, Integer::sum);
    return this;
  }

  private Behavior<Command> onWhenWritten(WhenWritten w) {
    if (writing.containsKey(w.room())) {
      waiting.computeIfAbsent(w.room(), r -> new ArrayList<>()).add(w.replyTo());
    } else {
      w.replyTo().tell(new ChatRoom.Remembered());
    }
    return this;
  }

  private Behavior<Command> onWritten(Written w) {
    if (writing.merge(w.room(), -1, Integer::sum) == 0) {
      writing.remove(w.room());
      List<ActorRef<ChatRoom.Command>> waiters = waiting.remove(w.room());
      if (waiters != null) {
        waiters.forEach(r -> r.tell(new ChatRoom.Remembered()));
      }
    }
    return this;
  }

  private Behavior<Command> onRecall(Recall r) {
    long recall = nextRecall++;
    recalls.put(recall, new Recalling(r.room(), r.replyTo()));
    for (int b = 0; b < BUCKETS; b++) {
      Key<LWWMap<String, ChatRoom.Member>> key = key(r.room(), b);
      replicator.askGet(replyTo -> new Replicator.Get<>(key, READ, replyTo),
          response -> new Read(response, recall, false));
    }
    return this;
  }

  private Behavior<Command> onRead(Read read) {
    Recalling recalling = recalls.get(read.recall());
    if (recalling == null) {
      return this;
    }
    if (read.response() instanceof Replicator.GetSuccess<LWWMap<String, ChatRoom.Member>> ok) {
      ok.get(ok.key()).getEntries().forEach((entry, member) -> {
        if (entry.startsWith(recalling.prefix)) {
          recalling.members.add(member);
        }
      });
    } else if (read.response() instanceof Replicator.GetFailure && !read.local()) {
      // No majority answered in time: what this node has is better than nothing.
      replicator.askGet(
          replyTo -> new Replicator.Get<>(read.response().key(), Replicator.readLocal(), replyTo),
          response -> new Read(response, read.recall(), true));
      return this;
    }
    if (--recalling.pending == 0) {
      recalls.remove(read.recall());
      recalling.replyTo.tell(new ChatRoom.Recalled(recalling.members));
    }
    return this;
  }
}
