package akkachat.it;

import akkachat.support.ManagementClient;
import akkachat.support.Repository;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Cluster bootstrap with config discovery (issue 19): three {@code java -jar} nodes with no seed
 * nodes, each with a fixed management port and the three management addresses as contact
 * points, must form one cluster, not three: each listens and is ready, a user on node 1 and a
 * user on node 3 are in the same lobby (each sees the other's lines, {@code /who} lists both),
 * and every node counts three members Up.
 */
class BootstrapIT {
  private static final Path JAR = Repository.serverJar();
  /**
   * Per node, on a loaded machine: a JVM start, then bootstrap's stable-margin (5 s) once all
   * three answer on their management ports, and a join.
   */
  private static final Duration START_WITHIN = Duration.ofSeconds(90);
  /** A login, a line, a join notice, a metrics scrape between running nodes. */
  private static final Duration CHAT_WITHIN = Duration.ofSeconds(20);
  private static final String UP = "akkachat_cluster_members{status=\"up\"}";

  private final ProcessCluster nodes = new ProcessCluster();
  private final List<RecordingUser> users = new ArrayList<>();
  /** The nodes' logs are kept for a failed run only. */
  private boolean passed;

  @AfterEach
  void stopEverything() throws Exception {
    users.forEach(RecordingUser::close);
    nodes.stop(passed);
  }

  @Test
  void threeNodesWithoutSeedsFormOneClusterThroughBootstrap() throws Exception {
    assertTrue(Files.isRegularFile(JAR), "no jar at " + JAR);
    long began = System.nanoTime();
    try {
      formsOneCluster();
      passed = true;
    } catch (AssertionError | Exception e) {
      throw new AssertionError(e.getMessage() + "\n" + nodes.tails(80), e);
    }
    System.out.printf("BootstrapIT: one cluster of three after %d ms in all%n",
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began));
  }

  private void formsOneCluster() throws Exception {
    int[] ports = nodes.startWithBootstrap(JAR, logging(), START_WITHIN);
    for (int n = 0; n < 3; n++) {
      NodeProcess node = nodes.get(n);
      assertEquals(ports[6 + n], node.managementPort());
      // The log said so; a client can connect too.
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", node.chatPort()), 5_000);
      }
      management(node).awaitStatus("/ready", 200, CHAT_WITHIN);
    }

    RecordingUser ann = enter("ann", nodes.get(0));
    RecordingUser cat = enter("cat", nodes.get(2));
    long by = after(CHAT_WITHIN);
    ann.await("cat's join notice", by, () -> ann.has("*** cat just joined the chatroom"));
    assertTrue(cat.has("*** Users online: ann, cat"), "cat on node 3 is not in ann's lobby:\n"
        + cat.transcript());

    say(ann, "hello from node 1", cat);
    say(cat, "hello from node 3", ann);
    for (RecordingUser u : List.of(ann, cat)) {
      int before = u.size();
      u.send("/who");
      u.await("the /who answer", after(CHAT_WITHIN), () -> u.lines().stream().skip(before)
          .anyMatch(l -> l.text().equals("*** Users online: ann, cat")));
    }

    for (int n = 0; n < 3; n++) {
      management(nodes.get(n)).awaitMetrics(CHAT_WITHIN, "node " + (n + 1) + " counts 3 Up",
          m -> m.get(UP) == 3);
    }
  }

  /** Connects {@code name} to {@code node} and logs in to the lobby. */
  private RecordingUser enter(String name, NodeProcess node) {
    RecordingUser u = RecordingUser.connect(name, node.chatPort());
    users.add(u);
    long by = after(CHAT_WITHIN);
    u.await("prompt", by, () -> u.has(RecordingUser.PROMPT));
    u.send(name);
    String joined = "*** " + name + " just joined the chatroom";
    u.await(joined, by, () -> u.has(joined));
    return u;
  }

  /** {@code from} says {@code text}; waits until {@code to} has it. */
  private static void say(RecordingUser from, String text, RecordingUser to) {
    from.send(text);
    String line = "[" + from.name + "] " + text;
    to.await(line, after(CHAT_WITHIN), () -> to.has(line));
  }

  private static ManagementClient management(NodeProcess node) {
    return new ManagementClient(URI.create("http://127.0.0.1:" + node.managementPort()));
  }

  private static List<String> logging() throws Exception {
    return List.of("-Dlogback.configurationFile="
        + Path.of(BootstrapIT.class.getResource("/bootstrap-logback.xml").toURI()));
  }

  private static long after(Duration d) {
    return System.nanoTime() + d.toNanos();
  }
}
