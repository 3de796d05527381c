package akkachat.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The sending side of one {@link IoLoop}: its senders, each held to its window of unechoed
 * lines and, with --rate, to its schedule; it writes their lines and tracks what went out.
 * Where the server does not echo (IRC), no line is ever echoed: the window then only bounds the
 * lines waiting in the bench's own send buffer, which holds about --window of them.
 */
final class Senders {
  private static final long SELECT_MS = 100;

  /** What to do with a sender whose connection broke while writing. */
  @FunctionalInterface
  interface Broken {
    void lost(Client c, String reason);
  }

  private final Plan plan;
  private final Control control;
  private final LoopStats stats;
  private final Broken broken;
  private final List<Client> list = new ArrayList<>();
  /** Over a WebSocket: a line is put together here, then framed (and masked) into its buffer. */
  private final ByteBuffer scratch;
  /** Bytes a line's frame adds to it: none over TCP. */
  private final int framing;
  /** Room kept free in a sender's buffer for a pong or the close (WebSocket). */
  private final int controlRoom;
  private boolean running;

  Senders(Plan plan, Control control, LoopStats stats, Broken broken) {
    this.plan = plan;
    this.control = control;
    this.stats = stats;
    this.broken = broken;
    this.framing = plan.websocket ? WebSocket.MAX_HEADER : 0;
    this.controlRoom = plan.websocket ? WebSocket.MAX_CONTROL : 0;
    this.scratch = plan.websocket ? ByteBuffer.allocate(64 * 1024) : null;
  }

  void add(Client c) {
    c.linePrefix = plan.dialect.linePrefix(c);
    c.out = ByteBuffer.allocate(Math.max(4096, Math.min(1 << 20,
        plan.options.window() * (c.linePrefix.length + Wire.MAX_LINE + framing) + controlRoom)));
    list.add(c);
  }

  /** Sending begins; with --rate, senders start spread over one interval. */
  void start(long now) {
    running = true;
    long start = control.runStart;
    for (Client c : list) {
      c.nextDue = start + plan.intervalNanos * c.index / Math.max(1, plan.senders);
      topUp(c, now);
    }
  }

  void stop() {
    list.forEach(c -> c.done = true);
  }

  /** With --rate: sends whatever has fallen due. */
  void sendDue(long now) {
    if (!running || plan.intervalNanos == 0) {
      return;
    }
    for (Client c : list) {
      if (!c.done && now - c.nextDue >= 0) {
        topUp(c, now);
      }
    }
  }

  /** How long the selector may wait before a line falls due: 0 = not at all. */
  long waitMillis(long now) {
    if (!running || plan.intervalNanos == 0) {
      return SELECT_MS;
    }
    long soonest = Long.MAX_VALUE;
    for (Client c : list) {
      if (!c.done && windowOpen(c)) {
        soonest = Math.min(soonest, c.nextDue - now);
      }
    }
    if (soonest == Long.MAX_VALUE) {
      return SELECT_MS;
    }
    return soonest <= 0 ? 0 : Math.min(SELECT_MS, Math.max(1, soonest / 1_000_000));
  }

  /** Sends what the window, the schedule and the buffer allow, then writes it out. */
  void topUp(Client c, long now) {
    if (!running || c.done || c.state != Client.State.READY) {
      return;
    }
    boolean timed = control.sendUntil != Long.MAX_VALUE;
    boolean overdue = timed && now - control.sendUntil >= 0;
    int lineMax = c.linePrefix.length + Wire.MAX_LINE + framing + controlRoom;
    long added = 0;
    while (!c.done && windowOpen(c) && c.out.remaining() >= lineMax) {
      if (plan.intervalNanos > 0) {
        if (now - c.nextDue < 0) {
          break;
        }
        stats.sendLag.record(now - c.nextDue);
        c.nextDue += plan.intervalNanos;
      }
      c.seq++;
      added++;
      if (c.ws == null) {
        c.out.put(c.linePrefix);
        Wire.putLine(c.out, c.index, c.seq, System.nanoTime() - control.epoch);
      } else {
        scratch.clear();
        scratch.put(c.linePrefix);
        Wire.putLine(scratch, c.index, c.seq, System.nanoTime() - control.epoch);
        // One frame per line, its line break left out (the server would drop it).
        WebSocket.putFrame(c.out, WebSocket.TEXT, scratch.array(), 0, scratch.position() - 1);
      }
      c.done = plan.lastLine(c.seq) || overdue;
    }
    c.done |= overdue;
    if (added > 0) {
      stats.sent += added;
      stats.lastSend = now;
      control.sent.lazySet(c.index, c.seq);
      try {
        flush(c);
      } catch (IOException e) {
        broken.lost(c, e.toString());
      }
    }
  }

  /** Queues a line to the server (IRC's PONG) behind the bench lines not written yet. */
  void queue(Client c, String line) {
    if (c.ws != null) {
      queueFrame(c, WebSocket.TEXT, line.getBytes(StandardCharsets.UTF_8), line);
      return;
    }
    byte[] bytes = (line + "\n").getBytes(StandardCharsets.UTF_8);
    if (c.out.remaining() < bytes.length) {
      broken.lost(c, "no room in the send buffer to answer " + line);
      return;
    }
    c.out.put(bytes);
    flushOrLose(c);
  }

  /** Queues a WebSocket frame (a line, a pong, the close) behind the frames not written yet. */
  void queueFrame(Client c, int opcode, byte[] payload, String what) {
    if (c.out.remaining() < payload.length + WebSocket.MAX_HEADER) {
      broken.lost(c, "no room in the send buffer for " + what);
      return;
    }
    WebSocket.putFrame(c.out, opcode, payload, 0, payload.length);
    flushOrLose(c);
  }

  private void flushOrLose(Client c) {
    try {
      flush(c);
    } catch (IOException e) {
      broken.lost(c, e.toString());
    }
  }

  /** Whether the sender may send another line: fewer than --window unechoed, if there are echoes. */
  private boolean windowOpen(Client c) {
    return !plan.echoes || c.seq - c.echoed < plan.options.window();
  }

  /**
   * With no echoes and no --rate only the socket holds a sender back: it asks to hear whenever
   * the socket can take more, as it would otherwise never be woken to send again.
   */
  private boolean socketPaced(Client c) {
    return !plan.echoes && plan.intervalNanos == 0 && running && !c.done;
  }

  /** Writes what the socket takes; asks to hear when it can take the rest. */
  void flush(Client c) throws IOException {
    if (c.out == null) {
      return;
    }
    c.out.flip();
    c.channel.write(c.out);
    c.out.compact();
    boolean pending = c.out.position() > 0 || socketPaced(c);
    if (pending != c.wantsWrite && c.key.isValid()) {
      c.wantsWrite = pending;
      c.key.interestOps(SelectionKey.OP_READ | (pending ? SelectionKey.OP_WRITE : 0));
    }
  }

  /** Whether every sender has sent its last line and written it out (or is gone). */
  boolean allDone() {
    for (Client c : list) {
      if (!c.done || (c.out.position() > 0 && c.state == Client.State.READY)) {
        return false;
      }
    }
    return running;
  }
}
