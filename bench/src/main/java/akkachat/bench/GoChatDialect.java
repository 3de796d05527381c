package akkachat.bench;

import java.nio.charset.StandardCharsets;

/**
 * The chat server of "The Go Programming Language", ch. 8 (gopl.io ch8/chat): one room, no
 * names. It greets a client with {@code You are ADDR}, then announces {@code ADDR has arrived}
 * to everyone but the newcomer, and only then adds it to the members: so nothing tells a client
 * that it is in. The bench's client sends one probe line after the greeting and is in at its
 * echo, {@code ADDR: joined} (every line goes to every member, its sender included; the server
 * reads a client's lines only once it is a member). Everyone else takes the probe for a notice.
 */
final class GoChatDialect implements Dialect {
  static final String PROBE = "joined";
  private static final String GREETING = "You are ";
  private static final byte[] PROBE_BYTES = PROBE.getBytes(StandardCharsets.US_ASCII);

  @Override
  public void connected(Client c, Login login) {
    c.state = Client.State.WELCOME;
  }

  @Override
  public void loginLine(Client c, String line, Login login) {
    if (c.state == Client.State.WELCOME && line.startsWith(GREETING)) {
      c.alias = line.substring(GREETING.length());
      c.state = Client.State.JOINING;
      login.send(c, PROBE);
    } else if (c.state == Client.State.JOINING && line.equals(c.alias + ": " + PROBE)) {
      login.ready(c);
    }
  }

  /**
   * {@code ADDR: text} is a chat line; {@code ADDR has arrived}, {@code ADDR has left} and
   * {@code You are ADDR} are not. An address has no space, so the first space tells them apart.
   */
  @Override
  public Kind delivery(byte[] b, int off, int len, long[] into) {
    int end = off + len;
    int space = Wire.indexOf(b, off, end, (byte) ' ');
    if (space <= off || b[space - 1] != ':') {
      return Kind.NOTICE;
    }
    int text = space + 1;
    if (end - text == PROBE_BYTES.length && Wire.startsWith(b, text, end - text, PROBE_BYTES)) {
      return Kind.NOTICE;
    }
    return Wire.parseText(b, text, end, into);
  }
}
