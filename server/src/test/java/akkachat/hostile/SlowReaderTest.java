package akkachat.hostile;

import akkachat.support.ChatClient;
import akkachat.support.LogCapture;
import akkachat.support.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * PROTOCOL.md section 4: a client that does not read while lines pile up past
 * {@code send-queue-limit} is closed after {@code slow-reader-timeout}; the others see it leave
 * once, miss none of their lines and are not held up. (Readers that read keep their connection
 * through a burst: RoomBurstTest.)
 */
class SlowReaderTest {
  private static final String SLOW_GONE = "*** slow has disconnected";
  private static final Duration QUIET = Duration.ofMillis(300);
  private static final String SMALL_QUEUE =
      "akka-chat { send-queue-limit = 50, rate-limit = 100000, slow-reader-timeout = 1s }";

  // 50 readers and 5 talkers beside a non-reader.
  private static final int READERS = 50;
  private static final int TALKERS = 5;
  private static final int LINES_PER_TALKER = 500;
  private static final int WINDOW = 20;
  // 2,500 lines of 3.9 KB (9.75 MB): far more than the kernel buffers of a non-reader take
  // (about 3 MB on loopback), so it is stuck, and its queue fills, long before the end.
  private static final String PAD = "x".repeat(3900);
  // Paced by the server's rate limit: a burst of 600 lines in all, then 600 lines a second,
  // which every reader keeps up with even on a busy machine; only the non-reader falls behind,
  // past the queue limit, and takes nothing for slow-reader-timeout.
  private static final String CONFIG = "akka-chat { send-queue-limit = 1000, rate-limit = 120 }";

  /** A socket that takes almost nothing off the server's hands. */
  private static void smallReceiveBuffer(Socket s) throws IOException {
    s.setReceiveBufferSize(4096);
  }

  @Test
  @Timeout(value = 90, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void clientThatNeverReadsIsClosedAndTheOthersMissNothing() {
    try (TestServer server = TestServer.start(SMALL_QUEUE)) {
      List<ChatClient> pair = server.loginAll("alice", "bob");
      ChatClient slow = server.connect(SlowReaderTest::smallReceiveBuffer);
      slow.login("slow");
      pair.forEach(c -> c.expectLine("*** slow just joined the chatroom"));

      talkUntilSlowIsGone(pair);

      // Its connection is closed: what the kernel holds for it, then end of stream (or reset).
      int left = 0;
      while (slow.tryReadLineBytes(ChatClient.TIMEOUT) != null) {
        assertTrue(++left < 5000, "the non-reader's connection is still open");
      }
      pair.get(1).send("still talking");
      pair.forEach(c -> c.expectLine("[bob] still talking"));
      pair.forEach(c -> c.expectNothing(QUIET));
    }
  }

  @Test
  @Timeout(value = 90, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void closingASlowReaderIsNotLoggedAsAnError() {
    try (LogCapture log = LogCapture.errors();
         TestServer server = TestServer.start(SMALL_QUEUE)) {
      List<ChatClient> pair = server.loginAll("alice", "bob");
      server.connect(SlowReaderTest::smallReceiveBuffer).login("slow");
      pair.forEach(c -> c.expectLine("*** slow just joined the chatroom"));

      talkUntilSlowIsGone(pair);

      log.flush(server.system);
      assertEquals(List.of(), log.errorsSoFar(),
          "a client too slow to read is an everyday event, not an error of the server");
    }
  }

  /**
   * alice talks 300 lines of 3 KB (900 KB, far more than the kernel buffers take for a client
   * that does not read), in steps of 20 lines that she and bob read; more than 50 lines then
   * wait for the non-reader "slow", which is closed when it has taken none of them for the
   * slow-reader-timeout (far below the cap in bytes). Both miss none of alice's lines and see
   * slow leave exactly once.
   */
  private static void talkUntilSlowIsGone(List<ChatClient> pair) {
    String pad = " " + "p".repeat(3000);
    int[] gone = new int[2];
    for (int sent = 0; sent < 300; sent += 20) {
      for (int i = 0; i < 20; i++) {
        pair.get(0).send((sent + i) + pad);
      }
      for (int m = 0; m < 2; m++) {
        for (int i = 0; i < 20; i++) {
          String line = pair.get(m).readLine();
          if (line.equals(SLOW_GONE)) {
            gone[m]++;
            line = pair.get(m).readLine();
          }
          assertEquals("[alice] " + (sent + i) + pad, line);
        }
      }
    }
    for (int m = 0; m < 2; m++) {
      ChatClient member = pair.get(m);
      if (gone[m] == 0) {
        member.expectLine(SLOW_GONE);
        gone[m]++;
      }
      member.expectNothing(QUIET);
      assertEquals(1, gone[m], "lines saying slow left, seen by member " + m);
    }
  }

  /**
   * 50 readers and 5 talkers, who keep up, and one client that never reads. Were the room held
   * up by the non-reader, the others would stop getting lines and time out; instead each of the
   * 55 gets every talker's every line, in order, and sees the non-reader leave exactly once.
   * (How much a non-reader costs the others in throughput and latency is a bench figure, scenario
   * e against b in docs/BENCHMARKS.md, not an assertion on a shared test machine.)
   */
  @Test
  @Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void nonReaderDoesNotHoldUpFiftyFiveOthers() throws Exception {
    try (TestServer server = TestServer.start(CONFIG)) {
      List<ChatClient> talkers = new ArrayList<>();
      List<ChatClient> members = new ArrayList<>();
      for (int i = 0; i < TALKERS; i++) {
        talkers.add(server.login("t" + i));
      }
      members.addAll(talkers);
      for (int i = 0; i < READERS; i++) {
        members.add(server.login("r" + i));
      }
      server.connect(SlowReaderTest::smallReceiveBuffer).login("slow");
      ExecutorService pool = Executors.newFixedThreadPool(members.size());
      List<Long> seenDuringTheRun = new ArrayList<>();
      try {
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Long>> done = new ArrayList<>();
        for (int i = 0; i < members.size(); i++) {
          done.add(pool.submit(member(members.get(i), i < TALKERS ? i : -1, go)));
        }
        go.countDown();
        for (Future<Long> f : done) {
          seenDuringTheRun.add(f.get(90, TimeUnit.SECONDS));
        }
      } finally {
        pool.shutdownNow();
      }
      // Its queue filled long before the end, but the room may learn it left only after the
      // last line: a marker after everything, then each member has seen the notice once.
      talkers.get(0).send("end");
      for (int i = 0; i < members.size(); i++) {
        List<String> before = members.get(i).readUntil("[t0] end");
        long seen = seenDuringTheRun.get(i) + before.stream().filter(SLOW_GONE::equals).count();
        assertEquals(before.size(), before.stream().filter(SLOW_GONE::equals).count(),
            "lines before the marker: " + before);
        if (seen == 0) {
          members.get(i).expectLine(SLOW_GONE);
          seen++;
        }
        assertEquals(1, seen, "lines saying the non-reader left, seen by member " + i);
      }
    }
  }

  /**
   * One of the 55: reads until it has every talker's every line (checking their order), each
   * within {@link ChatClient#TIMEOUT}; a talker ({@code talker >= 0}) also sends its own lines,
   * at most {@link #WINDOW} ahead of their echoes. Returns how often it saw the non-reader leave.
   */
  private static Callable<Long> member(ChatClient client, int talker, CountDownLatch go) {
    return () -> {
      go.await();
      Map<String, Integer> next = new HashMap<>();
      int received = 0;
      int sent = 0;
      int echoed = 0;
      long slowGone = 0;
      String me = "t" + talker;
      while (received < TALKERS * LINES_PER_TALKER) {
        while (talker >= 0 && sent < LINES_PER_TALKER && sent - echoed < WINDOW) {
          client.send(sent++ + " " + PAD);
        }
        byte[] raw = client.tryReadLineBytes(ChatClient.TIMEOUT);
        if (raw == null) {
          fail("connection closed after " + received + " lines");
        }
        // Only the start of each line is decoded: the readers must keep up on a busy machine.
        String head = new String(raw, 0, Math.min(raw.length, 40), StandardCharsets.UTF_8);
        if (head.equals(SLOW_GONE)) {
          slowGone++;
        } else if (head.startsWith("[t")) {
          int close = head.indexOf("] ");
          String from = head.substring(1, close);
          int n = Integer.parseInt(head.substring(close + 2, head.indexOf(' ', close + 2)));
          int expected = next.getOrDefault(from, 0);
          int length = close + 2 + String.valueOf(n).length() + 1 + PAD.length();
          if (n != expected || raw.length != length) {
            fail("expected line " + expected + " of " + from + ", got: " + head);
          }
          next.put(from, n + 1);
          received++;
          if (from.equals(me)) {
            echoed++;
          }
        } else if (!head.endsWith(" just joined the chatroom")) {
          fail("unexpected line: " + head);
        }
      }
      return slowGone;
    };
  }
}
