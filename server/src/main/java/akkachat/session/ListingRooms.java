package akkachat.session;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Receive;
import akkachat.protocol.Lines;
import akkachat.room.RoomDirectory;
import akkachat.session.Session.Ack;
import akkachat.session.Session.Command;
import akkachat.session.Session.RequestTimedOut;
import akkachat.session.Session.RoomStopped;
import akkachat.session.Session.RoomsListed;

/**
 * The phase of a session waiting for the answer to /rooms, which comes from the room directory,
 * not from its room: the user's next line (and end of input) waits for it, so the answer stands
 * where it was asked for, before the answers to later lines, and before a /quit's Bye.
 */
final class ListingRooms extends AbstractBehavior<Command> {
  private final Session session;
  private final Link link;
  private final Place place;
  private final ActorRef<Ack> ackTo;

  /** The user typed /rooms: asks the directory, answering to {@code replyTo}. */
  static Behavior<Command> start(ActorContext<Command> context, Session session, Link link,
      Place place, ActorRef<RoomDirectory.RoomList> replyTo, ActorRef<Ack> ackTo) {
    return new ListingRooms(context, session, link, place, replyTo, ackTo);
  }

  private ListingRooms(ActorContext<Command> context, Session session, Link link, Place place,
      ActorRef<RoomDirectory.RoomList> replyTo, ActorRef<Ack> ackTo) {
    super(context);
    this.session = session;
    this.link = link;
    this.place = place;
    this.ackTo = ackTo;
    link.directory().listRooms(replyTo);
    link.timers().startSingleTimer(Session.REQUEST_TIMER, new RequestTimedOut(),
        link.settings().requestTimeout());
  }

  @Override
  public Receive<Command> createReceive() {
    return session.awaitingAnswer(newReceiveBuilder()
        .onMessage(RoomsListed.class, this::onListed)
        .onMessage(RequestTimedOut.class, this::onTimedOut)
        .onMessage(RoomStopped.class, s -> s.room().equals(place.room()), this::onRoomStopped))
        .build();
  }

  private Behavior<Command> onListed(RoomsListed listed) {
    link.timers().cancel(Session.REQUEST_TIMER);
    link.send(Lines.rooms(listed.rooms().counts()));
    return session.answered(ackTo);
  }

  private Behavior<Command> onTimedOut(RequestTimedOut timedOut) {
    link.send(Lines.TRY_AGAIN);
    return session.answered(ackTo);
  }

  /** The room stopped meanwhile: rejoin it; the list, if it still comes, is shown then. */
  private Behavior<Command> onRoomStopped(RoomStopped stopped) {
    link.timers().cancel(Session.REQUEST_TIMER);
    return session.answered(ackTo, () -> session.onRoomStopped(stopped));
  }
}
