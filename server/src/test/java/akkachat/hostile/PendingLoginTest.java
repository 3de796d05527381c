package akkachat.hostile;

import akkachat.support.ChatClient;
import akkachat.support.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static akkachat.hostile.Limits.connectWhenFree;
import static akkachat.hostile.Limits.from;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * PROTOCOL.md section 1: connections that never give a name are all closed by the login timeout,
 * no sooner, while real users log in and chat as usual. What a connection costs in memory is a
 * figure for the bench (its {@code --server-heap}, against a server in a process of its own;
 * docs/BENCHMARKS.md), not for an assertion in a JVM that other tests share.
 */
class PendingLoginTest {
  private static final int PENDING = 2000;
  // 20 source addresses (127.0.0.10 to .29), each right at the default max-connections-per-ip.
  private static final int PER_ADDRESS = 100;
  private static final long TIMEOUT_MS = 5000;
  private static final String WAITING = "Welcome to akka-chat!\nPlease enter your username: ";
  private static final String DISCONNECTED =
      "*** disconnected: no username within " + TIMEOUT_MS / 1000 + " seconds\n";

  @Test
  @Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void thousandsOfConnectionsThatNeverLogInAreClosedByTheLoginTimeout() throws Exception {
    try (TestServer server = TestServer.start("akka-chat { login-timeout = " + TIMEOUT_MS / 1000
        + "s, max-connections = " + (PENDING + 10) + " }")) {
      PendingClients pending = new PendingClients(server.port);
      CompletableFuture<Void> done = CompletableFuture.runAsync(pending);
      try {
        if (!pending.allWaiting.await(60, TimeUnit.SECONDS)) {
          done.getNow(null); // rethrows what went wrong in there
          fail("only " + (PENDING - pending.allWaiting.getCount()) + " connections got the prompt");
        }

        // A real user meanwhile: logs in and chats as usual.
        List<ChatClient> pair = server.loginAll("alice", "bob");
        for (int i = 0; i < 20; i++) {
          pair.get(i % 2).send("line " + i);
          String line = (i % 2 == 0 ? "[alice]" : "[bob]") + " line " + i;
          pair.forEach(c -> c.expectLine(line));
        }

        done.get(60, TimeUnit.SECONDS);
        pending.check();

        // After thousands of timeouts at once the server still serves, and has freed the slots
        // of an address that was at its limit.
        pair.get(0).send("after the timeouts");
        pair.forEach(c -> c.expectLine("[alice] after the timeouts"));
        ChatClient carol = connectWhenFree(server, from("127.0.0.10"));
        carol.expectPrompt();
        carol.send("carol");
        carol.expectLine("Welcome, carol");
        pair.forEach(c -> c.expectLine("*** carol just joined the chatroom"));
      } finally {
        pending.closeAll();
      }
    }
  }

  /** Opens every pending connection from one thread with NIO and reads each to its end. */
  private static final class PendingClients implements Runnable {
    final CountDownLatch allWaiting = new CountDownLatch(PENDING);
    final AtomicInteger closed = new AtomicInteger();
    private final InetSocketAddress server;
    private final List<Conn> conns = new ArrayList<>();
    private final Selector selector;

    private static final class Conn {
      final SocketChannel channel;
      final ByteArrayOutputStream received = new ByteArrayOutputStream();
      final long openedAt = System.nanoTime(); // no server timer can start before this
      long closedAt;
      boolean waiting;
      boolean arrived; // waiting, or failed before it was
      String error;

      Conn(SocketChannel channel) {
        this.channel = channel;
      }
    }

    PendingClients(int port) throws IOException {
      this.server = new InetSocketAddress("127.0.0.1", port);
      this.selector = Selector.open();
    }

    @Override
    public void run() {
      try {
        ByteBuffer buffer = ByteBuffer.allocate(4096);
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        int connecting = 0;
        while (closed.get() < PENDING) {
          // At most 200 on their way in at once, so the listen backlog never overflows.
          while (conns.size() < PENDING && connecting < 200) {
            open(conns.size());
            connecting++;
          }
          if (System.nanoTime() > deadline) {
            throw new IllegalStateException(closed.get() + " of " + PENDING + " closed in time");
          }
          selector.select(100);
          for (SelectionKey key : selector.selectedKeys()) {
            Conn c = (Conn) key.attachment();
            if (key.isConnectable()) {
              connected(key, c);
            } else if (key.isReadable()) {
              read(key, c, buffer);
            }
            if (!c.arrived && (c.waiting || c.closedAt != 0)) {
              c.arrived = true;
              connecting--;
            }
          }
          selector.selectedKeys().clear();
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    private void open(int index) throws IOException {
      SocketChannel channel = SocketChannel.open();
      Conn c = new Conn(channel);
      conns.add(c);
      channel.configureBlocking(false);
      channel.bind(new InetSocketAddress("127.0.0." + (10 + index / PER_ADDRESS), 0));
      if (channel.connect(server)) {
        channel.register(selector, SelectionKey.OP_READ, c);
      } else {
        channel.register(selector, SelectionKey.OP_CONNECT, c);
      }
    }

    private void connected(SelectionKey key, Conn c) {
      try {
        c.channel.finishConnect();
        key.interestOps(SelectionKey.OP_READ);
      } catch (IOException e) {
        end(key, c, "connect failed: " + e);
      }
    }

    private void read(SelectionKey key, Conn c, ByteBuffer buffer) {
      buffer.clear();
      int n;
      try {
        n = c.channel.read(buffer);
      } catch (IOException e) {
        end(key, c, "reset: " + e.getMessage());
        return;
      }
      if (n < 0) {
        end(key, c, null);
        return;
      }
      c.received.write(buffer.array(), 0, n);
      if (!c.waiting && c.received.size() >= WAITING.length()) {
        c.waiting = true;
        allWaiting.countDown();
      }
    }

    private void end(SelectionKey key, Conn c, String error) {
      c.closedAt = System.nanoTime();
      c.error = error;
      key.cancel();
      try {
        c.channel.close();
      } catch (IOException ignored) {
        // already gone
      }
      closed.incrementAndGet();
    }

    /** Every connection got the banner, the prompt and the timeout line, no sooner, then EOF. */
    void check() {
      assertEquals(PENDING, conns.size());
      for (Conn c : conns) {
        assertEquals(null, c.error);
        assertEquals(WAITING + DISCONNECTED, c.received.toString(UTF_8));
        long openMs = (c.closedAt - c.openedAt) / 1_000_000;
        assertTrue(openMs >= TIMEOUT_MS, "closed after " + openMs + " ms");
      }
    }

    void closeAll() throws IOException {
      for (Conn c : conns) {
        c.channel.close();
      }
      selector.close();
    }
  }
}
