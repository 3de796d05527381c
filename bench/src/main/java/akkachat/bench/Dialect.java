package akkachat.bench;

/**
 * What differs between the chat servers the bench drives (--protocol): how a client logs in and
 * joins its room, which line says it is in (from then on it misses nothing), what a delivered
 * chat line looks like, and whether a sender gets its own lines back. One instance per run,
 * shared by the selector threads: implementations keep no state of their own, a client's is in
 * {@link Client}.
 */
interface Dialect {
  /** What a line received once logged in is. */
  enum Kind {
    /** A bench line; its sender, number and send time are in the fields. */
    BENCH,
    /** Looks like a bench line but does not parse. */
    DAMAGED,
    /** Another user's chat line. */
    OTHER,
    /** Anything else the server says: joins, leaves, replies. */
    NOTICE,
    /** The server reports an error. */
    ERROR
  }

  /** What a dialect may do with a client while it logs in. */
  interface Login {
    /** Sends one line (the line break is added). */
    void send(Client c, String line);

    /** The client is in its room. */
    void ready(Client c);

    /** The login went wrong; the connection is closed. */
    void fail(Client c, String reason);
  }

  byte[] NO_PREFIX = new byte[0];

  static Dialect of(Options options) {
    return switch (options.protocol()) {
      case "irc" -> new IrcDialect(options.rooms());
      case "gochat" -> new GoChatDialect();
      default -> new AkkaDialect(options.rooms());
    };
  }

  /** The connection is made: sends what goes first and sets the state that follows. */
  void connected(Client c, Login login);

  /**
   * Text the server sends without a line break and then waits for an answer (akka-chat's
   * username prompt), or null. Looked for in state PROMPT only.
   */
  default byte[] prompt() {
    return null;
  }

  /** The {@link #prompt} has come. */
  default void prompted(Client c, Login login) {
  }

  /** A line received while logging in (states PROMPT, WELCOME, JOINING). */
  void loginLine(Client c, String line, Login login);

  /** What a sender writes before each bench line, e.g. IRC's {@code PRIVMSG #chan :}. */
  default byte[] linePrefix(Client c) {
    return NO_PREFIX;
  }

  /**
   * What a non-empty line received once in is; for BENCH and DAMAGED the line's fields go into
   * {@code into[0..2]} as far as they parse (see {@link Wire#parseText}). Must not allocate.
   */
  Kind delivery(byte[] b, int off, int len, long[] into);

  /** The line to send back at once, in any state (IRC's PONG to a PING), or null. */
  default String answer(byte[] b, int off, int len) {
    return null;
  }

  /**
   * Whether the server sends a sender's lines back to it as well. If not, a sender is not a
   * recipient of its own lines and --window cannot count unechoed lines (see {@link Senders}).
   */
  default boolean echoes() {
    return true;
  }
}
