package akkachat.session;

import akka.util.ByteString;
import akka.util.ByteStringBuilder;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The room lines the fan-out holds for clients it may write to straight, and a budget for
 * waking their streams. Handing a line to a client's queue touches memory its stream reads
 * too, and waking the client's stream costs three actor messages and a socket write, where
 * holding the line costs little; in a login storm every arrival in a big room would cost that
 * once per member. So the fan-out holds each client's
 * lines for a few broadcasts at most ({@link #FLUSH_EVERY}, or until its mailbox is empty) and
 * then hands them over in one piece; and it wakes a stream that sleeps within a budget of
 * wake-ups per second: sparse chat and busy rooms (whose streams are seldom asleep) stay within
 * it and are not delayed; past it, the lines wait in the queue for the budget to refill and go
 * out together. A client's held lines always go first when anything else goes to it through its
 * session. Plain bookkeeping for {@link Fanout}; docs/BENCHMARKS.md has what it bought.
 */
final class HeldLines {
  /** Broadcasts taken in before the held lines are handed over, at most. */
  static final int FLUSH_EVERY = 16;
  /**
   * Clients with lines held, or streams to wake, up to which a flush goes at once and outside
   * the budget: as many as a chatty room's line reaches, so it is never held back.
   */
  static final int FEW = 128;
  /** Wake-ups per second the budget refills with: above a chatty room's, far below a storm's. */
  static final double WAKES_PER_SECOND = 25_000;
  /** Wake-ups that may go at once, so a line to a big but quiet room is never held back. */
  static final double BURST = 10_000;
  /** Lines held for one client at most: more are handed over at once. */
  static final int MAX_HELD = 256;

  private final List<Recipient> holding = new ArrayList<>();
  /** Queues handed lines while their stream slept, and not woken yet for want of budget. */
  private final List<Outbound> asleep = new ArrayList<>();
  private double budget = BURST;
  private long refilledAt = System.nanoTime();

  /** Holds {@code line} for {@code r}, whose client's queue is {@code out}. */
  void hold(Recipient r, Outbound out, ByteString line) {
    if (r.held == null) {
      r.held = new ArrayList<>(4);
      r.heldFor = out;
      holding.add(r);
    }
    r.held.add(line);
    if (r.held.size() >= MAX_HELD && handOver(r)) {
      asleep.add(out);
    }
  }

  /** Whether lines are held, or streams wait to be woken. */
  boolean isEmpty() {
    return holding.isEmpty() && asleep.isEmpty();
  }

  /** Whether so few clients have lines held that handing them over at once costs little. */
  boolean few() {
    return holding.size() + asleep.size() <= FEW;
  }

  /**
   * Hands the lines held for {@code r} (if any) to its client's queue and wakes the stream at
   * once: something else for the client follows.
   */
  static void handOverNow(Recipient r) {
    Outbound out = r.heldFor;
    if (handOver(r)) {
      out.wake();
    }
  }

  /** Hands the lines held for {@code r} to its queue; true if its stream sleeps. */
  private static boolean handOver(Recipient r) {
    List<ByteString> lines = r.held;
    if (lines == null) {
      return false;
    }
    Outbound out = r.heldFor;
    r.held = null;
    r.heldFor = null;
    ByteString piece;
    if (lines.size() == 1) {
      piece = lines.get(0);
    } else {
      // One copy into one array: cheaper to build and to write than a rope of small pieces.
      ByteStringBuilder b = ByteString.createBuilder();
      for (int i = 0, n = lines.size(); i < n; i++) {
        b.append(lines.get(i));
      }
      piece = b.result();
    }
    return out.sendLater(piece, lines.size());
  }

  /**
   * Hands every client its held lines and wakes the streams that sleep, as far as the budget
   * allows at {@code now} (nanoseconds); returns null, or how long to wait before the rest may
   * be woken.
   */
  Duration flush(long now) {
    for (int i = 0, n = holding.size(); i < n; i++) {
      Recipient r = holding.get(i);
      Outbound out = r.heldFor;
      if (handOver(r)) {
        asleep.add(out);
      }
    }
    holding.clear();
    budget = Math.min(BURST, budget + (now - refilledAt) * WAKES_PER_SECOND / 1e9);
    refilledAt = now;
    int n = asleep.size();
    if (n > FEW && n > budget && budget < BURST) {
      return Duration.ofNanos((long) ((Math.min(n, BURST) - budget) / WAKES_PER_SECOND * 1e9) + 1);
    }
    budget = Math.max(-BURST, budget - n); // a few may go beyond it: later ones wait longer
    for (int i = 0; i < n; i++) {
      asleep.get(i).wake();
    }
    asleep.clear();
    return null;
  }
}
