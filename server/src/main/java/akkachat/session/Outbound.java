package akkachat.session;

import akka.util.ByteString;

/**
 * The way to one client: a bounded queue in front of its socket. Safe to use from any actor;
 * lines come out in the order they went in.
 */
public interface Outbound {

  /**
   * Queues {@code line} for the client. If the queue is full (the client does not read), the
   * connection is closed instead and this and later lines are dropped.
   */
  void send(ByteString line);

  /**
   * Queues {@code count} lines, {@code lines} one after the other, like {@link #send} but leaves
   * the client's stream asleep: true if the stream waits and the caller has taken on to
   * {@link #wake} it soon. A writer that hands many clients a burst of lines hands each its
   * share at once and wakes each stream once.
   */
  default boolean sendLater(ByteString lines, int count) {
    send(lines);
    return false;
  }

  /** Wakes the client's stream for the lines queued with {@link #sendLater}. */
  default void wake() {}

  /** Closes the connection after the lines already queued; later lines are dropped. */
  void close();
}
