package akkachat.session;

import akka.actor.typed.ActorRef;
import akkachat.room.ChatRoom;

import java.util.ArrayDeque;

/**
 * The lines (and /who requests) a session has sent its room whose echo has not come back yet,
 * oldest first, so that they can be sent again, in order, to a new incarnation of the room.
 * At most {@link #MAX} are kept; past that the oldest is given up. Plain bookkeeping for
 * {@link Session}.
 */
final class Unechoed {
  static final int MAX = 1000;

  private record Pending(long seq, ChatRoom.Command command) {}

  private final ArrayDeque<Pending> pending = new ArrayDeque<>();

  void add(long seq, ChatRoom.Command command) {
    if (pending.size() == MAX) {
      pending.poll();
    }
    pending.add(new Pending(seq, command));
  }

  /** The echo of {@code seq} came back: it and everything before it arrived. */
  void echoed(long seq) {
    while (!pending.isEmpty() && pending.peek().seq() <= seq) {
      pending.poll();
    }
  }

  void resendTo(ActorRef<ChatRoom.Command> room) {
    pending.forEach(p -> room.tell(p.command()));
  }

  boolean isEmpty() {
    return pending.isEmpty();
  }

  void clear() {
    pending.clear();
  }
}
