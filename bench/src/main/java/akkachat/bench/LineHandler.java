package akkachat.bench;

import java.nio.charset.StandardCharsets;

/**
 * What a client does with each line the server sends it: the login dialogue of its
 * {@link Dialect} and, once in, checking every delivered bench line: from whom, which number,
 * how late.
 */
final class LineHandler implements Client.LineSink {
  private final Plan plan;
  private final Dialect dialect;
  private final Control control;
  private final LoopStats stats;
  private final IoLoop loop;
  private final long[] fields = new long[3];

  LineHandler(Plan plan, Control control, LoopStats stats, IoLoop loop) {
    this.plan = plan;
    this.dialect = plan.dialect;
    this.control = control;
    this.stats = stats;
    this.loop = loop;
  }

  @Override
  public void line(Client c, byte[] b, int off, int len) {
    String answer = dialect.answer(b, off, len);
    if (answer != null) {
      loop.send(c, answer);
      return;
    }
    if (c.state == Client.State.PROMPT && isPrompt(b, off, len)) {
      dialect.prompted(c, loop);
      return;
    }
    switch (c.state) {
      case READY -> chatLine(c, b, off, len);
      case PROMPT, WELCOME, JOINING -> loginLine(c, new String(b, off, len, StandardCharsets.UTF_8));
      default -> { }
    }
  }

  /**
   * Whether a whole line is the dialect's prompt: over a WebSocket the prompt comes as a frame
   * of its own, so a line; over TCP it has no line break and {@link Client#takePrompt} finds it.
   */
  private boolean isPrompt(byte[] b, int off, int len) {
    byte[] prompt = dialect.prompt();
    return prompt != null && len == prompt.length && Wire.startsWith(b, off, len, prompt);
  }

  private void loginLine(Client c, String line) {
    c.lastLoginLine = line;
    dialect.loginLine(c, line, loop);
  }

  private void chatLine(Client c, byte[] b, int off, int len) {
    if (len == 0 || c.nonReader) {
      return;
    }
    switch (dialect.delivery(b, off, len, fields)) {
      case BENCH -> benchLine(c);
      case DAMAGED -> stats.corrupt++;
      case OTHER -> stats.otherLines++;
      case ERROR -> {
        stats.errorLines++;
        if (stats.firstError == null) {
          stats.firstError = c.name + ": " + new String(b, off, len, StandardCharsets.UTF_8);
        }
      }
      case NOTICE -> { }
    }
  }

  private void benchLine(Client c) {
    long sender = fields[0];
    if (sender >= plan.senders || plan.roomOf((int) sender) != c.room || fields[1] < 1
        || c.tracker == null) {
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
}
