package akkachat.bench;

import java.nio.ByteBuffer;

/**
 * The bench's chat lines, without allocating: a sender writes {@code B <sender> <seq> <nanos>}
 * (after its {@link Dialect}'s prefix) and every member of the room gets it back as the text of
 * a chat line, e.g. {@code [name] B <sender> <seq> <nanos>} from akka-chat.
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
   * Parses the text of a delivered chat line, {@code b[from, end)}, into {@code into[0..2]} =
   * sender, seq, nanos: BENCH if it is {@code B <sender> <seq> <nanos>}, OTHER if it is some
   * other text, DAMAGED if it starts like a bench line but does not parse.
   */
  static Dialect.Kind parseText(byte[] b, int from, int end, long[] into) {
    if (from + 1 >= end || b[from] != 'B' || b[from + 1] != ' ') {
      return Dialect.Kind.OTHER;
    }
    int i = from + 2;
    for (int field = 0; field < 3; field++) {
      long v = 0;
      int digits = 0;
      while (i < end && b[i] >= '0' && b[i] <= '9' && digits < 19) {
        v = v * 10 + (b[i] - '0');
        i++;
        digits++;
      }
      if (digits == 0) {
        return Dialect.Kind.DAMAGED;
      }
      into[field] = v;
      if (field < 2) {
        if (i >= end || b[i] != ' ') {
          return Dialect.Kind.DAMAGED;
        }
        i++;
      }
    }
    return i == end ? Dialect.Kind.BENCH : Dialect.Kind.DAMAGED;
  }

  /** Whether {@code b[off, off + len)} starts with {@code prefix}. */
  static boolean startsWith(byte[] b, int off, int len, byte[] prefix) {
    if (len < prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if (b[off + i] != prefix[i]) {
        return false;
      }
    }
    return true;
  }

  /** Index of the first {@code c} in {@code b[from, end)}, or -1. */
  static int indexOf(byte[] b, int from, int end, byte c) {
    for (int i = from; i < end; i++) {
      if (b[i] == c) {
        return i;
      }
    }
    return -1;
  }
}
