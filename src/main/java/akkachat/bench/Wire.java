package akkachat.bench;

import java.nio.ByteBuffer;

/**
 * The bench's chat lines, without allocating: a sender writes {@code B <sender> <seq> <nanos>}
 * and every member of the room gets {@code [name] B <sender> <seq> <nanos>}.
 */
final class Wire {
  /** Longest line {@link #putLine} writes, line break included. */
  static final int MAX_LINE = 2 + 3 * 20 + 3;

  private Wire() {}

  static void putLine(ByteBuffer out, long sender, long seq, long nanos) {
    out.put((byte) 'B').put((byte) ' ');
    putLong(out, sender);
    out.put((byte) ' ');
    putLong(out, seq);
    out.put((byte) ' ');
    putLong(out, nanos);
    out.put((byte) '\n');
  }

  private static void putLong(ByteBuffer out, long v) {
    if (v < 10) {
      out.put((byte) ('0' + v));
      return;
    }
    long div = 1;
    while (div <= v / 10) {
      div *= 10;
    }
    for (; div > 0; div /= 10) {
      out.put((byte) ('0' + (v / div) % 10));
    }
  }

  /**
   * Parses a delivered bench line into {@code into[0..2]} = sender, seq, nanos. Returns 1 if it
   * is one, 0 if it is another user's line ({@code [name] text}), -1 if it is a damaged one.
   */
  static int parseDelivery(byte[] b, int off, int len, long[] into) {
    int end = off + len;
    int i = off + 1;
    while (i < end && b[i] != ']') {
      i++;
    }
    if (i + 3 >= end || b[i + 1] != ' ' || b[i + 2] != 'B' || b[i + 3] != ' ') {
      return 0;
    }
    i += 4;
    for (int field = 0; field < 3; field++) {
      long v = 0;
      int digits = 0;
      while (i < end && b[i] >= '0' && b[i] <= '9' && digits < 19) {
        v = v * 10 + (b[i] - '0');
        i++;
        digits++;
      }
      if (digits == 0) {
        return -1;
      }
      into[field] = v;
      if (field < 2) {
        if (i >= end || b[i] != ' ') {
          return -1;
        }
        i++;
      }
    }
    return i == end ? 1 : -1;
  }
}
