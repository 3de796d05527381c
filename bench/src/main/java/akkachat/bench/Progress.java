package akkachat.bench;

/**
 * The running totals of one {@link IoLoop}, as of its last turn: written by the loop's thread,
 * read by the main thread for the progress line and to follow the phases.
 */
final class Progress {
  volatile long connected;
  volatile long loggedIn;
  volatile long failed;
  volatile long delivered;
  volatile long deliveredToGone;
  volatile long sent;
  volatile long disconnected;
  /** Login is over and the loop has counted who is in. */
  volatile boolean frozen;
  /** Every sender of the loop has sent its lines or given up. */
  volatile boolean sendersDone;

  /** Copies the loop's own totals, which only its thread may read while it runs. */
  void publish(LoopStats stats) {
    connected = stats.connected;
    loggedIn = stats.loggedIn;
    failed = stats.failed;
    delivered = stats.delivered;
    deliveredToGone = stats.deliveredToGone;
    sent = stats.sent;
    disconnected = stats.disconnected;
  }
}
