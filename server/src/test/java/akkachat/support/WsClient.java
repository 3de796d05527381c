package akkachat.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;

/**
 * A test's browser: the JDK's WebSocket client on a real socket. Every text message the server
 * sends is one frame here, read with deadlines; nothing sleeps.
 */
public final class WsClient implements AutoCloseable {
  public static final Duration TIMEOUT = ChatClient.TIMEOUT;
  /** What {@link #nextFrame} gives once the server has closed the WebSocket. */
  public static final String CLOSED = "<closed>";

  private final WebSocket socket;
  private final BlockingQueue<String> frames;
  private final AtomicInteger pings;

  private WsClient(WebSocket socket, BlockingQueue<String> frames, AtomicInteger pings) {
    this.socket = socket;
    this.frames = frames;
    this.pings = pings;
  }

  /** Opens a WebSocket to {@code uri}, sending {@code origin} as its Origin (null: none). */
  public static WsClient connect(URI uri, String origin) {
    return connect(uri, origin, null);
  }

  /** As {@link #connect(URI, String)}; a {@code wss:} one trusting what {@code tls} trusts. */
  public static WsClient connect(URI uri, String origin, SSLContext tls) {
    BlockingQueue<String> frames = new LinkedBlockingQueue<>();
    AtomicInteger pings = new AtomicInteger();
    try {
      return new WsClient(open(uri, origin, tls, frames, pings).get(20, TimeUnit.SECONDS), frames,
          pings);
    } catch (Exception e) {
      throw new IllegalStateException("WebSocket to " + uri + " did not open", e);
    }
  }

  /** The HTTP status of a refused upgrade to {@code uri} with {@code origin}; -1 if accepted. */
  public static int refusedStatus(URI uri, String origin) {
    try {
      open(uri, origin, null, new LinkedBlockingQueue<>(), new AtomicInteger())
          .get(20, TimeUnit.SECONDS)
          .abort();
      return -1;
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof WebSocketHandshakeException h) {
        return h.getResponse().statusCode();
      }
      throw new IllegalStateException(e);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static CompletableFuture<WebSocket> open(URI uri, String origin, SSLContext tls,
      BlockingQueue<String> frames, AtomicInteger pings) {
    HttpClient.Builder client = HttpClient.newBuilder();
    if (tls != null) {
      client.sslContext(tls);
    }
    WebSocket.Builder builder = client.build().newWebSocketBuilder()
        .connectTimeout(Duration.ofSeconds(10));
    if (origin != null) {
      builder.header("Origin", origin);
    }
    return builder.buildAsync(uri, new WebSocket.Listener() {
      private final StringBuilder parts = new StringBuilder();

      @Override
      public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
        parts.append(data);
        if (last) {
          frames.add(parts.toString());
          parts.setLength(0);
        }
        ws.request(1);
        return null;
      }

      @Override
      public CompletionStage<?> onPing(WebSocket ws, ByteBuffer message) {
        pings.incrementAndGet(); // the JDK's client answers with a pong itself
        ws.request(1);
        return null;
      }

      @Override
      public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
        frames.add(CLOSED);
        return null;
      }

      @Override
      public void onError(WebSocket ws, Throwable error) {
        frames.add(CLOSED);
      }
    });
  }

  public WebSocket socket() {
    return socket;
  }

  /** Pings the server has sent so far. */
  public int pings() {
    return pings.get();
  }

  /** Sends {@code text} as one text frame. */
  public void send(String text) {
    socket.sendText(text, true).join();
  }

  /** Sends {@code text} as a message of several frames, one per part. */
  public void sendInParts(String... parts) {
    for (int i = 0; i < parts.length; i++) {
      socket.sendText(parts[i], i == parts.length - 1).join();
    }
  }

  public void sendBinary(byte[] bytes) {
    socket.sendBinary(ByteBuffer.wrap(bytes), true).join();
  }

  /** The next frame's text, or {@link #CLOSED}; fails after {@code timeout}. */
  public String nextFrame(Duration timeout) {
    try {
      String frame = frames.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (frame == null) {
        fail("no frame within " + timeout);
      }
      return frame;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public String nextFrame() {
    return nextFrame(TIMEOUT);
  }

  public void expectFrame(String expected) {
    assertEquals(expected, nextFrame());
  }

  /** Reads frames until one is {@code expected}; fails at the deadline or the close. */
  public void awaitFrame(String expected) {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    String frame;
    while (!(frame = nextFrame(Duration.ofNanos(Math.max(1, deadline - System.nanoTime()))))
        .equals(expected)) {
      if (frame.equals(CLOSED)) {
        fail("closed before '" + expected + "'");
      }
    }
  }

  /** The server closes the WebSocket next. */
  public void expectClosed() {
    assertEquals(CLOSED, nextFrame());
  }

  /** Banner, prompt (a frame of its own), the name, and the login frames. */
  public void login(String name) {
    expectFrame("Welcome to akka-chat!");
    expectFrame(ChatClient.PROMPT);
    send(name);
    expectFrame("Welcome, " + name);
    String online = nextFrame();
    if (!online.startsWith("*** Users online: ")) {
      fail("expected the users-online frame, got: " + online);
    }
    expectFrame("*** " + name + " just joined the chatroom");
  }

  /** Cuts the connection without a close frame, as a vanished browser would. */
  public void abort() {
    socket.abort();
  }

  @Override
  public void close() {
    socket.abort();
  }
}
