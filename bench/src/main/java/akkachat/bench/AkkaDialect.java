package akkachat.bench;

import akkachat.protocol.Lines;

import java.nio.charset.StandardCharsets;

/**
 * akka-chat's own line protocol: answer the username prompt, wait for the welcome, then
 * {@code /join rN} when there are several rooms. In at {@code *** Now chatting in room rN}, or
 * with one room at one's own {@code *** NAME just joined the chatroom}. A chat line is
 * {@code [name] text}; the sender gets its own lines too.
 */
final class AkkaDialect implements Dialect {
  private static final byte[] PROMPT = Lines.PROMPT.getBytes(StandardCharsets.UTF_8);
  private static final String ERROR_PREFIX = "*** error";
  private static final byte[] ERROR = ERROR_PREFIX.getBytes(StandardCharsets.UTF_8);

  private final int rooms;

  AkkaDialect(int rooms) {
    this.rooms = rooms;
  }

  /** Room name of room {@code r} (0-based) when there is more than one room. */
  private static String roomName(int r) {
    return "r" + (r + 1);
  }

  @Override
  public void connected(Client c, Login login) {
    c.state = Client.State.PROMPT;
  }

  @Override
  public byte[] prompt() {
    return PROMPT;
  }

  @Override
  public void prompted(Client c, Login login) {
    c.state = Client.State.WELCOME;
    login.send(c, c.name);
  }

  @Override
  public void loginLine(Client c, String line, Login login) {
    if (line.startsWith(ERROR_PREFIX)) {
      login.fail(c, line);
    } else if (c.state == Client.State.WELCOME && line.equals(Lines.welcome(c.name))) {
      c.state = Client.State.JOINING;
      if (rooms > 1) {
        login.send(c, "/join " + roomName(c.room));
      }
    } else if (c.state == Client.State.JOINING && line.equals(readyLine(c))) {
      login.ready(c);
    }
  }

  /** The line that says the client is a member of its room: from then on it misses nothing. */
  private String readyLine(Client c) {
    return rooms > 1 ? Lines.nowChattingIn(roomName(c.room)) : Lines.joined(c.name);
  }

  @Override
  public Kind delivery(byte[] b, int off, int len, long[] into) {
    if (b[off] != '[') {
      return Wire.startsWith(b, off, len, ERROR) ? Kind.ERROR : Kind.NOTICE;
    }
    int end = off + len;
    int close = Wire.indexOf(b, off + 1, end, (byte) ']');
    if (close < 0 || close + 1 >= end || b[close + 1] != ' ') {
      return Kind.OTHER;
    }
    return Wire.parseText(b, close + 2, end, into);
  }
}
