package akkachat.bench;

import java.util.Map;
import java.util.TreeMap;

/**
 * What one receiver has seen of each sender in its room, exactly: the next sequence number it
 * expects per sender and, only when a line is skipped, the missing ranges, so a line that comes
 * late is told apart from a duplicate and from a lost one. Senders number lines 1, 2, 3, ...
 */
final class SeqTracker {
  private final long[] next;
  private final long[] missing;
  private final TreeMap<Long, Long>[] gaps;
  private long outOfOrder;
  private long duplicates;

  @SuppressWarnings("unchecked")
  SeqTracker(int senders) {
    next = new long[senders];
    missing = new long[senders];
    gaps = new TreeMap[senders];
    java.util.Arrays.fill(next, 1);
  }

  /** Records line {@code seq} of the sender with index {@code sender} in this room. */
  void accept(int sender, long seq) {
    long expected = next[sender];
    if (seq == expected) {
      next[sender] = seq + 1;
    } else if (seq > expected) {
      gapsOf(sender).put(expected, seq - 1);
      missing[sender] += seq - expected;
      next[sender] = seq + 1;
    } else {
      outOfOrder++;
      if (fillGap(sender, seq)) {
        missing[sender]--;
      } else {
        duplicates++;
      }
    }
  }

  /** Lines of {@code sender} not seen, given that it sent lines 1 to {@code sent}. */
  long lost(int sender, long sent) {
    long highest = next[sender] - 1;
    return missing[sender] + Math.max(0, sent - highest);
  }

  /** Lines seen with a number higher than the sender ever sent: corrupt, should be zero. */
  long beyond(int sender, long sent) {
    return Math.max(0, next[sender] - 1 - sent);
  }

  /** Lines whose sequence number was not above the highest seen before from the same sender. */
  long outOfOrder() {
    return outOfOrder;
  }

  /** Out-of-order lines that had been seen already. */
  long duplicates() {
    return duplicates;
  }

  int senders() {
    return next.length;
  }

  private TreeMap<Long, Long> gapsOf(int sender) {
    if (gaps[sender] == null) {
      gaps[sender] = new TreeMap<>();
    }
    return gaps[sender];
  }

  /** Removes {@code seq} from the missing ranges; false if it was not missing. */
  private boolean fillGap(int sender, long seq) {
    TreeMap<Long, Long> ranges = gaps[sender];
    if (ranges == null) {
      return false;
    }
    Map.Entry<Long, Long> range = ranges.floorEntry(seq);
    if (range == null || range.getValue() < seq) {
      return false;
    }
    long from = range.getKey();
    long to = range.getValue();
    ranges.remove(from);
    if (from < seq) {
      ranges.put(from, seq - 1);
    }
    if (seq < to) {
      ranges.put(seq + 1, to);
    }
    return true;
  }
}
