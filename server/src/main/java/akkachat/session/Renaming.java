package akkachat.session;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akkachat.protocol.Lines;
import akkachat.protocol.Names;
import akkachat.session.Session.Ack;
import akkachat.session.Session.Command;
import akkachat.session.Session.RenameRejected;
import akkachat.session.Session.Renamed;
import akkachat.session.Session.RequestTimedOut;
import akkachat.session.Session.RoomStopped;

/**
 * The phase of a session waiting for its room's answer to a /nick: the room is the only judge
 * of whether a name is free in it. The user's next line waits until the answer has come.
 */
final class Renaming extends AbstractBehavior<Command> {
  private final Session session;
  private final Link link;
  private final Place place;
  private final ActorRef<Ack> ackTo;

  /** The user typed /nick {@code name}: asks the room, or says why not. */
  static Behavior<Command> start(ActorContext<Command> context, Session session, Link link,
      Place place, String name, ActorRef<Ack> ackTo) {
    if (!Names.isValidUsername(name)) {
      link.send(Lines.INVALID_USERNAME);
      ackTo.tell(Ack.INSTANCE);
      return Behaviors.same();
    }
    return new Renaming(context, session, link, place, name, ackTo);
  }

  private Renaming(ActorContext<Command> context, Session session, Link link, Place place,
      String name, ActorRef<Ack> ackTo) {
    super(context);
    this.session = session;
    this.link = link;
    this.place = place;
    this.ackTo = ackTo;
    place.rename(name);
    link.timers().startSingleTimer(Session.REQUEST_TIMER, new RequestTimedOut(),
        link.settings().requestTimeout());
  }

  @Override
  public Receive<Command> createReceive() {
    return session.awaitingAnswer(newReceiveBuilder()
        .onMessage(Renamed.class, r -> r.room().equals(place.roomName()), this::onRenamed)
        .onMessage(RenameRejected.class, r -> r.room().equals(place.roomName()), this::onRejected)
        .onMessage(RequestTimedOut.class, this::onTimedOut)
        .onMessage(RoomStopped.class, s -> s.room().equals(place.room()), this::onRoomStopped))
        .build();
  }

  private Behavior<Command> onRenamed(Renamed renamed) {
    link.timers().cancel(Session.REQUEST_TIMER);
    getContext().getLog().info("rename {} to {} in room {}", place.name(), renamed.name(),
        place.roomName());
    place.renamed(renamed.name());
    return done();
  }

  private Behavior<Command> onRejected(RenameRejected rejected) {
    link.timers().cancel(Session.REQUEST_TIMER);
    link.send(Lines.nameTaken(rejected.name()));
    return done();
  }

  private Behavior<Command> onTimedOut(RequestTimedOut timedOut) {
    link.send(Lines.TRY_AGAIN);
    return done();
  }

  private Behavior<Command> onRoomStopped(RoomStopped stopped) {
    link.send(Lines.TRY_AGAIN); // the rename may not have reached the room
    return session.answered(ackTo, () -> session.onRoomStopped(stopped));
  }

  private Behavior<Command> done() {
    return session.answered(ackTo);
  }
}
