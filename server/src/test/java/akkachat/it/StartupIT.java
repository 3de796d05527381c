package akkachat.it;

import akkachat.auth.Tokens;
import akkachat.support.Repository;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The built jar as an operator starts it: environment, -D settings, and a bad setting. */
class StartupIT {
  private static final Path JAR = Repository.serverJar();

  /**
   * The build ran {@code selftest} to record the classes a node loads; {@code -Xshare:on} makes
   * the JVM refuse to start if that archive is missing or does not fit the jar.
   */
  @Test
  void selftestPassesOnTheClassArchiveTheBuildLeftBesideTheJar() throws Exception {
    Path archive = JAR.resolveSibling("akka-chat.jsa");
    Path out = Files.createTempFile("selftest", ".out");
    Process p = new ProcessBuilder("java", "-Xshare:on", "-XX:SharedArchiveFile=" + archive,
        "-jar", JAR.toString(), "selftest")
        .redirectOutput(out.toFile()).redirectErrorStream(true).start();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      fail("selftest did not finish");
    }
    List<String> lines = Files.readAllLines(out, StandardCharsets.UTF_8);
    assertEquals(0, p.exitValue(), String.join("\n", lines));
    assertTrue(lines.contains("akka-chat: selftest ok"), lines.toString());
  }

  @Test
  void aBadSettingStopsStartUpWithOneLineNamingTheKey() throws Exception {
    Path err = Files.createTempFile("startup", ".err");
    Process p = new ProcessBuilder("java", "-Dakka-chat.port=70000", "-jar", JAR.toString())
        .redirectError(err.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      fail("the server did not stop on a bad setting");
    }
    List<String> lines = Files.readAllLines(err, StandardCharsets.UTF_8);
    assertEquals(2, p.exitValue(), String.join("\n", lines));
    assertEquals(1, lines.size(), "one line, no stack trace: " + lines);
    assertTrue(lines.get(0).contains("akka-chat.port"), lines.get(0));
  }

  @Test
  void tokenLoginWithoutASecretStopsStartUpWithOneLine() throws Exception {
    Path err = Files.createTempFile("startup", ".err");
    ProcessBuilder pb = new ProcessBuilder("java", "-Dakka-chat.auth.mode=token", "-jar",
        JAR.toString())
        .redirectError(err.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD);
    pb.environment().remove("CHAT_AUTH_SECRET");
    Process p = pb.start();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      fail("the server did not stop without a secret");
    }
    List<String> lines = Files.readAllLines(err, StandardCharsets.UTF_8);
    assertEquals(2, p.exitValue(), String.join("\n", lines));
    assertEquals(1, lines.size(), "one line, no stack trace: " + lines);
    assertTrue(lines.get(0).contains("akka-chat.auth.secret"), lines.get(0));
  }

  @Test
  void theTokenCommandPrintsATokenSignedWithTheSecretFromTheEnvironment() throws Exception {
    Path out = Files.createTempFile("token", ".out");
    ProcessBuilder pb = new ProcessBuilder("java", "-jar", JAR.toString(), "token", "Alice",
        "--ttl", "2h")
        .redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD);
    String secret = "a-secret-from-the-environment-0123456789";
    pb.environment().put("CHAT_AUTH_SECRET", secret);
    Process p = pb.start();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      fail("the token command did not finish");
    }
    assertEquals(0, p.exitValue());
    List<String> lines = Files.readAllLines(out, StandardCharsets.UTF_8);
    assertEquals(1, lines.size(), lines.toString());
    Tokens tokens = new Tokens(secret.getBytes(StandardCharsets.UTF_8), Clock.systemUTC());
    assertEquals(Tokens.Check.VALID, tokens.check(lines.get(0), "alice"));
  }

  @Test
  void chatPortFromTheEnvironmentIsWhereItListens() throws Exception {
    int port = freePort();
    Running p = startListening(port, List.of(), Map.of());
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(10_000);
      assertEquals("Welcome to akka-chat!\nPlease enter your username: ", read(s, 50));
    } finally {
      stop(p);
    }
  }

  /** PROTOCOL.md writes the switch as {@code auth = token}: that spelling works on the command line. */
  @Test
  void authEqualsTokenOnTheCommandLineAsksForAToken() throws Exception {
    int port = freePort();
    Running p = startListening(port, List.of("-Dakka-chat.auth=token"),
        Map.of("CHAT_AUTH_SECRET", "a-secret-of-forty-bytes-for-the-tests!!!"));
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(10_000);
      assertEquals("Welcome to akka-chat!\nPlease enter your username: ", read(s, 50));
      s.getOutputStream().write("alice\n".getBytes(StandardCharsets.UTF_8));
      assertEquals("Please enter your token: ", read(s, 25));
    } finally {
      stop(p);
    }
  }

  /**
   * Started with fewer open files allowed than max-connections needs ({@code ulimit -n 256}):
   * it says so, and the connections that do not fit get the "server is full" line at once
   * instead of waiting unanswered while the listener fails to accept them.
   */
  @Test
  void aLowOpenFileLimitLowersMaxConnectionsAndTheRestAreRefused() throws Exception {
    assumeTrue(Files.isDirectory(Path.of("/proc/self/fd"))
        && Files.isExecutable(Path.of("/bin/sh")), "needs a Unix shell to lower the limit");
    int port = freePort();
    Running server = startListening(port, List.of("-Dakka-chat.max-connections-per-ip=1000"),
        Map.of(), List.of("/bin/sh", "-c", "ulimit -n 256 && exec \"$0\" \"$@\""));
    List<Socket> clients = new java.util.ArrayList<>();
    try {
      String log = server.log();
      assertTrue(log.contains("does not fit in this process's limit of 256 open files"), log);
      int refused = 0;
      while (refused < 20) { // every connection past the lowered maximum, not just the first
        assertTrue(clients.size() < 256, "no connection was refused");
        Socket s = new Socket("127.0.0.1", port);
        clients.add(s);
        s.setSoTimeout(10_000);
        String first = read(s, 22);
        if (first.equals("*** error: server is f")) {
          refused++;
        } else {
          assertEquals(0, refused, "a connection got in after one was refused");
          assertEquals("Welcome to akka-chat!\n", first);
        }
      }
      assertTrue(clients.size() - refused > 100, (clients.size() - refused) + " got in");
      assertTrue(!server.log().contains("Accept error"), server.log());
    } finally {
      for (Socket s : clients) {
        s.close();
      }
      stop(server);
    }
  }

  /** Two copies on one machine with the same CHAT_PORT: the second says so in one line. */
  @Test
  void aChatPortInUseStopsStartUpWithOneLineAndNoStackTrace() throws Exception {
    Taken taken = startWithPortTaken("CHAT_PORT", "CLUSTER_PORT");
    assertTrue(taken.lines().stream().anyMatch(l -> l.endsWith(
        "cannot listen on 127.0.0.1:" + taken.port() + ": Address already in use")),
        String.join("\n", taken.lines()));
    assertNoStackTrace(taken.lines());
  }

  /** Two copies on one machine with the same CLUSTER_PORT: one line naming it, nothing else. */
  @Test
  void aClusterPortInUseStopsStartUpWithOneLineNamingIt() throws Exception {
    Taken taken = startWithPortTaken("CLUSTER_PORT", "CHAT_PORT");
    List<String> nonEmpty = taken.lines().stream().filter(l -> !l.isBlank()).toList();
    assertEquals(1, nonEmpty.size(),
        "one line, no stack trace: " + String.join("\n", taken.lines()));
    assertTrue(nonEmpty.get(0).contains("127.0.0.1:" + taken.port()), nonEmpty.get(0));
    assertTrue(nonEmpty.get(0).contains("CLUSTER_PORT"), nonEmpty.get(0));
    assertNoStackTrace(taken.lines());
  }

  /** The management port taken: one line naming it and how to move or switch it off. */
  @Test
  void aManagementPortInUseStopsStartUpWithOneLineNamingIt() throws Exception {
    Taken taken = startWithPortTaken("MANAGEMENT_PORT", "CHAT_PORT");
    List<String> errors = taken.lines().stream().filter(l -> l.contains("ERROR")).toList();
    assertEquals(1, errors.size(), "one error line: " + String.join("\n", taken.lines()));
    assertTrue(errors.get(0).endsWith("cannot listen on 127.0.0.1:" + taken.port()
        + " (management): Address already in use (set MANAGEMENT_PORT, or"
        + " MANAGEMENT_ENABLED=off)"), errors.get(0));
    assertNoStackTrace(taken.lines());
  }

  /** The browser listener's port taken: one line naming it, as for the chat port. */
  @Test
  void aBrowserPortInUseStopsStartUpWithOneLineNamingIt() throws Exception {
    Taken taken = startWithPortTaken("CHAT_HTTP_PORT", "CHAT_PORT");
    List<String> errors = taken.lines().stream().filter(l -> l.contains("ERROR")).toList();
    assertEquals(1, errors.size(), "one error line: " + String.join("\n", taken.lines()));
    assertTrue(errors.get(0).endsWith("cannot listen on 127.0.0.1:" + taken.port()
        + " (http): Address already in use (set CHAT_HTTP_PORT, or CHAT_HTTP=off)"),
        errors.get(0));
    assertNoStackTrace(taken.lines());
  }

  /** The port that was taken, and what the server said before it exited with code 1. */
  private record Taken(int port, List<String> lines) {}

  /**
   * Starts the jar on 127.0.0.1 with the port of {@code takenVar} (CHAT_PORT, CLUSTER_PORT,
   * CHAT_HTTP_PORT or MANAGEMENT_PORT)
   * already taken and {@code freeVar} free; expects exit code 1.
   */
  private static Taken startWithPortTaken(String takenVar, String freeVar) throws Exception {
    try (ServerSocket held = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      int port = held.getLocalPort();
      return new Taken(port, runUntilExit(1, Map.of("CHAT_HOST", "127.0.0.1",
          takenVar, Integer.toString(port), freeVar, Integer.toString(freePort()))));
    }
  }

  /**
   * Starts the jar with {@code env} and waits (with a deadline) until it exits with
   * {@code exitCode}; returns what it wrote to standard output and standard error together.
   */
  private static List<String> runUntilExit(int exitCode, Map<String, String> env)
      throws Exception {
    Path out = Files.createTempFile("startup", ".out");
    ProcessBuilder pb = new ProcessBuilder("java", "-jar", JAR.toString())
        .redirectErrorStream(true).redirectOutput(out.toFile());
    // Free ports unless the test says otherwise: another node on this machine may hold the
    // defaults.
    pb.environment().put("CLUSTER_PORT", Integer.toString(freePort()));
    pb.environment().put("MANAGEMENT_PORT", "0");
    pb.environment().put("CHAT_HTTP_PORT", "0");
    pb.environment().putAll(env);
    Process p = pb.start();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      fail("the server did not stop:\n" + Files.readString(out, StandardCharsets.UTF_8));
    }
    List<String> lines = Files.readAllLines(out, StandardCharsets.UTF_8);
    assertEquals(exitCode, p.exitValue(), String.join("\n", lines));
    return lines;
  }

  /** No line of a stack trace, and no exception's name. */
  private static void assertNoStackTrace(List<String> lines) {
    for (String line : lines) {
      assertTrue(!line.startsWith("\tat ") && !line.startsWith("Caused by")
              && !line.contains("Exception"),
          "stack trace: " + line + "\n" + String.join("\n", lines));
    }
  }

  private static String read(Socket s, int bytes) throws IOException {
    return new String(s.getInputStream().readNBytes(bytes), StandardCharsets.UTF_8);
  }

  /** A server process started by {@link #startListening}, and the file it writes its log to. */
  private record Running(Process process, Path out) {
    String log() throws IOException {
      return Files.readString(out, StandardCharsets.UTF_8);
    }
  }

  private static Running startListening(int port, List<String> flags, Map<String, String> env)
      throws Exception {
    return startListening(port, flags, env, List.of());
  }

  /**
   * Starts the jar with CHAT_PORT = {@code port} and waits (with a deadline) until it listens;
   * {@code launcher} comes before the java command (a shell that sets a limit first).
   */
  private static Running startListening(int port, List<String> flags, Map<String, String> env,
      List<String> launcher) throws Exception {
    Path out = Files.createTempFile("startup", ".out");
    List<String> command = new java.util.ArrayList<>(launcher);
    command.add("java");
    command.addAll(flags);
    command.addAll(List.of("-jar", JAR.toString()));
    ProcessBuilder pb = new ProcessBuilder(command)
        .redirectErrorStream(true).redirectOutput(out.toFile());
    pb.environment().put("CHAT_HOST", "127.0.0.1");
    pb.environment().put("CHAT_PORT", Integer.toString(port));
    pb.environment().put("CLUSTER_PORT", Integer.toString(freePort()));
    pb.environment().put("MANAGEMENT_PORT", "0");
    pb.environment().put("CHAT_HTTP_PORT", "0");
    pb.environment().putAll(env);
    Running running = new Running(pb.start(), out);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    String log = "";
    while (!log.contains("listening on 127.0.0.1:" + port)) {
      if (System.nanoTime() > deadline || !running.process().isAlive()) {
        running.process().destroyForcibly();
        fail("not listening on " + port + ":\n" + log);
      }
      // Polling a log file that a separate process writes: bounded by the deadline above.
      running.process().waitFor(100, TimeUnit.MILLISECONDS);
      log = running.log();
    }
    return running;
  }

  /** SIGTERM: the graceful shutdown path; fails if the server does not stop. */
  private static void stop(Running running) throws InterruptedException {
    Process p = running.process();
    p.destroy();
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      fail("the server did not stop on SIGTERM");
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
