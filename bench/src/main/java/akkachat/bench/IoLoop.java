package akkachat.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * One selector thread and the connections it owns: connects and logs them in a window at a
 * time, reads and checks every delivered line, and lets its senders send. It follows the
 * phases of {@link Control}; it publishes running totals for the progress line, and its
 * clients and {@link LoopStats} are read whole after the thread has ended.
 */
final class IoLoop implements Runnable, Dialect.Login {
  private static final int SELECT_MS = 100;

  final List<Client> clients = new ArrayList<>();
  final LoopStats stats = new LoopStats();
  /** Readers per room at the start of the run, and those of them still connected. */
  final int[] readersPerRoom;
  final AtomicIntegerArray connectedReaders;

  private final Plan plan;
  private final Dialect dialect;
  private final Control control;
  private final Selector selector;
  private final int connectWindow;
  private final ArrayDeque<Client> toConnect = new ArrayDeque<>();
  private final Senders senders;
  private final ByteBuffer readBuffer = ByteBuffer.allocate(64 * 1024);
  private final LineHandler lines;
  private final Frames frames = new Frames();
  private int inLogin;
  private int seenPhase = Control.LOGIN;
  private long now;

  final Progress progress = new Progress();
  volatile Throwable crash;

  IoLoop(Plan plan, Control control, int connectWindow) throws IOException {
    this.plan = plan;
    this.dialect = plan.dialect;
    this.control = control;
    this.connectWindow = connectWindow;
    this.selector = Selector.open();
    this.readersPerRoom = new int[plan.rooms];
    this.connectedReaders = new AtomicIntegerArray(plan.rooms);
    this.lines = new LineHandler(plan, control, stats, this);
    this.senders = new Senders(plan, control, stats, this::lost);
  }

  void add(Client c) {
    clients.add(c);
    toConnect.add(c);
  }

  void wakeup() {
    selector.wakeup();
  }

  @Override
  public void run() {
    try {
      loop();
    } catch (Throwable t) {
      crash = t;
    } finally {
      closeAll();
    }
  }

  private void loop() throws IOException {
    while (true) {
      now = System.nanoTime();
      int phase = control.phase();
      while (seenPhase < phase) {
        enter(++seenPhase);
      }
      if (phase == Control.DONE) {
        return;
      }
      if (phase == Control.LOGIN) {
        startConnects();
      } else {
        senders.sendDue(now);
      }
      publish();
      long wait = seenPhase == Control.LOGIN ? SELECT_MS : senders.waitMillis(now);
      if (wait == 0) {
        selector.selectNow();
      } else {
        selector.select(wait);
      }
      now = System.nanoTime();
      for (SelectionKey key : selector.selectedKeys()) {
        handle(key);
      }
      selector.selectedKeys().clear();
    }
  }

  private void enter(int phase) {
    if (phase == Control.FREEZE) {
      freeze();
    } else if (phase == Control.RUN) {
      senders.start(now);
    } else if (phase == Control.STOP_SENDING) {
      senders.stop();
    } else if (phase == Control.DONE) {
      checkNonReaders();
    }
  }

  /** Login is over: whoever is not in yet is given up on; the rest are counted per room. */
  private void freeze() {
    for (Client c : clients) {
      if (c.state == Client.State.WAITING || c.loggingIn()) {
        fail(c, "not logged in within --login-timeout (" + c.loginProgress() + ")");
      }
    }
    toConnect.clear();
    for (Client c : clients) {
      if (c.state != Client.State.READY) {
        continue;
      }
      c.readyAtStart = true;
      if (!c.nonReader) {
        c.tracker = new SeqTracker(plan.sendersInRoom(c.room));
        readersPerRoom[c.room]++;
        connectedReaders.incrementAndGet(c.room);
        if (c.sender) {
          control.senderReads.set(c.index, 1);
        }
      }
      if (c.sender) {
        senders.add(c);
      }
    }
    progress.frozen = true;
  }

  private void startConnects() {
    while (inLogin < connectWindow && !toConnect.isEmpty()) {
      Client c = toConnect.poll();
      inLogin++;
      c.connectStart = now;
      c.state = Client.State.CONNECTING;
      try {
        boolean connected = c.open(plan);
        c.key = c.channel.register(selector,
            connected ? SelectionKey.OP_READ : SelectionKey.OP_CONNECT, c);
        if (connected) {
          connected(c);
        }
      } catch (IOException e) {
        fail(c, "connect: " + e);
      }
    }
  }

  private void connected(Client c) {
    stats.connected++;
    c.key.interestOps(SelectionKey.OP_READ);
    if (plan.websocket) {
      c.state = Client.State.UPGRADING;
      String key = WebSocket.newKey();
      c.ws = new WebSocket(key);
      writeWhole(c, ByteBuffer.wrap(plan.upgradeRequest(c.index, key)), "the upgrade request");
    } else {
      dialect.connected(c, this);
    }
  }

  private void handle(SelectionKey key) {
    Client c = (Client) key.attachment();
    try {
      if (key.isValid() && key.isConnectable()) {
        c.channel.finishConnect();
        connected(c);
      }
      if (key.isValid() && key.isReadable()) {
        read(c);
      }
      if (key.isValid() && key.isWritable()) {
        senders.flush(c);
        senders.topUp(c, now);
      }
    } catch (IOException e) {
      lost(c, e.toString());
    }
  }

  private void read(Client c) throws IOException {
    readBuffer.clear();
    int n = c.channel.read(readBuffer);
    if (n < 0) {
      lost(c, "closed by the server");
      return;
    }
    if (c.ws != null) {
      c.ws.feed(c, readBuffer.array(), 0, n, frames);
    } else {
      c.feed(readBuffer.array(), n, lines);
    }
    if (c.state == Client.State.PROMPT && c.takePrompt(dialect.prompt())) {
      dialect.prompted(c, this);
    }
    if (c.sender) {
      senders.topUp(c, now);
    }
  }

  /**
   * Sends a login line or an answer to the server (IRC's PONG); they are short, so one write
   * takes them whole or fails. A sender's answer waits behind its own lines not written yet.
   */
  @Override
  public void send(Client c, String line) {
    if (c.out != null) {
      senders.queue(c, line);
      return;
    }
    ByteBuffer b = c.ws != null
        ? WebSocket.frame(WebSocket.TEXT, line.getBytes(StandardCharsets.UTF_8))
        : ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8));
    writeWhole(c, b, "a login line");
  }

  /** Writes a short message that one write must take whole, or the connection is lost. */
  private void writeWhole(Client c, ByteBuffer b, String what) {
    try {
      c.channel.write(b);
      if (b.hasRemaining()) {
        lost(c, "could not send " + what);
      }
    } catch (IOException e) {
      lost(c, "send: " + e);
    }
  }

  /**
   * A WebSocket control frame (pong, close): behind a sender's own frames not written yet, or
   * written at once by a client that sends nothing else.
   */
  private void sendControl(Client c, int opcode, byte[] payload, String what) {
    if (c.out != null) {
      senders.queueFrame(c, opcode, payload, what);
    } else {
      writeWhole(c, WebSocket.frame(opcode, payload), what);
    }
  }

  /** The WebSocket's events for the clients of this loop; its text messages are the lines. */
  private final class Frames implements WebSocket.Handler {
    @Override
    public void upgraded(Client c) {
      dialect.connected(c, IoLoop.this);
    }

    @Override
    public void line(Client c, byte[] b, int off, int len) {
      lines.line(c, b, off, len);
    }

    @Override
    public void ping(Client c, byte[] b, int off, int len) {
      sendControl(c, WebSocket.PONG, java.util.Arrays.copyOfRange(b, off, off + len), "a pong");
    }

    @Override
    public void closed(Client c, int code, String reason) {
      boolean room = c.out == null || c.out.remaining() >= 2 + WebSocket.MAX_HEADER;
      if (room && c.state != Client.State.CLOSED && c.state != Client.State.FAILED) {
        // The close is answered as RFC 6455 asks, if it can be without waiting.
        byte[] echo = code < 0 ? new byte[0] : new byte[] {(byte) (code >>> 8), (byte) code};
        sendControl(c, WebSocket.CLOSE, echo, "the close");
      }
      lost(c, "closed by the server (WebSocket close" + (code < 0 ? "" : " " + code)
          + (reason.isEmpty() ? "" : ": " + reason) + ")");
    }

    @Override
    public void broken(Client c, String reason) {
      lost(c, "WebSocket: " + reason);
    }
  }

  /** A client has logged in (and joined its room). */
  @Override
  public void ready(Client c) {
    c.state = Client.State.READY;
    inLogin--;
    stats.loggedIn++;
    stats.lastLogin = now;
    stats.login.record(now - c.connectStart);
    if (c.nonReader) {
      c.key.interestOps(0);
    }
  }

  /** A login went wrong: counted once, the connection closed. */
  @Override
  public void fail(Client c, String reason) {
    if (c.loggingIn()) {
      inLogin--;
    }
    stats.failed++;
    if (stats.firstFailure == null) {
      stats.firstFailure = c.name + ": " + reason;
    }
    c.failure = reason;
    c.state = Client.State.FAILED;
    c.close();
  }

  /** The connection ended by itself: a failed login, or a disconnection once in. */
  void lost(Client c, String reason) {
    if (c.state != Client.State.READY) {
      if (c.state != Client.State.FAILED && c.state != Client.State.CLOSED) {
        fail(c, reason);
      }
      return;
    }
    c.state = Client.State.CLOSED;
    c.failure = reason;
    c.done = true;
    if (c.readyAtStart) {
      c.closedInRun = true;
      if (!c.nonReader) {
        connectedReaders.decrementAndGet(c.room);
        stats.deliveredToGone += c.delivered;
        if (c.sender) {
          control.senderReads.set(c.index, 0);
        }
      }
    }
    stats.disconnected++;
    if (stats.firstDisconnect == null) {
      stats.firstDisconnect = c.name + ": " + reason;
    }
    c.close();
  }

  /** Reads what the non-readers were sent, to learn whether the server closed them. */
  private void checkNonReaders() {
    for (Client c : clients) {
      if (c.nonReader && c.state == Client.State.READY && c.closedByServer(readBuffer)) {
        stats.nonReadersClosed++;
      }
    }
  }

  private void publish() {
    progress.publish(stats);
    if (!progress.sendersDone && senders.allDone()) {
      progress.sendersDone = true;
    }
  }

  private void closeAll() {
    for (Client c : clients) {
      c.close();
    }
    try {
      selector.close();
    } catch (IOException e) {
      // nothing left to release
    }
  }
}
