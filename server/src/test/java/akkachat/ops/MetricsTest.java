package akkachat.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akkachat.support.ChatClient;
import akkachat.support.ManagementClient;
import akkachat.support.ManagementClient.Metrics;
import akkachat.support.TestServer;
import java.io.IOException;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code GET /metrics} over real HTTP while a scenario runs on real sockets: two users log in and
 * chat, a third fails to log in twice, one of the two stops reading and is cut off as a slow
 * reader; every counter the scenario touches shows it, step by step.
 */
class MetricsTest {
  private static final Duration WITHIN = Duration.ofSeconds(20);
  private static final String SMALL_QUEUE =
      "akka-chat { send-queue-limit = 50, rate-limit = 100000, slow-reader-timeout = 1s }";
  private static final String PAD = " " + "p".repeat(3000);
  private static final int LINES = 300;

  private static final String LOGINS = "akkachat_logins_total";
  private static final String ACCEPTED = "akkachat_connections_accepted_total{transport=\"plain\"}";
  private static final String OPEN = "akkachat_connections_open{transport=\"plain\"}";
  private static final String IN_PROGRESS = "akkachat_logins_in_progress";
  private static final String INVALID_NAME =
      "akkachat_login_failures_total{reason=\"invalid_name\"}";
  private static final String NAME_TAKEN = "akkachat_login_failures_total{reason=\"name_taken\"}";
  private static final String RECEIVED = "akkachat_lines_received_total";
  private static final String DELIVERED = "akkachat_deliveries_total";
  private static final String WRITTEN = "akkachat_bytes_written_total";
  private static final String SLOW = "akkachat_clients_closed_total{reason=\"slow_reader\"}";
  private static final String ROOMS = "akkachat_rooms";
  private static final String MEMBERS = "akkachat_room_members";
  private static final String LOGIN_TIMES = "akkachat_login_seconds_count";

  @Test
  @Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void countersFollowTwoUsersChattingAndOneCutOffAsASlowReader() throws IOException {
    try (TestServer server = TestServer.start(SMALL_QUEUE)) {
      ManagementClient management = new ManagementClient(server.managementUri());
      HttpResponse<String> raw = management.get("/metrics");
      assertTrue(raw.headers().firstValue("Content-Type").orElse("")
          .startsWith("text/plain; version=0.0.4"), raw.headers().toString());
      Metrics before = management.scrape();
      assertEquals(0, before.get(LOGINS));
      assertEquals(0, before.get(ROOMS));
      assertEquals(0, before.get(SLOW));
      assertEquals(1, before.get("akkachat_cluster_members{status=\"up\"}"));
      assertTrue(before.has("jvm_memory_used_bytes{area=\"heap\"}"), before.text());
      assertTrue(before.has("process_open_fds"), before.text());

      ChatClient alice = server.login("alice");
      ChatClient bob = server.connect(MetricsTest::smallReceiveBuffer);
      bob.login("bob");
      alice.expectLine("*** bob just joined the chatroom");
      alice.send("hello");
      alice.expectLine("[alice] hello");
      bob.expectLine("[alice] hello");
      ChatClient carol = server.connect();
      carol.expectLine("Welcome to akka-chat!");
      carol.expectPrompt();
      carol.send("not a name!");
      carol.readLine();
      carol.expectPrompt();
      carol.send("Alice");
      carol.readLine();
      carol.expectPrompt();

      Metrics chatting = management.awaitMetrics(WITHIN, "two logins and two failed ones",
          m -> m.get(LOGINS) == 2 && m.get(INVALID_NAME) == 1 && m.get(NAME_TAKEN) == 1
              && m.get(IN_PROGRESS) == 1 && m.get(ACCEPTED) == 3 && m.get(OPEN) == 3
              && m.get(ROOMS) == 1 && m.get(MEMBERS) == 2 && m.get(LOGIN_TIMES) == 2
              // alice, bob, hello; carol's two tries
              && m.get(RECEIVED) == 5);
      assertEquals(0, chatting.get(SLOW));
      assertTrue(chatting.get(DELIVERED) >= 4, chatting.text()); // hello twice, bob's arrival...
      carol.close();

      talkUntilBobIsCutOff(alice);

      management.awaitMetrics(WITHIN, "bob cut off as a slow reader, alice's lines counted",
          m -> m.get(SLOW) == 1 && m.get(OPEN) == 1 && m.get(IN_PROGRESS) == 0
              && m.get(MEMBERS) == 1 && m.get(RECEIVED) == 5 + LINES
              // alice took all her own lines, bob only what his socket had room for
              && m.get(DELIVERED) >= chatting.get(DELIVERED) + LINES
              && m.get(WRITTEN) >= chatting.get(WRITTEN) + (double) LINES * PAD.length()
              && m.get(LOGINS) == 2);
    }
  }

  /** A socket that takes almost nothing off the server's hands. */
  private static void smallReceiveBuffer(Socket s) throws IOException {
    s.setReceiveBufferSize(4096);
  }

  /**
   * alice sends 300 lines of 3 KB (far more than the kernel buffers take for bob, who reads
   * none), reading her own echoes in steps of 20; bob is closed as too slow once more than 50
   * lines wait for him and he takes none for a second. She sees him leave once.
   */
  private static void talkUntilBobIsCutOff(ChatClient alice) {
    int gone = 0;
    for (int sent = 0; sent < LINES; sent += 20) {
      for (int i = 0; i < 20; i++) {
        alice.send((sent + i) + PAD);
      }
      for (int i = 0; i < 20; i++) {
        String line = alice.readLine();
        if (line.equals("*** bob has disconnected")) {
          gone++;
          line = alice.readLine();
        }
        assertEquals("[alice] " + (sent + i) + PAD, line);
      }
    }
    if (gone == 0) {
      alice.expectLine("*** bob has disconnected");
    }
  }
}
