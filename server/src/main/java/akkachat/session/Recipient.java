package akkachat.session;

import akka.actor.typed.ActorRef;

/**
 * A session of this node as its {@link Fanout} reaches it: the session, and the
 * {@link DirectLine} it has opened, if any. One per session, shared by the rooms it is in, so a
 * line for a room's members is delivered without looking anything up per member.
 */
final class Recipient {
  final ActorRef<Session.Command> session;
  /** Null while the session has no line open (it is telling its client about another room). */
  DirectLine line;
  /** Room lines the fan-out holds for the client ({@link HeldLines}), and the queue they go to. */
  java.util.List<akka.util.ByteString> held;
  Outbound heldFor;

  Recipient(ActorRef<Session.Command> session) {
    this.session = session;
  }
}
