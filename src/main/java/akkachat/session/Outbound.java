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

  /** Closes the connection after the lines already queued; later lines are dropped. */
  void close();
}
