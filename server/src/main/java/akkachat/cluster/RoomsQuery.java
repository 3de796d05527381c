package akkachat.cluster;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akkachat.room.RoomDirectory;

import java.time.Duration;
import java.util.Set;
import java.util.TreeMap;

/**
 * One /rooms question: asks every node's {@link RoomRegistry}, adds up what comes back within
 * the timeout, answers and stops. A node that does not answer in time is left out.
 */
final class RoomsQuery extends AbstractBehavior<RoomsQuery.Command> {

  sealed interface Command {}

  private record Answer(RoomRegistry.Counts counts) implements Command {}

  private record TimedOut() implements Command {}

  static Behavior<Command> create(Set<ActorRef<RoomRegistry.Command>> registries,
      ActorRef<RoomDirectory.RoomList> replyTo, Duration timeout) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
      timers.startSingleTimer(new TimedOut(), timeout);
      return new RoomsQuery(ctx, registries, replyTo);
    }));
  }

  private final ActorRef<RoomDirectory.RoomList> replyTo;
  private final TreeMap<String, Integer> counts = new TreeMap<>();
  private int waiting;

  private RoomsQuery(ActorContext<Command> context, Set<ActorRef<RoomRegistry.Command>> registries,
      ActorRef<RoomDirectory.RoomList> replyTo) {
    super(context);
    this.replyTo = replyTo;
    this.waiting = registries.size();
    ActorRef<RoomRegistry.Counts> adapter =
        context.messageAdapter(RoomRegistry.Counts.class, Answer::new);
    registries.forEach(r -> r.tell(new RoomRegistry.GetCounts(adapter)));
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Answer.class, this::onAnswer)
        .onMessage(TimedOut.class, t -> reply())
        .build();
  }

  private Behavior<Command> onAnswer(Answer a) {
    a.counts().counts().forEach((room, n) -> counts.merge(room, n, Integer::sum));
    return --waiting <= 0 ? reply() : this;
  }

  private Behavior<Command> reply() {
    replyTo.tell(new RoomDirectory.RoomList(counts));
    return Behaviors.stopped();
  }
}
