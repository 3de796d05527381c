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
    try {
      Socket s = new Socket();
      s.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
      s.setTcpNoDelay(true);
      return new ChatClient(s);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public Socket socket() {
    return socket;
  }

  /** Reads the banner and prompt, sends the name and reads the three lines of a good login. */
  public void login(String name) {
    expectLine("Welcome to akka-chat!");
    expectPrompt();
    send(name);
    expectLine("Welcome, " + name);
    String online = readLine();
    if (!online.startsWith("*** Users online: ")) {
      fail("expected the users-online line, got: " + online);
    }
    expectLine("*** " + name + " just joined the chatroom");
  }

  public void send(String line) {
    sendRaw((line + "\n").getBytes(StandardCharsets.UTF_8));
  }

  public void sendRaw(byte[] bytes) {
    try {
      out.write(bytes);
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
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
