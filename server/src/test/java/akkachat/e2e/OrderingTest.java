package akkachat.e2e;

import akkachat.support.ChatClient;
import akkachat.support.TestServer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * PROTOCOL.md section 2: every member sees the room's lines in one and the same order, each
 * sender's lines in the order sent, and misses none while connected.
 */
class OrderingTest {
  private static final int CLIENTS = 5;
  private static final int LINES = 200;

  @Test
  void everyMemberGetsEveryLineInOneOrder() throws Exception {
    // Lift the rate limit so the five really send at once; a big queue so no reader is cut off.
    try (TestServer server = TestServer.start(
        "akka-chat { rate-limit = 10000, send-queue-limit = 10000 }")) {
      String[] names = new String[CLIENTS];
      for (int i = 0; i < CLIENTS; i++) {
        names[i] = "u" + i;
      }
      List<ChatClient> clients = server.loginAll(names);
      ExecutorService pool = Executors.newFixedThreadPool(2 * CLIENTS);
      try {
        CyclicBarrier start = new CyclicBarrier(CLIENTS);
        List<Future<List<String>>> received = new ArrayList<>();
        List<Future<?>> sent = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
          ChatClient client = clients.get(i);
          received.add(pool.submit(() -> readLines(client, CLIENTS * LINES)));
          sent.add(pool.submit(() -> {
            start.await(10, TimeUnit.SECONDS);
            for (int n = 0; n < LINES; n++) {
              client.send("line " + n);
            }
            return null;
          }));
        }
        for (Future<?> f : sent) {
          f.get(60, TimeUnit.SECONDS);
        }
        List<String> first = received.get(0).get(60, TimeUnit.SECONDS);
        assertSendersInOrder(first);
        for (int i = 1; i < CLIENTS; i++) {
          assertEquals(first, received.get(i).get(60, TimeUnit.SECONDS),
              names[i] + " saw another order than " + names[0]);
        }
      } finally {
        pool.shutdownNow();
      }
    }
  }

  private static List<String> readLines(ChatClient client, int count) {
    List<String> lines = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      lines.add(client.readLine());
    }
    return lines;
  }

  /** All lines of every sender, each sender's in the order sent. */
  private static void assertSendersInOrder(List<String> lines) {
    Map<String, Integer> next = new HashMap<>();
    for (String line : lines) {
      assertTrue(line.matches("\\[u\\d] line \\d+"), "unexpected line: " + line);
      String sender = line.substring(1, line.indexOf(']'));
      int n = Integer.parseInt(line.substring(line.lastIndexOf(' ') + 1));
      int expected = next.getOrDefault(sender, 0);
      assertEquals(expected, n, "line of " + sender + " out of order");
      next.put(sender, expected + 1);
    }
    assertEquals(CLIENTS, next.size());
    next.values().forEach(n -> assertEquals(LINES, n));
  }
}
