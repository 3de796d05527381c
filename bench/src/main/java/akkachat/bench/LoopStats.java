package akkachat.bench;

/** The running figures of one {@link IoLoop}, written only by its thread. */
final class LoopStats {
  final Histogram latency = new Histogram();
  final Histogram login = new Histogram();
  final Histogram sendLag = new Histogram();
  long connected;
  long loggedIn;
  long failed;
  long disconnected;
  long delivered;
  /** Deliveries to readers that were disconnected later; they no longer count toward the end. */
  long deliveredToGone;
  long sent;
  long otherLines;
  long corrupt;
  long errorLines;
  long nonReadersClosed;
  long lastLogin;
  long lastSend;
  long lastDelivery;
  String firstFailure;
  String firstDisconnect;
  String firstError;
}
