package akkachat.session;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akkachat.protocol.Lines;
import akkachat.protocol.Names;
import akkachat.room.ChatRoom;
import akkachat.session.Session.Ack;
import akkachat.session.Session.Announced;
import akkachat.session.Session.Command;
import akkachat.session.Session.ForgetLeft;
import akkachat.session.Session.JoinRejected;
import akkachat.session.Session.Joined;
import akkachat.session.Session.RequestTimedOut;
import akkachat.session.Session.RoomStopped;

import java.time.Duration;
import java.util.Optional;

/**
 * The phases of a session waiting for the target room of a /join, then for its arrival there to
 * be announced (the new room does so once the old one has let the session go): the client's next
 * line waits for both, so that it reaches the new room's members after the "just joined" line.
 * If the old room dies meanwhile, the move goes on: the new room is then told to announce the
 * arrival by the session itself, and if the move fails the session joins the old room's new
 * incarnation again.
 */
final class Moving extends AbstractBehavior<Command> {
  /**
   * How long a room left by a /join stays watched: its end, if it came before the leave, is
   * reported within Artery's flush timeout (3 s) of it.
   */
  private static final Duration LEFT_WATCH = Duration.ofSeconds(10);

  private final Session session;
  private final Link link;
  private final Place place;
  private final String target;
  private final ActorRef<Ack> ackTo;

  /** The user typed /join {@code room}: moves there, or says why not and stays. */
  static Behavior<Command> start(ActorContext<Command> context, Session session, Link link,
      Place place, String room, ActorRef<Ack> ackTo) {
    Optional<String> target = Names.roomName(room);
    if (target.isEmpty()) {
      link.send(Lines.INVALID_ROOM);
    } else if (target.get().equals(place.roomName())) {
      link.send(Lines.alreadyInRoom(place.roomName()));
    } else {
      return new Moving(context, session, link, place, target.get(), ackTo);
    }
    ackTo.tell(Ack.INSTANCE);
    return Behaviors.same();
  }

  private Moving(ActorContext<Command> context, Session session, Link link, Place place,
      String target, ActorRef<Ack> ackTo) {
    super(context);
    this.session = session;
    this.link = link;
    this.place = place;
    this.target = target;
    this.ackTo = ackTo;
    place.join(target, ChatRoom.JoinMode.MOVE);
    link.timers().startSingleTimer(Session.REQUEST_TIMER, new RequestTimedOut(),
        link.settings().requestTimeout());
    place.movingTo(target);
  }

  @Override
  public Receive<Command> createReceive() {
    return session.awaitingAnswer(newReceiveBuilder()
        .onMessage(Joined.class, j -> j.room().equals(target), this::onJoined)
        .onMessage(JoinRejected.class, r -> r.room().equals(target), this::onRejected)
        .onMessage(RequestTimedOut.class, this::onTimedOut)
        .onMessage(RoomStopped.class, s -> s.room().equals(place.room()), this::onRoomStopped))
        .build();
  }

  private Behavior<Command> onJoined(Joined joined) {
    link.timers().cancel(Session.REQUEST_TIMER);
    ActorRef<ChatRoom.Command> old = place.leaveFor(target);
    if (old != null) {
      // The old room announces the move once it has let the session go; but it may have
      // stopped before the leave reached it (a join landing while it passivated), with
      // its end not yet known here. So it stays watched a while.
      place.watchLeft(old, target);
      link.timers().startSingleTimer(new ForgetLeft(old), new ForgetLeft(old), LEFT_WATCH);
    }
    session.enterRoom(joined);
    link.send(Lines.nowChattingIn(place.roomName()));
    link.send(Lines.usersOnline(joined.members()));
    link.timers().startSingleTimer(Session.REQUEST_TIMER, new RequestTimedOut(),
        link.settings().requestTimeout());
    return arriving();
  }

  // ---- phase: in the new room, waiting for it to announce the arrival ----

  private Behavior<Command> arriving() {
    return session.awaitingAnswer(newReceiveBuilder()
        .onMessage(Announced.class, a -> a.room().equals(target), a -> arrived())
        .onMessage(RequestTimedOut.class, t -> arrived()) // it will not come: go on without
        .onMessage(RoomStopped.class, s -> s.room().equals(place.room()), this::onNewRoomStopped))
        .build();
  }

  private Behavior<Command> arrived() {
    link.timers().cancel(Session.REQUEST_TIMER);
    place.announced(target);
    place.openDirectLine();
    return session.answered(ackTo);
  }

  private Behavior<Command> onNewRoomStopped(RoomStopped stopped) {
    link.timers().cancel(Session.REQUEST_TIMER);
    return session.answered(ackTo, () -> session.onRoomStopped(stopped));
  }

  private Behavior<Command> onRejected(JoinRejected rejected) {
    link.send(Lines.nameTakenInRoom(place.name(), target));
    return failed();
  }

  private Behavior<Command> onTimedOut(RequestTimedOut timedOut) {
    link.send(Lines.TRY_AGAIN);
    return failed();
  }

  private Behavior<Command> onRoomStopped(RoomStopped stopped) {
    place.roomStopped();
    return Behaviors.same();
  }

  private Behavior<Command> failed() {
    link.timers().cancel(Session.REQUEST_TIMER);
    place.stayed();
    return session.answered(ackTo, place.room() != null ? session::chatting : session::rejoin);
  }
}
