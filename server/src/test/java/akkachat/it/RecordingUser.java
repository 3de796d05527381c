package akkachat.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * A user at a raw TCP socket whose every received line is kept: a thread reads what the server
 * sends (the username prompt, which has no line break, counts as a line) and records each line
 * with when it came and how many numbered lines this user had sent by then. The test waits for
 * lines with deadlines and judges the whole transcript at the end.
 */
final class RecordingUser implements AutoCloseable {
  static final String PROMPT = "Please enter your username: ";

  /** A received line, when it came (nanoTime), and how many lines the user had sent by then. */
  record Line(String text, long at, int sentBefore) {}

  final String name;
  private final Socket socket;
  private final OutputStream out;
  private final Thread reader;
  private final AtomicInteger sent = new AtomicInteger();
  private final List<Line> lines = new ArrayList<>(); // guarded by this
  private boolean closed; // guarded by this
  private volatile String sendFailure;

  private RecordingUser(String name, Socket socket) throws IOException {
    this.name = name;
    this.socket = socket;
    this.out = socket.getOutputStream();
    this.reader = new Thread(this::read, "reader-" + name);
    reader.setDaemon(true);
    reader.start();
  }

  static RecordingUser connect(String name, int port) {
    try {
      Socket socket = new Socket();
      socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
      socket.setTcpNoDelay(true);
      return new RecordingUser(name, socket);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void read() {
    byte[] buffer = new byte[8192];
    ByteArrayOutputStream partial = new ByteArrayOutputStream();
    try {
      InputStream in = socket.getInputStream();
      int n;
      while ((n = in.read(buffer)) > 0) {
        for (int i = 0; i < n; i++) {
          if (buffer[i] == '\n') {
            add(partial.toString(StandardCharsets.UTF_8));
            partial.reset();
          } else {
            partial.write(buffer[i]);
          }
        }
        if (partial.toString(StandardCharsets.UTF_8).equals(PROMPT)) {
          add(PROMPT);
          partial.reset();
        }
      }
    } catch (IOException e) {
      // A reset, or the test closing the socket: the connection is gone either way.
    }
    synchronized (this) {
      if (partial.size() > 0) {
        add(partial.toString(StandardCharsets.UTF_8));
      }
      closed = true;
      notifyAll();
    }
  }

  private synchronized void add(String text) {
    lines.add(new Line(text, System.nanoTime(), sent.get()));
    notifyAll();
  }

  void send(String text) {
    try {
      synchronized (out) {
        out.write((text + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(name + " could not send", e);
    }
  }

  /** Sends this user's next numbered line: {@code line 1}, {@code line 2}, ... */
  void say() {
    synchronized (out) {
      send("line " + sent.incrementAndGet());
    }
  }

  /**
   * For a timer thread: the next numbered line, unless the connection is closed; a failed send
   * is kept for {@link #sendFailure} and ends the sending.
   */
  void sayUnlessClosed() {
    if (sendFailure != null || closed()) {
      return;
    }
    try {
      say();
    } catch (UncheckedIOException e) {
      sendFailure = "line " + sent.getAndDecrement() + ": " + e.getCause();
    }
  }

  /** Why a line from {@link #sayUnlessClosed} could not be sent, or null. */
  String sendFailure() {
    return sendFailure;
  }

  /** How many numbered lines this user has sent. */
  int sent() {
    return sent.get();
  }

  synchronized boolean closed() {
    return closed;
  }

  synchronized boolean has(String text) {
    return lines.stream().anyMatch(l -> l.text().equals(text));
  }

  synchronized Line find(String text) {
    return lines.stream().filter(l -> l.text().equals(text)).findFirst()
        .orElseThrow(() -> new AssertionError(name + " never saw: " + text));
  }

  synchronized List<Line> lines() {
    return List.copyOf(lines);
  }

  synchronized int size() {
    return lines.size();
  }

  /** The lines from index {@code from} on, on one line, and whether the connection closed. */
  synchronized String since(int from) {
    return name + ": " + lines.subList(Math.min(from, lines.size()), lines.size()).stream()
        .map(Line::text).collect(Collectors.joining(" | ")) + (closed ? " | (closed)" : "");
  }

  /** Waits until {@code condition} holds; fails at the deadline or if the connection closed. */
  synchronized void await(String what, long deadline, BooleanSupplier condition) {
    while (!condition.getAsBoolean()) {
      long left = deadline - System.nanoTime();
      if (left <= 0 || closed) {
        fail(name + ": no " + what + (closed ? " before the connection closed" : " in time")
            + "\n" + transcript());
      }
      try {
        wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        fail("interrupted");
      }
    }
  }

  synchronized String transcript() {
    StringBuilder text = new StringBuilder("---- " + name + " (sent " + sent.get()
        + (closed ? ", closed" : "") + ")\n");
    for (int i = 0; i < lines.size(); i++) {
      text.append(String.format("%4d  %s%n", i, lines.get(i).text()));
    }
    return text.toString();
  }

  @Override
  public void close() {
    try {
      socket.close();
      reader.join(10_000);
    } catch (IOException e) {
      // already gone
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
