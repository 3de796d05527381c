package akkachat.it;

import akkachat.support.ChatClient;
import akkachat.support.Repository;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A restarted first seed joins the cluster that is still running, as it does when every node
 * lists every seed (scripts/cluster-test.sh): three {@code java -jar} nodes,
 * node 1 is killed with kill -9 and started again on the same ports while nodes 2 and 3 run. A
 * user on the restarted node must land in the same lobby as the users on the other two and chat
 * with them. With node 1 as the only seed it would find no seed but itself and start a cluster
 * of its own: a second lobby, where its user is alone.
 */
class SeedRestartIT {
  private static final Path JAR = Repository.serverJar();
  /** Per node, on a loaded machine. */
  private static final Duration START_WITHIN = Duration.ofSeconds(60);
  /** A line, a login, a join notice between running nodes. */
  private static final Duration CHAT_WITHIN = Duration.ofSeconds(20);
  /**
   * From the kill to the others' "has disconnected": the restarted node's join has the old
   * incarnation downed at once (else failure detection and stable-after, 7 s, would), then its
   * removal, the lobby's restart elsewhere after down-removal-margin if it was there, and room
   * for a loaded machine.
   */
  private static final Duration GONE_WITHIN = Duration.ofSeconds(45);
  /**
   * From the restart to listening (the node listens once every member sees it Up): a JVM start, the join that
   * has the old incarnation removed, and Akka's retry of the join 10 s later
   * (retry-unsuccessful-join-after), with room for a loaded machine.
   */
  private static final Duration REJOIN_WITHIN = Duration.ofSeconds(60);
  private static final String TRY_AGAIN = "*** error: the room did not answer, try again";

  private final ProcessCluster nodes = new ProcessCluster();
  private final List<ChatClient> clients = new ArrayList<>();
  /** The nodes' logs are kept for a failed run only. */
  private boolean passed;

  @AfterEach
  void stopEverything() throws Exception {
    clients.forEach(ChatClient::close);
    nodes.stop(passed);
  }

  @Test
  void theFirstSeedKilledAndRestartedRejoinsTheRunningCluster() throws Exception {
    assumeTrue(Files.isDirectory(Path.of("/proc/self")), "needs kill(1)");
    assertTrue(Files.isRegularFile(JAR), "no jar at " + JAR);
    long began = System.nanoTime();
    try {
      run();
      passed = true;
    } catch (AssertionError | Exception e) {
      throw new AssertionError(e.getMessage() + "\n" + nodes.tails(60), e);
    }
    System.out.printf("SeedRestartIT: %d ms in all%n",
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began));
  }

  private void run() throws Exception {
    List<String> flags = List.of("-Dlogback.configurationFile="
        + Path.of(SeedRestartIT.class.getResource("/freeze-resume-logback.xml").toURI()));
    int[] ports = nodes.startTogether(JAR, flags, START_WITHIN);
    String seeds = ProcessCluster.allSeeds(ports);

    ChatClient ann = login("ann", nodes.get(0), List.of("ann"));
    ChatClient bob = login("bob", nodes.get(1), List.of("ann", "bob"));
    awaitLine(ann, "*** bob just joined the chatroom", after(CHAT_WITHIN));
    ChatClient cat = login("cat", nodes.get(2), List.of("ann", "bob", "cat"));
    for (ChatClient c : List.of(ann, bob)) {
      awaitLine(c, "*** cat just joined the chatroom", after(CHAT_WITHIN));
    }

    NodeProcess first = nodes.get(0);
    first.signal("KILL");
    assertTrue(first.process().waitFor(10, TimeUnit.SECONDS), "node 1 did not die");
    NodeProcess restarted = NodeProcess.start(1, JAR, ports[0], ports[3], seeds, flags);
    nodes.add(restarted);
    long restartedAt = System.nanoTime();

    long goneBy = after(GONE_WITHIN);
    for (ChatClient c : List.of(bob, cat)) {
      awaitLine(c, "*** ann has disconnected", goneBy);
    }
    restarted.awaitListening(REJOIN_WITHIN.minusNanos(System.nanoTime() - restartedAt));

    ChatClient dan = login("dan", restarted, List.of("bob", "cat", "dan"));
    long by = after(CHAT_WITHIN);
    for (ChatClient c : List.of(bob, cat)) {
      awaitLine(c, "*** dan just joined the chatroom", by);
    }
    // One at a time: each line reaches all three before the next is sent.
    List<ChatClient> everyone = List.of(dan, bob, cat);
    say("dan", dan, "hello from the restarted node", everyone);
    say("bob", bob, "hello from node 2", everyone);
    say("cat", cat, "hello from node 3", everyone);
  }

  /** {@code name} says {@code text} on {@code from}; waits until everyone has it. */
  private static void say(String name, ChatClient from, String text, List<ChatClient> everyone) {
    from.send(text);
    long by = after(CHAT_WITHIN);
    for (ChatClient c : everyone) {
      awaitLine(c, "[" + name + "] " + text, by);
    }
  }

  /**
   * Connects {@code name} to {@code node} and logs in, typing the name again if the lobby did
   * not answer in time (as it may not while its shard moves off a lost node); expects
   * {@code online} in the users-online line: one lobby, across the nodes.
   */
  private ChatClient login(String name, NodeProcess node, List<String> online) {
    ChatClient c = ChatClient.connect(node.chatPort());
    clients.add(c);
    long by = after(CHAT_WITHIN);
    awaitLine(c, "Welcome to akka-chat!", by);
    c.expectPrompt();
    c.send(name);
    while (true) {
      String line = readLine(c, "the answer to the login of " + name, by);
      if (line.equals(TRY_AGAIN)) {
        c.expectPrompt();
        c.send(name);
        continue;
      }
      assertEquals("Welcome, " + name, line);
      break;
    }
    assertEquals("*** Users online: " + String.join(", ", online),
        readLine(c, name + "'s users-online line", by),
        name + " on node " + node.number() + ": not the lobby of the other nodes");
    awaitLine(c, "*** " + name + " just joined the chatroom", by);
    return c;
  }

  /** Reads {@code c}'s lines until one is {@code expected}; fails at {@code deadline}. */
  private static void awaitLine(ChatClient c, String expected, long deadline) {
    List<String> before = new ArrayList<>();
    while (true) {
      String line = readLine(c, "'" + expected + "' (lines before it: " + before + ")", deadline);
      if (line.equals(expected)) {
        return;
      }
      before.add(line);
    }
  }

  /** The next line of {@code c}; fails naming {@code what} at the deadline or at its close. */
  private static String readLine(ChatClient c, String what, long deadline) {
    long left = deadline - System.nanoTime();
    if (left <= 0) {
      fail("timed out waiting for " + what);
    }
    String line;
    try {
      line = c.tryReadLine(Duration.ofNanos(left));
    } catch (AssertionError e) {
      throw new AssertionError("timed out waiting for " + what, e);
    }
    if (line == null) {
      fail("connection closed while waiting for " + what);
    }
    return line;
  }

  private static long after(Duration d) {
    return System.nanoTime() + d.toNanos();
  }
}
