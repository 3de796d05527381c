package akkachat.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * One akka-chat node as its own {@code java -jar} process on 127.0.0.1, configured with
 * {@code -D} settings only, in a directory of its own (so no application.conf is read), its
 * output in a file there. Signals go through kill(1), as an operator or the kernel sends them.
 */
record NodeProcess(int number, Process process, Path logFile, int chatPort, int managementPort) {

  /** A port picked up front was taken before the node could bind it. */
  static final class PortTaken extends RuntimeException {
    PortTaken(String message) {
      super(message);
    }
  }

  /**
   * Starts node {@code number} with {@code seeds} and its management port on any free port
   * (its {@link #managementPort} is then 0); {@code flags} come before {@code -jar}.
   */
  static NodeProcess start(int number, Path jar, int chatPort, int clusterPort, String seeds,
      List<String> flags) throws IOException {
    return start(number, jar, chatPort, clusterPort, 0, seeds, flags);
  }

  /**
   * Starts node {@code number} with its management port at {@code managementPort} (0: any);
   * {@code seeds} may be empty (then it starts alone, or with bootstrap flags forms the cluster
   * through the others' management ports).
   */
  static NodeProcess start(int number, Path jar, int chatPort, int clusterPort,
      int managementPort, String seeds, List<String> flags) throws IOException {
    Path dir = Files.createTempDirectory("akka-chat-node" + number + "-");
    Path log = dir.resolve("node.log");
    List<String> command = new ArrayList<>(List.of("java", "-Xmx256m"));
    Path archive = jar.resolveSibling("akka-chat.jsa");
    if (Files.isRegularFile(archive)) {
      command.add("-XX:SharedArchiveFile=" + archive.toAbsolutePath());
    }
    command.addAll(List.of(
        "-Dakka-chat.host=127.0.0.1",
        "-Dakka-chat.port=" + chatPort,
        "-Dakka-chat.cluster.host=127.0.0.1",
        "-Dakka-chat.cluster.port=" + clusterPort,
        "-Dakka-chat.cluster.seeds=" + seeds,
        "-Dakka-chat.management.port=" + managementPort,
        "-Dakka-chat.http.port=0"));
    command.addAll(flags);
    command.addAll(List.of("-jar", jar.toAbsolutePath().toString()));
    ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile())
        .redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().keySet().removeIf(k -> k.startsWith("CHAT_") || k.startsWith("CLUSTER_")
        || k.startsWith("MANAGEMENT_"));
    return new NodeProcess(number, pb.start(), log, chatPort, managementPort);
  }

  /** {@code count} distinct ports that were free a moment ago. */
  static int[] freePorts(int count) throws IOException {
    List<ServerSocket> held = new ArrayList<>();
    try {
      int[] ports = new int[count];
      for (int i = 0; i < count; i++) {
        ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"));
        held.add(s);
        ports[i] = s.getLocalPort();
      }
      return ports;
    } finally {
      for (ServerSocket s : held) {
        s.close();
      }
    }
  }

  /** Waits until the node logs that it listens (it does once every member sees it Up). */
  void awaitListening(Duration within) throws InterruptedException {
    awaitLogged("listening on 127.0.0.1:" + chatPort, "listening", within);
  }

  /** Waits until the node logs that its management port (given, not 0) is bound. */
  void awaitManagement(Duration within) throws InterruptedException {
    awaitLogged("management on http://127.0.0.1:" + managementPort, "on its management port",
        within);
  }

  /**
   * Waits until the log has {@code line}; fails naming {@code what} at the deadline or if the
   * node exits, and throws {@link PortTaken} if it exited because a port was in use.
   */
  private void awaitLogged(String line, String what, Duration within)
      throws InterruptedException {
    long by = System.nanoTime() + within.toNanos();
    while (!log().contains(line)) {
      if (!process.isAlive()) {
        String text = log();
        if (text.contains("in use")) {
          throw new PortTaken("node " + number + ": " + text);
        }
        fail("node " + number + " exited with " + process.exitValue() + " before " + what);
      }
      assertTrue(System.nanoTime() < by, "node " + number + " not " + what + " within "
          + within.toSeconds() + " s");
      // Polling a file that another process writes: bounded by the deadline above.
      process.waitFor(100, TimeUnit.MILLISECONDS);
    }
  }

  String log() {
    try {
      return Files.readString(logFile, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The last {@code count} lines of the log, under a heading that names the file. */
  String tail(int count) {
    StringBuilder text = new StringBuilder("---- node " + number + " (" + logFile + ")\n");
    List<String> lines = log().lines().toList();
    lines.subList(Math.max(0, lines.size() - count), lines.size())
        .forEach(l -> text.append(l).append('\n'));
    return text.toString();
  }

  /** Sends {@code signal} (e.g. STOP, CONT) with kill(1). */
  void signal(String signal) throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid()))
        .redirectErrorStream(true).start();
    assertTrue(kill.waitFor(10, TimeUnit.SECONDS), "kill -" + signal + " did not finish");
    assertEquals(0, kill.exitValue(), "kill -" + signal + " failed");
  }

  /** Waits until the kernel shows the process as stopped (state T in /proc/PID/stat). */
  void awaitStopped(Duration within) throws IOException, InterruptedException {
    Path stat = Path.of("/proc/" + process.pid() + "/stat");
    long by = System.nanoTime() + within.toNanos();
    while (true) {
      String text = Files.readString(stat, StandardCharsets.US_ASCII);
      if (text.charAt(text.lastIndexOf(')') + 2) == 'T') {
        return;
      }
      assertTrue(System.nanoTime() < by, "node " + number + " did not stop: " + text);
      // Polling the kernel's view of another process: bounded by the deadline above.
      process.waitFor(20, TimeUnit.MILLISECONDS);
    }
  }

  /** Resumes it if stopped, then kills it; false if it is still there 30 s later. */
  boolean stop() throws InterruptedException {
    if (process.isAlive()) {
      try {
        new ProcessBuilder("kill", "-CONT", Long.toString(process.pid())).start()
            .waitFor(10, TimeUnit.SECONDS);
      } catch (IOException e) {
        // SIGKILL below ends a stopped process too
      }
      process.destroyForcibly();
    }
    return process.waitFor(30, TimeUnit.SECONDS);
  }

  /** Removes the log and its directory (for a run that passed). */
  void deleteLog() throws IOException {
    Files.deleteIfExists(logFile);
    Files.deleteIfExists(logFile.getParent());
  }
}
