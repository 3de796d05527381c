package akkachat.bench;

import java.nio.charset.StandardCharsets;

/**
 * IRC (RFC 2812), as ngIRCd speaks it: {@code NICK} and {@code USER} at once, logged in at
 * numeric 001, then {@code JOIN} of {@code #lobby} (one room) or {@code #rN}. In at the server's
 * echo of one's own JOIN: the server has made the client a member before it announces it, so
 * every line it relays after that reaches the client. A chat line is
 * {@code :nick!user@host PRIVMSG #chan :text}; the server does not send it back to its sender.
 * Lines go out ending in a bare LF, which ngIRCd accepts.
 */
final class IrcDialect implements Dialect {
  private static final byte[] PRIVMSG = " PRIVMSG ".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] PING = "PING ".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] ERROR = "ERROR ".getBytes(StandardCharsets.US_ASCII);
  /** ERR_NOMOTD: a 4xx numeric that is not an error, sent at login by a server without a MOTD. */
  private static final int NO_MOTD = 422;

  private final int rooms;

  IrcDialect(int rooms) {
    this.rooms = rooms;
  }

  /** The channel of room {@code r} (0-based). */
  String channel(int r) {
    return rooms == 1 ? "#lobby" : "#r" + (r + 1);
  }

  @Override
  public void connected(Client c, Login login) {
    c.state = Client.State.WELCOME;
    login.send(c, "NICK " + c.name);
    login.send(c, "USER " + c.name + " 0 * :" + c.name);
  }

  @Override
  public void loginLine(Client c, String line, Login login) {
    int numeric = numeric(line);
    if (line.startsWith("ERROR ") || isError(numeric)) {
      login.fail(c, line);
    } else if (c.state == Client.State.WELCOME && numeric == 1) {
      c.state = Client.State.JOINING;
      login.send(c, "JOIN " + channel(c.room));
    } else if (c.state == Client.State.JOINING && isOwnJoin(c, line)) {
      login.ready(c);
    }
  }

  /** {@code :nick!user@host JOIN #chan}, or {@code JOIN :#chan}, for this client's nick. */
  private boolean isOwnJoin(Client c, String line) {
    String prefix = ":" + c.name + "!";
    if (!line.startsWith(prefix)) {
      return false;
    }
    String[] words = line.split(" ");
    return words.length == 3 && words[1].equals("JOIN")
        && words[2].replaceFirst("^:", "").equalsIgnoreCase(channel(c.room));
  }

  @Override
  public byte[] linePrefix(Client c) {
    return ("PRIVMSG " + channel(c.room) + " :").getBytes(StandardCharsets.US_ASCII);
  }

  @Override
  public Kind delivery(byte[] b, int off, int len, long[] into) {
    int end = off + len;
    if (b[off] != ':') {
      return Wire.startsWith(b, off, len, ERROR) ? Kind.ERROR : Kind.NOTICE;
    }
    int space = Wire.indexOf(b, off, end, (byte) ' ');
    if (space < 0) {
      return Kind.NOTICE;
    }
    if (!Wire.startsWith(b, space, end - space, PRIVMSG)) {
      return isError(numeric(b, space + 1, end)) ? Kind.ERROR : Kind.NOTICE;
    }
    int target = space + PRIVMSG.length;
    int afterTarget = Wire.indexOf(b, target, end, (byte) ' ');
    if (afterTarget < 0 || afterTarget + 1 >= end || b[afterTarget + 1] != ':') {
      return Kind.OTHER;
    }
    return Wire.parseText(b, afterTarget + 2, end, into);
  }

  @Override
  public String answer(byte[] b, int off, int len) {
    return Wire.startsWith(b, off, len, PING)
        ? "PONG " + new String(b, off + PING.length, len - PING.length, StandardCharsets.UTF_8)
        : null;
  }

  @Override
  public boolean echoes() {
    return false;
  }

  /** The numeric of a server reply {@code :server NNN ...}, or -1. */
  private static int numeric(String line) {
    byte[] b = line.getBytes(StandardCharsets.UTF_8);
    int space = line.startsWith(":") ? Wire.indexOf(b, 0, b.length, (byte) ' ') : -1;
    return space < 0 ? -1 : numeric(b, space + 1, b.length);
  }

  /** Three digits at {@code b[from]} followed by a space or the end, or -1. */
  private static int numeric(byte[] b, int from, int end) {
    if (from + 3 > end || (from + 3 < end && b[from + 3] != ' ')) {
      return -1;
    }
    int n = 0;
    for (int i = from; i < from + 3; i++) {
      if (b[i] < '0' || b[i] > '9') {
        return -1;
      }
      n = n * 10 + (b[i] - '0');
    }
    return n;
  }

  private static boolean isError(int numeric) {
    return numeric >= 400 && numeric < 600 && numeric != NO_MOTD;
  }
}
