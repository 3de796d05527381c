package akkachat.bench;

import java.nio.charset.StandardCharsets;

/**
 * What a client does with each line the server sends it: the login dialogue (welcome, then
 * the join of its room) and, once in, checking every delivered bench line: from whom, which
 * number, how late.
 */
final class LineHandler implements Client.LineSink {
  private static final byte[] ERROR = "*** error".getBytes(StandardCharsets.UTF_8);

  private final Plan plan;
  private final Control control;
  private final LoopStats stats;
  private final IoLoop loop;
  private final long[] fields = new long[3];

  LineHandler(Plan plan, Control control, LoopStats stats, IoLoop loop) {
    this.plan = plan;
    this.control = control;
    this.stats = stats;
    this.loop = loop;
  }

  @Override
  public void line(Client c, byte[] b, int off, int len) {
    switch (c.state) {
      case READY -> chatLine(c, b, off, len);
      case PROMPT, WELCOME, JOINING -> loginLine(c, new String(b, off, len, StandardCharsets.UTF_8));
      default -> { }
    }
  }

  private void loginLine(Client c, String line) {
    c.lastLoginLine = line;
    if (line.startsWith("*** error")) {
      loop.fail(c, line);
    } else if (c.state == Client.State.WELCOME && line.equals("Welcome, " + c.name)) {
      c.state = Client.State.JOINING;
      if (plan.rooms > 1) {
        loop.send(c, "/join " + Options.roomName(c.room));
      }
    } else if (c.state == Client.State.JOINING && line.equals(readyLine(c))) {
      loop.ready(c);
    }
  }

  /** The line that says the client is a member of its room: from then on it misses nothing. */
  private String readyLine(Client c) {
    return plan.rooms > 1
        ? "*** Now chatting in room " + Options.roomName(c.room)
        : "*** " + c.name + " just joined the chatroom";
  }

  private void chatLine(Client c, byte[] b, int off, int len) {
    if (len == 0 || c.nonReader) {
      return;
    }
    if (b[off] != '[') {
      if (startsWith(b, off, len, ERROR)) {
        stats.errorLines++;
        if (stats.firstError == null) {
          stats.firstError = c.name + ": " + new String(b, off, len, StandardCharsets.UTF_8);
        }
      }
      return;
    }
    int kind = Wire.parseDelivery(b, off, len, fields);
    if (kind == 0) {
      stats.otherLines++;
      return;
    }
    long sender = fields[0];
    if (kind < 0 || sender >= plan.senders || plan.roomOf((int) sender) != c.room
        || fields[1] < 1 || c.tracker == null) {
      stats.corrupt++;
      return;
    }
    long now = System.nanoTime();
    stats.delivered++;
    c.delivered++;
    stats.lastDelivery = now;
    stats.latency.record(now - control.epoch - fields[2]);
    c.tracker.accept(plan.localIndex((int) sender), fields[1]);
    if (sender == c.index) {
      c.echoed++;
    }
  }

  private static boolean startsWith(byte[] b, int off, int len, byte[] prefix) {
    if (len < prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if (b[off + i] != prefix[i]) {
        return false;
      }
    }
    return true;
  }
}
