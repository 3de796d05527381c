package akkachat.cluster;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.AskPattern;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.cluster.ddata.Key;
import akka.cluster.ddata.LWWMap;
import akka.cluster.ddata.LWWMapKey;
import akka.cluster.ddata.SelfUniqueAddress;
import akka.cluster.ddata.typed.javadsl.DistributedData;
import akka.cluster.ddata.typed.javadsl.Replicator;
import akkachat.room.ChatRoom;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;

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
 *
 * <p>The roster asks the Replicator itself rather than through Akka's ReplicatorMessageAdapter,
 * which throws when an answer does not come within its "unexpected" timeout (20 s) and so would
 * stop the roster for good the first time the Replicator fell that far behind. Here an answer
 * that does not come in time counts as a write that did not reach a majority, or a read that
 * found nothing, and the roster carries on.
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

  /** A write of {@code room}'s has been answered, or was not in time. */
  private record Written(String room) implements Command {}

  /** The Replicator's answer to a read of {@code key}, or null if none came in time. */
  private record Read(Key<LWWMap<String, ChatRoom.Member>> key,
      Replicator.GetResponse<LWWMap<String, ChatRoom.Member>> response, long recall,
      boolean local) implements Command {}

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

  /**
   * How long the roster waits for the Replicator's answer, which it gives within its own
   * timeout ({@link #WRITE}, {@link #READ}) unless it is that far behind.
   */
  static final Duration ASK_TIMEOUT = Duration.ofSeconds(5);

  public static Behavior<Command> create() {
    return Behaviors.setup(ctx -> new RoomRoster(ctx,
        DistributedData.get(ctx.getSystem()).replicator(), ASK_TIMEOUT));
  }

  /** A roster that asks {@code replicator} and waits {@code askTimeout} for each answer. */
  static Behavior<Command> create(ActorRef<Replicator.Command> replicator, Duration askTimeout) {
    return Behaviors.setup(ctx -> new RoomRoster(ctx, replicator, askTimeout));
  }

  private final ActorRef<Replicator.Command> replicator;
  private final Duration askTimeout;
  private final SelfUniqueAddress node;
  private final Map<Long, Recalling> recalls = new HashMap<>();
  /** Per room, its writes not yet answered, and who waits for them. */
  private final Map<String, Integer> writing = new HashMap<>();
  private final Map<String, List<ActorRef<ChatRoom.Command>>> waiting = new HashMap<>();
  private long nextRecall;

  private RoomRoster(ActorContext<Command> context, ActorRef<Replicator.Command> replicator,
      Duration askTimeout) {
    super(context);
    this.replicator = replicator;
    this.askTimeout = askTimeout;
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
    // Written or not in time, the room is told the same: it cannot do better than try.
    this.<Replicator.UpdateResponse<LWWMap<String, ChatRoom.Member>>>ask(
        replyTo -> new Replicator.Update<>(key(r.room(), r.key()), LWWMap.empty(), WRITE,
            replyTo, map -> r.member() == null
                ? map.remove(node, entry(r.room(), r.key()))
                : map.put(node, entry(r.room(), r.key()), r.member())),
        (response, failure) -> new Written(r.room()));
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
      read(key(r.room(), b), READ, recall, false);
    }
    return this;
  }

  private void read(Key<LWWMap<String, ChatRoom.Member>> key, Replicator.ReadConsistency
      consistency, long recall, boolean local) {
    this.<Replicator.GetResponse<LWWMap<String, ChatRoom.Member>>>ask(
        replyTo -> new Replicator.Get<>(key, consistency, replyTo),
        (response, failure) -> new Read(key, response, recall, local));
  }

  /**
   * Asks the Replicator; {@code toMessage} gets its answer, or null and the failure if none
   * came within the ask timeout. Not ActorContext.ask: its javadsl hands the answer over with
   * pipeToSelf, which (like ChatServer's connection ends) would start a thread per answer on
   * two cores or fewer; a tell where the answer arrives needs none.
   */
  private <R> void ask(Function<ActorRef<R>, Replicator.Command> request,
      BiFunction<R, Throwable, Command> toMessage) {
    ActorRef<Command> self = getContext().getSelf();
    AskPattern.ask(replicator, request::apply, askTimeout, getContext().getSystem().scheduler())
        .whenCompleteAsync((response, failure) -> self.tell(toMessage.apply(response, failure)),
            Runnable::run);
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
    } else if (!read.local() && (read.response() == null
        || read.response() instanceof Replicator.GetFailure)) {
      // No majority answered in time, or no answer came: what this node has is better than
      // nothing.
      read(read.key(), Replicator.readLocal(), read.recall(), true);
      return this;
    }
    if (--recalling.pending == 0) {
      recalls.remove(read.recall());
      recalling.replyTo.tell(new ChatRoom.Recalled(recalling.members));
    }
    return this;
  }
}
