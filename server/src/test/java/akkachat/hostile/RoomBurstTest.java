package akkachat.hostile;

import akkachat.support.ChatClient;
import akkachat.support.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Issue 18: a burst far larger than the kernel buffers, into a room whose members all read as
 * fast as they can, closes none of them: a client is too slow only if it stops taking lines
 * for {@code slow-reader-timeout}, not because more than {@code send-queue-limit} lines wait
 * for it at one instant.
 */
class RoomBurstTest {
  private static final int MEMBERS = 10;
  private static final int PASTERS = 5;
  private static final int LINES_PER_PASTER = 2000;
  private static final int LINE_BYTES = 900;
  // The case: 10,000 lines of 900 bytes (9 MB) for each of ten members, fifty times
  // send-queue-limit; a rate limit that lets each paster send 1,000 lines at once.
  private static final String CONFIG = "akka-chat { send-queue-limit = 200, rate-limit = 1000 }";

  @Test
  @Timeout(value = 180, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void membersThatReadAreNotClosedForABurstOfTheRoom() throws Exception {
    try (TestServer server = TestServer.start(CONFIG)) {
      String[] names = new String[MEMBERS];
      for (int i = 0; i < MEMBERS; i++) {
        names[i] = i < PASTERS ? "p" + i : "r" + i;
      }
      List<ChatClient> members = server.loginAll(names);
      ExecutorService pool = Executors.newFixedThreadPool(MEMBERS + PASTERS);
      try {
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> done = new ArrayList<>();
        for (int i = 0; i < MEMBERS; i++) {
          done.add(pool.submit(reader(members.get(i), go)));
        }
        for (int i = 0; i < PASTERS; i++) {
          done.add(pool.submit(paster(members.get(i), go)));
        }
        go.countDown();
        for (Future<?> f : done) {
          f.get(150, TimeUnit.SECONDS);
        }
      } finally {
        pool.shutdownNow();
      }
    }
  }

  /** Sends its 2,000 lines of 900 bytes as fast as the server takes them. */
  private static Callable<Void> paster(ChatClient client, CountDownLatch go) {
    return () -> {
      go.await();
      for (int n = 0; n < LINES_PER_PASTER; n++) {
        String head = n + " ";
        client.send(head + "x".repeat(LINE_BYTES - head.length()));
      }
      return null;
    };
  }

  /**
   * Reads every paster's every line, in order and whole, each within
   * {@link ChatClient#TIMEOUT}; fails if its connection closes or anyone leaves.
   */
  private static Callable<Void> reader(ChatClient client, CountDownLatch go) {
    return () -> {
      go.await();
      int[] next = new int[PASTERS];
      for (int received = 0; received < PASTERS * LINES_PER_PASTER; received++) {
        byte[] raw = client.tryReadLineBytes(ChatClient.TIMEOUT);
        if (raw == null) {
          fail("connection closed after " + received + " lines of the burst");
        }
        // Only the start of each line is decoded: the readers must keep up on a busy machine.
        String head = new String(raw, 0, Math.min(raw.length, 40), StandardCharsets.UTF_8);
        if (!head.startsWith("[p")) {
          fail("unexpected line after " + received + " lines of the burst: " + head);
        }
        int close = head.indexOf("] ");
        int from = Integer.parseInt(head.substring(2, close));
        int n = Integer.parseInt(head.substring(close + 2, head.indexOf(' ', close + 2)));
        if (n != next[from] || raw.length != close + 2 + LINE_BYTES) {
          fail("expected line " + next[from] + " of p" + from + ", got: " + head);
        }
        next[from]++;
      }
      return null;
    };
  }
}
