package akkachat.session;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The client streams the fan-out has written lines to without waking them, and a budget for
 * waking them. Waking an idle client's stream costs some microseconds (three actor messages and
 * a write to its socket) where queueing a line costs a fraction of one; in a login storm every
 * arrival in a big room would wake every member's stream. Within the budget (sparse chat, a
 * busy room whose readers are never idle) a stream is woken at once; past it, the streams wait
 * for the budget to refill and then take every line gathered meanwhile in one write.
 * Plain bookkeeping for {@link Fanout}; see docs/BENCHMARKS.md for what it bought.
 */
final class Wakeups {
  /** Wakes per second the budget refills with: well above a chatty room's, far below a storm's. */
  static final double PER_SECOND = 25_000;
  /** Wakes that may go at once, so a line to a big but quiet room is never held back. */
  static final double BURST = 10_000;

  private final List<Outbound> pending = new ArrayList<>();
  private double budget = BURST;
  private long refilledAt = System.nanoTime();

  /** {@code out} has lines and a stream asleep: wake it with the next {@link #wake}. */
  void add(Outbound out) {
    pending.add(out);
  }

  boolean isEmpty() {
    return pending.isEmpty();
  }

  /**
   * Wakes every pending stream if the budget allows it at {@code now} (nanoseconds) and returns
   * null, else wakes none and returns how long to wait before trying again.
   */
  Duration wake(long now) {
    budget = Math.min(BURST, budget + (now - refilledAt) * PER_SECOND / 1e9);
    refilledAt = now;
    int n = pending.size();
    if (n > budget && budget < BURST) {
      return Duration.ofNanos((long) ((Math.min(n, BURST) - budget) / PER_SECOND * 1e9) + 1);
    }
    budget -= n;
    for (int i = 0; i < n; i++) {
      pending.get(i).wake();
    }
    pending.clear();
    return null;
  }
}
