package akkachat.cluster;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorRefResolver;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.actor.typed.javadsl.ReceiveBuilder;
import akka.actor.typed.javadsl.TimerScheduler;
import akka.cluster.Member;
import akka.cluster.MemberStatus;
import akka.cluster.typed.Cluster;
import akka.cluster.typed.SelfUp;
import akka.cluster.typed.Subscribe;
import akkachat.CborSerializable;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.StreamSupport;

/**
 * Tells its parent once this node is Up and every other member sees it Up, and answers the
 * same question for the nodes that come after. Clients may come in only then: a room can
 * death-watch a session only on a node that its own node sees Up. Before that, Akka drops the
 * watch or, if an earlier incarnation at the same address was removed (a restarted node),
 * reports the session dead at once, and the room drops a user who is still there.
 */
public final class Arrival extends AbstractBehavior<Arrival.Command> {

  public sealed interface Command {}

  /** From a node that is Up: answer {@link Seen} if this node sees it Up too. */
  public record SeeMe(String address, long uid, ActorRef<Command> replyTo)
      implements Command, CborSerializable {}

  /** The node at {@code address} sees the asker Up. */
  public record Seen(String address) implements Command, CborSerializable {}

  /** To the parent: every member sees this node Up. */
  public record Arrived() {}

  private record NodeUp() implements Command {}

  private enum AskAgain implements Command { INSTANCE }

  /** The name every node gives this actor, so that the others find it by its path. */
  public static final String NAME = "arrival";

  /** How often the members that have not said they see this node Up are asked again. */
  private static final Duration ASK_EVERY = Duration.ofMillis(200);

  public static Behavior<Command> create(ActorRef<Arrived> parent) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers ->
        new Arrival(ctx, timers, parent)));
  }

  private final TimerScheduler<Command> timers;
  private final ActorRef<Arrived> parent;
  private final Cluster cluster;
  /** The members that have said they see this node Up. */
  private final Set<String> seenBy = new HashSet<>();

  private Arrival(ActorContext<Command> context, TimerScheduler<Command> timers,
      ActorRef<Arrived> parent) {
    super(context);
    this.timers = timers;
    this.parent = parent;
    this.cluster = Cluster.get(context.getSystem());
    cluster.subscriptions().tell(Subscribe.create(
        context.messageAdapter(SelfUp.class, up -> new NodeUp()), SelfUp.class));
  }

  // ---- phase: not Up yet ----

  @Override
  public Receive<Command> createReceive() {
    return answering(newReceiveBuilder()
        .onMessage(NodeUp.class, this::onNodeUp))
        .build();
  }

  private Behavior<Command> onNodeUp(NodeUp up) {
    if (!askUnseen()) {
      return arrived();
    }
    return answering(newReceiveBuilder()
        .onMessage(Seen.class, this::onSeen)
        .onMessage(AskAgain.class, this::onAskAgain))
        .build();
  }

  // ---- phase: Up, asking the others whether they see it so ----

  private Behavior<Command> onSeen(Seen seen) {
    seenBy.add(seen.address());
    return unseen().isEmpty() ? arrived() : Behaviors.same();
  }

  private Behavior<Command> onAskAgain(AskAgain again) {
    return askUnseen() ? Behaviors.same() : arrived();
  }

  /**
   * Asks every member that has not said it sees this node Up (the member list is read anew each
   * time: one lost or gone is asked no more), and asks again a moment later; false if there is
   * none left to ask.
   */
  private boolean askUnseen() {
    Set<Member> unseen = unseen();
    if (unseen.isEmpty()) {
      return false;
    }
    Member self = cluster.selfMember();
    SeeMe question = new SeeMe(self.address().toString(), self.uniqueAddress().longUid(),
        getContext().getSelf());
    ActorRefResolver resolver = ActorRefResolver.get(getContext().getSystem());
    for (Member m : unseen) {
      resolver.<Command>resolveActorRef(m.address() + "/user/" + NAME).tell(question);
    }
    timers.startSingleTimer(AskAgain.INSTANCE, ASK_EVERY);
    return true;
  }

  /** The reachable members but this one that have not said they see it Up. */
  private Set<Member> unseen() {
    var state = cluster.state();
    Set<Member> unseen = new HashSet<>();
    for (Member m : state.getMembers()) {
      if (!m.equals(cluster.selfMember()) && !state.getUnreachable().contains(m)
          && !seenBy.contains(m.address().toString())) {
        unseen.add(m);
      }
    }
    return unseen;
  }

  private Behavior<Command> arrived() {
    timers.cancel(AskAgain.INSTANCE);
    getContext().getLog().debug("every member sees this node Up");
    parent.tell(new Arrived());
    return answering(newReceiveBuilder()).build();
  }

  // ---- every phase ----

  private ReceiveBuilder<Command> answering(ReceiveBuilder<Command> builder) {
    return builder
        .onMessage(SeeMe.class, this::onSeeMe)
        .onMessage(Seen.class, seen -> Behaviors.same())
        .onMessage(AskAgain.class, again -> Behaviors.same());
  }

  /** Answers only if this node sees the asker Up: it asks again until then. */
  private Behavior<Command> onSeeMe(SeeMe q) {
    boolean up = StreamSupport.stream(cluster.state().getMembers().spliterator(), false)
        .anyMatch(m -> m.address().toString().equals(q.address())
            && m.uniqueAddress().longUid() == q.uid()
            && (m.status() == MemberStatus.up() || m.status() == MemberStatus.weaklyUp()));
    if (up) {
      q.replyTo().tell(new Seen(cluster.selfMember().address().toString()));
    }
    return Behaviors.same();
  }
}
