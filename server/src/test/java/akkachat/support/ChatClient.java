package akkachat.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A test's nc: a real TCP socket that reads the server's lines with deadlines. Every read waits
 * at most the given time; nothing sleeps.
 */
public final class ChatClient implements AutoCloseable {
  public static final Duration TIMEOUT = Duration.ofSeconds(10);
  public static final String PROMPT = "Please enter your username: ";

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;
  private final byte[] buffer = new byte[8192];
  private int start;
  private int end;

  private ChatClient(Socket socket) throws IOException {
    this.socket = socket;
    this.in = socket.getInputStream();
    this.out = socket.getOutputStream();
  }

  public static ChatClient connect(int port) {
    return connect(port, s -> { });
  }

  /** What a test sets on a socket before it connects: buffer sizes, a source address. */
  @FunctionalInterface
  public interface SocketSetup {
    void apply(Socket socket) throws IOException;
  }

  /**
   * Connects after {@code setup} has configured the unconnected socket, e.g.
   * {@code s -> s.setReceiveBufferSize(4096)} or
   * {@code s -> s.bind(new InetSocketAddress("127.0.0.2", 0))}.
   */
  public static ChatClient connect(int port, SocketSetup setup) {
    try {
      Socket s = new Socket();
      setup.apply(s);
      s.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
      s.setTcpNoDelay(true);
      return new ChatClient(s);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A TLS connection, its handshake done, trusting what {@code context} trusts. */
  public static ChatClient connectTls(int port, SSLContext context) {
    Socket plain = new Socket();
    try {
      plain.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
      plain.setTcpNoDelay(true);
      SSLSocket s = (SSLSocket) context.getSocketFactory()
          .createSocket(plain, "localhost", port, true);
      s.setSoTimeout((int) TIMEOUT.toMillis());
      s.startHandshake();
      return new ChatClient(s);
    } catch (IOException e) {
      try {
        plain.close();
      } catch (IOException ignored) {
        // the connection is being given up anyway
      }
      throw new UncheckedIOException(e);
    }
  }

  public Socket socket() {
    return socket;
  }

  /**
   * Reads the banner and prompt, sends the name and reads the three lines of a good login;
   * returns the users-online line.
   */
  public String login(String name) {
    expectLine("Welcome to akka-chat!");
    expectPrompt();
    send(name);
    expectLine("Welcome, " + name);
    String online = readLine();
    if (!online.startsWith("*** Users online: ")) {
      fail("expected the users-online line, got: " + online);
    }
    expectLine("*** " + name + " just joined the chatroom");
    return online;
  }

  public void send(String line) {
    sendRaw((line + "\n").getBytes(StandardCharsets.UTF_8));
  }

  /** Safe to call from a {@link #keepAlive} thread and the test thread at once. */
  public synchronized void sendRaw(byte[] bytes) {
    try {
      out.write(bytes);
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Sends a blank line (activity that nobody sees) every {@code every} until the returned
   * handle is closed, so that this client outlives a short idle timeout.
   */
  public KeepAlive keepAlive(Duration every) {
    ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "keep-alive");
      t.setDaemon(true);
      return t;
    });
    timer.scheduleAtFixedRate(() -> {
      try {
        send("");
      } catch (UncheckedIOException e) {
        timer.shutdown(); // the connection is gone
      }
    }, 0, every.toMillis(), TimeUnit.MILLISECONDS);
    return () -> {
      timer.shutdownNow();
      try {
        if (!timer.awaitTermination(10, TimeUnit.SECONDS)) {
          fail("keep-alive did not stop");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    };
  }

  /** Stops a {@link #keepAlive}; after close returns no more blank lines are sent. */
  public interface KeepAlive extends AutoCloseable {
    @Override
    void close();
  }

  /** Half-close: end of input, as nc -N or Ctrl-D does. */
  public void shutdownOutput() {
    try {
      socket.shutdownOutput();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Abortive close: the peer sees a reset. */
  public void abort() {
    try {
      socket.setSoLinger(true, 0);
      socket.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public String readLine() {
    return readLine(TIMEOUT);
  }

  /** The next line without its LF; fails on timeout or end of stream. */
  public String readLine(Duration timeout) {
    String line = tryReadLine(timeout);
    if (line == null) {
      fail("connection closed while waiting for a line");
    }
    return line;
  }

  /** The next line, or null at end of stream; fails on timeout. */
  public String tryReadLine(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    while (true) {
      for (int i = start; i < end; i++) {
        if (buffer[i] == '\n') {
          line.write(buffer, start, i - start);
          start = i + 1;
          return line.toString(StandardCharsets.UTF_8);
        }
      }
      line.write(buffer, start, end - start);
      start = end;
      if (!fill(deadline)) {
        return line.size() == 0 ? null : line.toString(StandardCharsets.UTF_8);
      }
    }
  }

  /**
   * The next line exactly as the server sent its bytes (no decoding), without its LF; null at
   * end of stream; fails on timeout. For checks that decoding would hide (invalid UTF-8).
   */
  public byte[] tryReadLineBytes(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    while (true) {
      for (int i = start; i < end; i++) {
        if (buffer[i] == '\n') {
          line.write(buffer, start, i - start);
          start = i + 1;
          return line.toByteArray();
        }
      }
      line.write(buffer, start, end - start);
      start = end;
      if (!fill(deadline)) {
        return line.size() == 0 ? null : line.toByteArray();
      }
    }
  }

  /** Reads exactly the bytes of {@code text} (for the prompt, which has no line break). */
  public void expectExact(String text) {
    byte[] want = text.getBytes(StandardCharsets.UTF_8);
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    ByteArrayOutputStream got = new ByteArrayOutputStream();
    while (got.size() < want.length) {
      if (start == end && !fill(deadline)) {
        fail("connection closed; got so far: " + got.toString(StandardCharsets.UTF_8));
      }
      int n = Math.min(want.length - got.size(), end - start);
      got.write(buffer, start, n);
      start += n;
    }
    assertEquals(text, got.toString(StandardCharsets.UTF_8));
  }

  public void expectPrompt() {
    expectExact(PROMPT);
  }

  public void expectLine(String expected) {
    assertEquals(expected, readLine());
  }

  /** The next lines are exactly {@code expected}, in this order. */
  public void expectLines(String... expected) {
    for (String line : expected) {
      expectLine(line);
    }
  }

  /** Reads lines until one equals {@code expected}; returns the lines before it. */
  public List<String> readUntil(String expected) {
    List<String> before = new ArrayList<>();
    while (true) {
      String line = readLine();
      if (line.equals(expected)) {
        return before;
      }
      before.add(line);
    }
  }

  /** Asserts that nothing arrives within {@code quiet}. */
  public void expectNothing(Duration quiet) {
    if (start < end) {
      fail("unexpected data: " + new String(buffer, start, end - start, StandardCharsets.UTF_8));
    }
    long deadline = System.nanoTime() + quiet.toNanos();
    try {
      if (fill(deadline)) {
        fail("unexpected data: " + new String(buffer, start, end - start, StandardCharsets.UTF_8));
      }
    } catch (AssertionError e) {
      if (!e.getMessage().startsWith("timed out")) {
        throw e;
      }
    }
  }

  /** Asserts the server closes the connection (end of stream or reset) within the timeout. */
  public void expectClosed() {
    String line = tryReadLine(TIMEOUT);
    if (line != null) {
      fail("expected the connection to close, got line: " + line);
    }
  }

  /** Fills the buffer; false at end of stream (or reset); fails at the deadline. */
  private boolean fill(long deadline) {
    start = 0;
    end = 0;
    try {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        fail("timed out waiting for data");
      }
      socket.setSoTimeout((int) Math.max(1, left / 1_000_000));
      int n = in.read(buffer);
      if (n < 0) {
        return false;
      }
      end = n;
      return true;
    } catch (SocketTimeoutException e) {
      fail("timed out waiting for data");
      return false;
    } catch (SocketException e) {
      return false; // reset: the connection is gone
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException ignored) {
      // closing a socket that is already gone
    }
  }
}
