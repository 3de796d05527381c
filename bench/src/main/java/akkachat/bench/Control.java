package akkachat.bench;

import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * What the coordinating thread tells the selector threads, and the figures they share back
 * per sender. The phase only moves forward; fields set before a phase are read after it.
 */
final class Control {
  static final int LOGIN = 0;
  static final int FREEZE = 1;
  static final int RUN = 2;
  static final int STOP_SENDING = 3;
  static final int DONE = 4;

  /** Origin of the send times carried in the lines, so they are never negative. */
  final long epoch = System.nanoTime();
  /** Lines each sender has handed to its socket; one writer per slot. */
  final AtomicLongArray sent;
  /**
   * 1 while a sender is also one of its room's readers (in at the start, reads, still
   * connected): where the server does not echo, its lines are due to one reader fewer.
   */
  final AtomicIntegerArray senderReads;

  volatile long runStart;
  volatile long sendUntil = Long.MAX_VALUE;
  private volatile int phase = LOGIN;

  Control(int senders) {
    sent = new AtomicLongArray(senders);
    senderReads = new AtomicIntegerArray(senders);
  }

  int phase() {
    return phase;
  }

  void phase(int next) {
    phase = next;
  }
}
