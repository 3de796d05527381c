package akkachat.room;

import akka.actor.typed.ActorRef;
import akkachat.session.Fanout;

import java.util.HashMap;
import java.util.Map;

/**
 * How far behind each node's fan-out is with a room's lines: the room numbers the lines it
 * sends each fan-out (1, 2, 3, ...), and each fan-out reports every
 * {@link akkachat.session.Fanout#REPORT_EVERY} lines how many it has delivered. A node whose
 * fan-out falls more than {@code limit} ({@code node-lag-limit} plus that reporting step) lines
 * behind is cut off: it is overloaded, so its members are closed as too slow, and the room sends
 * that node nothing more until they are gone.
 * Without this a node that cannot keep up would gather an unbounded backlog, or lose lines
 * when the cluster's outbound queue to it overflows. Plain bookkeeping for {@link ChatRoom}.
 */
final class FanoutLag {

  private static final class Progress {
    long sent;
    long delivered;
    boolean cut;
  }

  private final long limit;
  private final Map<ActorRef<Fanout.Command>, Progress> byFanout = new HashMap<>();

  FanoutLag(long limit) {
    this.limit = limit;
  }

  /** The number of the next line for {@code fanout}, or 0 if the node is cut off. */
  long next(ActorRef<Fanout.Command> fanout) {
    Progress p = byFanout.computeIfAbsent(fanout, f -> new Progress());
    return p.cut ? 0 : ++p.sent;
  }

  /** {@code fanout} has delivered up to line {@code upTo}; returns how far behind it still is. */
  long delivered(ActorRef<Fanout.Command> fanout, long upTo) {
    Progress p = byFanout.get(fanout);
    if (p == null) {
      return 0;
    }
    if (upTo <= p.sent) {
      p.delivered = Math.max(p.delivered, upTo);
    }
    return p.sent - p.delivered;
  }

  /** Whether {@code fanout} has just fallen too far behind; it is then cut off. */
  boolean cutIfBehind(ActorRef<Fanout.Command> fanout) {
    Progress p = byFanout.get(fanout);
    if (p == null || p.cut || p.sent - p.delivered <= limit) {
      return false;
    }
    p.cut = true;
    return true;
  }

  boolean isCut(ActorRef<Fanout.Command> fanout) {
    Progress p = byFanout.get(fanout);
    return p != null && p.cut;
  }

  /** The node has no members here any more: start afresh if it gets some again. */
  void forget(ActorRef<Fanout.Command> fanout) {
    byFanout.remove(fanout);
  }
}
