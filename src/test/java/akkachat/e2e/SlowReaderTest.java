package akkachat.e2e;

import akkachat.support.ChatClient;
import akkachat.support.TestServer;
import org.junit.jupiter.api.Test;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * PROTOCOL.md section 4: a client that does not read is closed once its queue is full; the
 * others see it leave once and are not slowed down, and miss none of their lines.
 */
class SlowReaderTest {
  private static final int MAX_LINES = 20_000; // 80 MB: far more than any socket buffers
  private static final String NOTICE = "*** slow has disconnected";
  /** alice's lines not yet echoed back to her: she keeps up with her own queue. */
  private static final int WINDOW = 8;

  @Test
  void clientThatDoesNotReadIsClosedAndTheOthersMissNothing() throws Exception {
    try (TestServer server = TestServer.start(
        "akka-chat { send-queue-limit = 20, rate-limit = 100000 }")) {
      ChatClient alice = server.login("alice");
      ChatClient slow = server.connect(s -> s.setReceiveBufferSize(4096));
      slow.login("slow");
      alice.expectLine("*** slow just joined the chatroom");

      String text = "x".repeat(4000);
      AtomicBoolean gone = new AtomicBoolean();
      Semaphore window = new Semaphore(WINDOW);
      ExecutorService pool = Executors.newSingleThreadExecutor();
      try {
        // alice reads her own lines in the background while she floods the room, never more
        // than WINDOW lines ahead of them: she is a reader that keeps up.
        Future<Integer> notices = pool.submit(() -> {
          int next = 0;
          int seen = 0;
          while (true) {
            String line = alice.readLine();
            if (line.equals(NOTICE)) {
              seen++;
              gone.set(true);
            } else if (line.equals("[alice] end")) {
              return seen;
            } else {
              assertEquals("[alice] " + next + " " + text, line, "alice missed a line");
              next++;
              window.release();
            }
          }
        });
        int sent = 0;
        while (!gone.get() && sent < MAX_LINES) {
          assertTrue(window.tryAcquire(10, TimeUnit.SECONDS), "alice's own lines stopped coming");
          alice.send(sent + " " + text);
          sent++;
        }
        alice.send("end");
        assertEquals(1, notices.get(60, TimeUnit.SECONDS), "notices of slow leaving");
        assertTrue(sent < MAX_LINES, "slow was never closed");
      } finally {
        pool.shutdownNow();
      }
      // slow gets what was already on its way, then the connection ends.
      String line;
      do {
        line = slow.tryReadLine(ChatClient.TIMEOUT);
      } while (line != null);
    }
  }
}
