package akkachat.session;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.actor.typed.javadsl.StashBuffer;
import akka.actor.typed.javadsl.TimerScheduler;
import akkachat.config.ChatSettings;
import akkachat.ops.NodeMetrics;
import akkachat.protocol.Lines;
import akkachat.room.RoomDirectory;
import akkachat.session.Session.Attach;
import akkachat.session.Session.Command;

/**
 * The first phase of a session: its connection's outbound queue exists only once the
 * connection's stream runs, so whatever comes before it is held until {@link Attach} brings it.
 */
final class Attaching extends AbstractBehavior<Command> {
  private final StashBuffer<Command> stash;
  private final TimerScheduler<Command> timers;
  private final ChatSettings settings;
  private final RoomDirectory directory;
  private final ActorRef<Fanout.Command> fanout;
  private final String remote;

  Attaching(ActorContext<Command> context, StashBuffer<Command> stash,
      TimerScheduler<Command> timers, ChatSettings settings, RoomDirectory directory,
      ActorRef<Fanout.Command> fanout, String remote) {
    super(context);
    this.stash = stash;
    this.timers = timers;
    this.settings = settings;
    this.directory = directory;
    this.fanout = fanout;
    this.remote = remote;
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Attach.class, this::onAttach)
        .onAnyMessage(this::hold)
        .build();
  }

  private Behavior<Command> onAttach(Attach attach) {
    Link link = new Link(stash, timers, settings, directory, fanout, attach.out(), remote,
        new Lines(settings.newline()), NodeMetrics.get(getContext().getSystem()));
    return stash.unstashAll(new Login(getContext(), link));
  }

  private Behavior<Command> hold(Command command) {
    stash.stash(command);
    return Behaviors.same();
  }
}
