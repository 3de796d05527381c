package akkachat.session;

import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akkachat.protocol.Lines;
import akkachat.session.Session.Command;
import akkachat.session.Session.Deliver;

import java.time.Duration;

/**
 * The last phase of a logged-in session, leaving on the user's own account (/quit, end of
 * input): the echoes of the lines it sent just before, and the notice of its own arrival in the
 * room if that is still on its way, still come to it, then the last line and the close. Waits at
 * most {@link #DRAIN_TIMEOUT} for them.
 */
final class Leaving extends AbstractBehavior<Command> {
  /** How long a leaving session waits for the echoes of its last lines and its arrival. */
  private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(2);
  private static final String DRAIN_TIMER = "drain";

  private final Link link;
  private final Place place;
  private final String lastLine;
  private final String reason;

  /** Closes at once if the client has all it waits for, else once it has. */
  static Behavior<Command> leave(ActorContext<Command> context, Link link, Place place,
      String lastLine, String reason) {
    if (place.settled()) {
      return close(context, link, place.name(), lastLine, reason);
    }
    return new Leaving(context, link, place, lastLine, reason);
  }

  private Leaving(ActorContext<Command> context, Link link, Place place, String lastLine,
      String reason) {
    super(context);
    this.link = link;
    this.place = place;
    this.lastLine = lastLine;
    this.reason = reason;
    link.timers().startSingleTimer(DRAIN_TIMER, new Session.Drained(), DRAIN_TIMEOUT);
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Deliver.class, this::onDeliver)
        .onMessage(Session.Announced.class, this::onAnnounced)
        .onMessage(Session.Drained.class, t -> close(lastLine, reason))
        .onMessage(Session.Shutdown.class, t -> close(Lines.SHUTTING_DOWN, "server shutting down"))
        .onMessage(Session.StreamFailed.class,
            f -> close(null, "connection failed: " + f.cause().getMessage()))
        .onAnyMessage(m -> Behaviors.same())
        .build();
  }

  private Behavior<Command> onDeliver(Deliver d) {
    place.deliver(d);
    return place.settled() ? close(lastLine, reason) : Behaviors.same();
  }

  private Behavior<Command> onAnnounced(Session.Announced announced) {
    place.announced(announced.room());
    return place.settled() ? close(lastLine, reason) : Behaviors.same();
  }

  private Behavior<Command> close(String lastLine, String reason) {
    return close(getContext(), link, place.name(), lastLine, reason);
  }

  /** Sends the last line (if any), completes the outbound queue and stops the session. */
  static Behavior<Command> close(ActorContext<Command> context, Link link, String name,
      String lastLine, String reason) {
    link.finish(lastLine);
    context.getLog().info("leave {} from {}: {}", name, link.remote(), reason);
    return Behaviors.stopped();
  }
}
