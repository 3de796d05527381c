package akkachat.bench;

/**
 * A log-linear histogram of non-negative longs (HdrHistogram's layout, in miniature): values
 * below 256 are counted exactly, larger ones in buckets 1/128 of their power of two wide, so a
 * percentile is off by less than 0.8%. Fixed size, no allocation per value; one owner thread.
 */
final class Histogram {
  private static final int SUB_BITS = 8;
  private static final int SUB = 1 << SUB_BITS;
  private static final int HALF = SUB >> 1;
  private static final int BUCKETS = (64 - SUB_BITS + 1) * HALF + SUB;

  private final long[] counts = new long[BUCKETS];
  private long total;
  private long min = Long.MAX_VALUE;
  private long max;
  private double sum;

  void record(long value) {
    long v = Math.max(0, value);
    counts[index(v)]++;
    total++;
    sum += v;
    if (v < min) {
      min = v;
    }
    if (v > max) {
      max = v;
    }
  }

  void add(Histogram other) {
    for (int i = 0; i < BUCKETS; i++) {
      counts[i] += other.counts[i];
    }
    total += other.total;
    sum += other.sum;
    min = Math.min(min, other.min);
    max = Math.max(max, other.max);
  }

  long count() {
    return total;
  }

  long max() {
    return max;
  }

  long min() {
    return total == 0 ? 0 : min;
  }

  double mean() {
    return total == 0 ? 0 : sum / total;
  }

  /**
   * The smallest recorded value such that {@code percent}% of all values are at or below it,
   * rounded up to its bucket's top (never above the true maximum); 0 when empty.
   */
  long percentile(double percent) {
    if (total == 0) {
      return 0;
    }
    // The small slack keeps 99.9% of 1000 at rank 999 despite binary fractions.
    long rank = Math.max(1, (long) Math.ceil(percent / 100.0 * total - 1e-6));
    long seen = 0;
    for (int i = 0; i < BUCKETS; i++) {
      seen += counts[i];
      if (seen >= rank) {
        return Math.min(Math.max(highestIn(i), min), max);
      }
    }
    return max;
  }

  static int index(long v) {
    if (v < SUB) {
      return (int) v;
    }
    int shift = 63 - Long.numberOfLeadingZeros(v) - SUB_BITS + 1;
    return shift * HALF + (int) (v >>> shift);
  }

  /** The largest value that falls into bucket {@code i}. */
  static long highestIn(int i) {
    if (i < SUB) {
      return i;
    }
    int shift = i / HALF - 1;
    long mantissa = i - (long) shift * HALF;
    long top = ((mantissa + 1) << shift) - 1;
    return top < 0 ? Long.MAX_VALUE : top;
  }
}
