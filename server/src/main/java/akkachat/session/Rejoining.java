package akkachat.session;

import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akkachat.protocol.Lines;
import akkachat.session.Session.Command;
import akkachat.session.Session.FromClient;
import akkachat.session.Session.JoinRejected;
import akkachat.session.Session.Joined;
import akkachat.session.Session.RequestTimedOut;

import java.time.Duration;

/**
 * The phase of a session whose room stopped under it: it joins the room's new incarnation
 * silently, holding the user's lines meanwhile, then resends those whose echo had not come.
 */
final class Rejoining extends AbstractBehavior<Command> {
  /** A rejoin can be lost while sharding learns where a room lives now: ask again this often. */
  private static final Duration RETRY = Duration.ofSeconds(1);

  private final Session session;
  private final Link link;
  private final Place place;

  Rejoining(ActorContext<Command> context, Session session, Link link, Place place) {
    super(context);
    this.session = session;
    this.link = link;
    this.place = place;
    link.timers().cancel(Session.REQUEST_TIMER);
    askAgain();
  }

  @Override
  public Receive<Command> createReceive() {
    return session.inRoom(newReceiveBuilder()
        .onMessage(FromClient.class, this::onLine)
        .onMessage(Joined.class, j -> j.room().equals(place.roomName()), this::onJoined)
        .onMessage(JoinRejected.class, r -> r.room().equals(place.roomName()), this::onRejected)
        .onMessage(RequestTimedOut.class, this::onTimedOut))
        .build();
  }

  private Behavior<Command> onLine(FromClient line) {
    link.stash().stash(line);
    return Behaviors.same();
  }

  private Behavior<Command> onJoined(Joined joined) {
    link.timers().cancel(Session.REQUEST_TIMER);
    session.enterRoom(joined);
    place.openDirectLine();
    place.resendUnechoed();
    return link.stash().unstashAll(session.chatting());
  }

  private Behavior<Command> onRejected(JoinRejected rejected) {
    return session.close(Lines.nameTakenInRoom(place.name(), place.roomName()),
        "name taken on rejoin");
  }

  private Behavior<Command> onTimedOut(RequestTimedOut timedOut) {
    askAgain();
    return Behaviors.same();
  }

  private void askAgain() {
    place.rejoin();
    link.timers().startSingleTimer(Session.REQUEST_TIMER, new RequestTimedOut(), RETRY);
  }
}
