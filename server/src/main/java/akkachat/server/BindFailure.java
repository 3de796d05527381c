package akkachat.server;

/** What to tell an operator when a listener cannot bind. */
public final class BindFailure {

  private BindFailure() {}

  /**
   * The operating system's words for a failed bind ("Address already in use"), without the
   * exceptions Akka wraps them in; for the listeners of the chat and of the cluster alike.
   */
  public static String reason(Throwable failure) {
    Throwable root = failure;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    // Akka puts the address in front of the JDK's reason: "[/0.0.0.0:6677] Address ...".
    return String.valueOf(root.getMessage()).replaceFirst("^\\[[^\\]]*\\] ", "");
  }
}
