package akkachat.bench;

import akkachat.support.ChatClient;
import akkachat.support.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The bench run as a library against a server in this JVM, in small scenarios. */
class BenchTest {
  private static TestServer server;

  @BeforeAll
  static void startServer() {
    server = TestServer.start(
        "akka-chat.rate-limit = 100000\nakka-chat.max-connections-per-ip = 10000");
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  @Test
  void everyLineReachesEveryReaderOfItsRoomOnceAndInOrder() {
    Run run = bench("--clients", "20", "--rooms", "2", "--senders", "4", "--lines", "200",
        "--window", "20", "--source-ips", "2", "--name-prefix", "inorder");
    Report r = run.report;
    // 2 senders per room, 10 readers per room (each sender reads its own echo too).
    long expected = 2 * (2 * 200 * 10);
    assertEveryLineOnceInOrder(r, 20, 800, expected);
    assertTrue(r.number("latency_p99_us") >= r.number("latency_p50_us"));
    assertTrue(r.number("latency_max_us") >= r.number("latency_p999_us"));
    assertTrue(r.number("deliveries_per_s") > 0 && r.number("logins_per_s") > 0);
    assertFalse(r.failed());

    String json = run.jsonLine();
    assertTrue(json.startsWith("{") && json.endsWith("}"), json);
    assertEquals(expected, jsonNumber(json, "deliveries"));
    assertEquals(0, jsonNumber(json, "lost"));
    assertEquals(0, jsonNumber(json, "out_of_order"));
    assertTrue(jsonNumber(json, "latency_p99_us") > 0);
    assertTrue(json.contains("\"ok\":true"), json);
    assertTrue(run.out.contains("lost          0"), run.out);
  }

  @Test
  void overAWebSocketEveryLineReachesEveryReaderOfItsRoomOnceAndInOrder() {
    Run run = bench("--transport", "ws", "--port", Integer.toString(server.httpPort()),
        "--clients", "20", "--rooms", "2", "--senders", "4", "--lines", "300", "--window", "20",
        "--name-prefix", "wsorder");
    Report r = run.report;
    long expected = 2 * (2 * 300 * 10);
    assertEquals(0, r.count("login_failed"));
    assertEveryLineOnceInOrder(r, 20, 1200, expected);
    assertFalse(r.failed());
    assertTrue(run.out.contains("over WebSocket /ws"), run.out);
  }

  @Test
  void overAWebSocketInOneRoomAtAFixedRate() {
    Run run = bench("--transport", "ws", "--port", Integer.toString(server.httpPort()),
        "--clients", "10", "--senders", "2", "--non-readers", "2", "--lines", "50",
        "--rate", "100", "--name-prefix", "wsrate");
    Report r = run.report;
    assertEquals(10, r.count("logged_in"), r.warnings().toString());
    assertEquals(2 * 50 * 8, r.count("expected_deliveries"));
    assertEquals(2 * 50 * 8, r.count("deliveries"));
    assertEquals(0, r.count("lost"));
    assertEquals(0, r.count("out_of_order"));
    assertEquals(0, r.count("non_readers_closed"));
    assertTrue(r.number("send_s") >= 0.45, "sent in " + r.number("send_s") + " s");
  }

  @Test
  void aWebSocketRefusedIsAFailedLoginThatSaysWhy() {
    Run run = bench("--transport", "ws", "--port", Integer.toString(server.httpPort()),
        "--path", "/nowhere", "--clients", "3", "--name-prefix", "wsnope");
    assertEquals(0, run.report.count("logged_in"));
    assertEquals(3, run.report.count("login_failed"));
    assertTrue(run.report.warnings().toString().contains("upgrade refused: HTTP/1.1 404"),
        run.report.warnings().toString());
  }

  @Test
  void aFixedRateIsKeptToAndItsLagReported() {
    Run run = bench("--clients", "10", "--senders", "2", "--lines", "50", "--rate", "100",
        "--name-prefix", "rate");
    Report r = run.report;
    assertEquals(2 * 50 * 10, r.count("deliveries"));
    assertEquals(0, r.count("lost"));
    // 50 lines at 100 lines/s: the last one is due 0.49 s after the first.
    assertTrue(r.number("send_s") >= 0.45, "sent in " + r.number("send_s") + " s");
    assertTrue(r.number("sent_per_s") <= 2 * 100 * 1.15, "sent " + r.number("sent_per_s") + "/s");
    assertTrue(r.has("send_lag_p99_us"));
  }

  @Test
  void nonReadersAreLeftOutOfTheExpectedDeliveries() {
    String twice = server.port + "," + server.port;
    Run run = bench("--clients", "10", "--senders", "2", "--non-readers", "3", "--lines", "50",
        "--name-prefix", "nonread", "--port", twice);
    Report r = run.report;
    assertEquals(2 * 50 * 7, r.count("expected_deliveries"));
    assertEquals(2 * 50 * 7, r.count("deliveries"));
    assertEquals(0, r.count("lost"));
    assertEquals(0, r.count("non_readers_closed"));
  }

  @Test
  void holdIdleLogsEveryoneInAndReadsTheServerProcess() {
    long pid = ProcessHandle.current().pid();
    Run run = bench("--clients", "30", "--rooms", "3", "--hold-idle", "--duration", "0.3",
        "--server-pid", Long.toString(pid), "--name-prefix", "idle");
    Report r = run.report;
    assertEquals(30, r.count("logged_in"), r.warnings().toString());
    assertFalse(r.has("deliveries"));
    assertTrue(r.count("server_rss_kb_before") > 0);
    assertTrue(r.count("server_rss_kb_after") > 0);
    assertTrue(r.number("server_cpu_s_login") >= 0);
    assertTrue(r.number("run_s") >= 0.3);
    assertTrue(run.jsonLine().contains("\"server_rss_kb_after\":"), run.jsonLine());
  }

  @Test
  void aTakenNameIsAFailedLogin() {
    ChatClient taken = server.login("taken1");
    try {
      Run run = bench("--clients", "3", "--senders", "1", "--lines", "10",
          "--name-prefix", "taken");
      Report r = run.report;
      assertEquals(2, r.count("logged_in"));
      assertEquals(1, r.count("login_failed"));
      assertTrue(r.warnings().get(0).contains("already taken"), r.warnings().toString());
      assertEquals(10 * 2, r.count("deliveries"));
    } finally {
      taken.close();
    }
  }

  @Test
  void aServerThatIsNotThereIsReportedNotWaitedFor() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Run run = bench("--port", Integer.toString(port), "--clients", "3");
    assertEquals(0, run.report.count("logged_in"));
    assertEquals(3, run.report.count("login_failed"));
    assertTrue(run.report.failed());
    assertTrue(run.jsonLine().contains("\"ok\":false"), run.jsonLine());
  }

  @Test
  void badFlagsAreRejected() {
    assertThrows(IllegalArgumentException.class, () -> Options.parse("--clients", "0"));
    assertThrows(IllegalArgumentException.class, () -> Options.parse("--colients", "5"));
    assertThrows(IllegalArgumentException.class,
        () -> Options.parse("--clients", "5", "--senders", "4", "--non-readers", "2"));
    assertThrows(IllegalArgumentException.class, () -> Options.parse("--hold-idle"));
    assertThrows(IllegalArgumentException.class, () -> Options.parse("--name-prefix", "a b"));
    assertThrows(IllegalArgumentException.class, () -> Options.parse("--port", "7400,x"));
    assertEquals(7, Options.parse("--clients=7", "--json-only").clients());
    assertEquals(List.of(7401, 7402), Options.parse("--port", "7401, 7402").ports());
    assertEquals(0, Options.parse("--hold-idle", "--duration", "1", "--senders", "3").senders());
    assertThrows(IllegalArgumentException.class, () -> Options.parse("--transport", "udp"));
    assertThrows(IllegalArgumentException.class,
        () -> Options.parse("--transport", "ws", "--protocol", "irc"));
    assertThrows(IllegalArgumentException.class, () -> Options.parse("--path", "ws"));
    assertEquals(List.of(8080), Options.parse("--transport", "ws").ports());
    assertEquals("/ws", Options.parse("--transport", "ws").path());
    assertEquals(List.of(6677), Options.parse().ports());
  }

  /**
   * All {@code clients} logged in, {@code sent} lines sent, every one of the {@code expected}
   * deliveries made, none lost, out of order, damaged or cut off, with latencies measured.
   */
  private static void assertEveryLineOnceInOrder(Report r, int clients, long sent,
      long expected) {
    assertEquals(clients, r.count("logged_in"), r.warnings().toString());
    assertEquals(sent, r.count("sent"));
    assertEquals(expected, r.count("expected_deliveries"));
    assertEquals(expected, r.count("deliveries"));
    assertEquals(0, r.count("lost"));
    assertEquals(0, r.count("out_of_order"));
    assertEquals(0, r.count("corrupt"));
    assertEquals(0, r.count("disconnected"));
    assertTrue(r.number("latency_p50_us") > 0);
  }

  private static Run bench(String... flags) {
    List<String> args = new ArrayList<>(List.of("--port", Integer.toString(server.port),
        "--max-time", "60", "--login-timeout", "20", "--drain-timeout", "5"));
    args.addAll(List.of(flags));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Report report = Bench.run(args.toArray(String[]::new),
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(report, out.toString(StandardCharsets.UTF_8));
  }

  private static double jsonNumber(String json, String key) {
    Matcher m = Pattern.compile("\"" + key + "\":(-?[0-9.]+)[,}]").matcher(json);
    assertTrue(m.find(), key + " in " + json);
    return Double.parseDouble(m.group(1));
  }

  private record Run(Report report, String out) {
    String jsonLine() {
      String[] lines = out.strip().split("\n");
      return lines[lines.length - 1];
    }
  }
}
