package akkachat.room;

import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Receive;
import akka.actor.typed.javadsl.StashBuffer;
import akka.actor.typed.javadsl.TimerScheduler;
import akkachat.config.ChatSettings;
import akkachat.room.ChatRoom.Command;
import akkachat.room.ChatRoom.RecallExpired;
import akkachat.room.ChatRoom.Recalled;

import java.time.Duration;
import java.util.List;

/**
 * The first phase of a room: it asks its host for the members an earlier incarnation left and
 * holds every message until they come (or {@link #RECALL_TIMEOUT} passes), then goes on as a
 * {@link ChatRoom} with them, so no join is decided before the members it might clash with.
 */
final class Recalling extends AbstractBehavior<Command> {
  /** How long a room waits for its memory before it starts without it. */
  static final Duration RECALL_TIMEOUT = Duration.ofSeconds(5);

  private final StashBuffer<Command> stash;
  private final TimerScheduler<Command> timers;
  private final String room;
  private final ChatSettings settings;
  private final RoomHost host;

  Recalling(ActorContext<Command> context, StashBuffer<Command> stash,
      TimerScheduler<Command> timers, String room, ChatSettings settings, RoomHost host) {
    super(context);
    this.stash = stash;
    this.timers = timers;
    this.room = room;
    this.settings = settings;
    this.host = host;
    host.recall(room, context.getSelf());
    timers.startSingleTimer(RecallExpired.class, new RecallExpired(), RECALL_TIMEOUT);
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Recalled.class, this::onRecalled)
        .onMessage(RecallExpired.class, this::onRecallExpired)
        .onAnyMessage(this::hold)
        .build();
  }

  private Behavior<Command> onRecalled(Recalled r) {
    timers.cancel(RecallExpired.class);
    return stash.unstashAll(ChatRoom.open(getContext(), timers, room, settings, host, r.members()));
  }

  private Behavior<Command> onRecallExpired(RecallExpired r) {
    getContext().getLog().warn("room {} starts without its earlier members: no answer", room);
    return stash.unstashAll(ChatRoom.open(getContext(), timers, room, settings, host, List.of()));
  }

  private Behavior<Command> hold(Command m) {
    stash.stash(m);
    return this;
  }
}
