package akkachat.session;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A logged-in session's permission for this node's {@link Fanout} to write a room's lines
 * straight into the client's outbound queue, skipping one actor message per delivered line.
 *
 * <p>The session stays in charge of what its client sees. It opens a line for the room it has
 * just told its client it is in; the fan-out closes it (drops it) as it passes the session a
 * {@link Session.Joined}, so that no line of the old room can be written after the session has
 * announced a new one, and the session opens a new one once it has. A line goes straight to
 * the queue only if it is of that room and no line the fan-out sent through the session is
 * still unhandled there; every other line (the sender's own echo, a departure notice, a line of
 * another room, any line while an earlier one is still on its way through the session) goes
 * through the session as a {@link Session.Deliver}. So the client sees the lines in the order
 * the fan-out got them. A line starts with one count, taken back when the session gets the
 * fan-out's {@link Session.DirectLineOpened}: the lines the fan-out sent through the session
 * before it knew of the line go first.
 *
 * <p>Used by two actors of one node, the session and the fan-out, and by nothing else; it is
 * never sent to another node.
 */
final class DirectLine {
  private final Outbound out;
  /** Lines the fan-out sent through the session that the session has not handled yet. */
  private final AtomicInteger throughSession = new AtomicInteger(1);
  private final String room;

  /** A line for the lines of {@code room}, which the session's client has been told it is in. */
  DirectLine(Outbound out, String room) {
    this.out = out;
    this.room = room;
  }

  /** Called by the fan-out: whether a line of {@code room} may go straight to the client now. */
  boolean accepts(String room) {
    return throughSession.get() == 0 && room.equals(this.room);
  }

  /** The client's queue. */
  Outbound out() {
    return out;
  }

  /** Called by the fan-out before it sends a line through the session. */
  void sentThroughSession() {
    throughSession.incrementAndGet();
  }

  /** Called by the session when it has handled a line the fan-out sent through it. */
  void handled() {
    throughSession.decrementAndGet();
  }
}
