package akkachat.it;

import akkachat.support.Repository;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * How long a lost node takes to show: three {@code java -jar} nodes with the jar's own cluster
 * settings, three rooms with one user on each node, then {@code kill -9} of node 1 (the oldest:
 * it also holds the shard coordinator). Both users left in each room must see
 * {@code *** NAME has disconnected} for the room's user of node 1 within {@link #GONE_WITHIN};
 * the time each room took is printed, marked by where the room lived. down-removal-margin is
 * raised far beyond that wait, so a room that lived on the killed node cannot start again
 * elsewhere in time: its users left hear of the lost user from their nodes' fan-outs, which
 * hold the room's roster. docs/BENCHMARKS.md, "Node loss", has the figures.
 */
class NodeLossIT {
  private static final Path JAR = Repository.serverJar();
  /** Per node, on a loaded machine. */
  private static final Duration START_WITHIN = Duration.ofSeconds(60);
  /** A login, a /join, a join notice. */
  private static final Duration CHAT_WITHIN = Duration.ofSeconds(20);
  /** From the kill to the notice, generously: failure detection (about 5 s), stable-after (7 s). */
  private static final Duration GONE_WITHIN = Duration.ofSeconds(30);
  /** Longer than the whole wait: no room starts again elsewhere before it is over. */
  private static final String MARGIN = "-Dakka-chat.cluster.down-removal-margin=90s";
  /** A room's users: one per node, named by the room's letter and the node's number. */
  private static final Map<String, String> ROOMS = Map.of("lobby", "a", "rb", "b", "rc", "c");

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
  void usersOfAKilledNodeAreSeenToDisconnectWithin30Seconds() throws Exception {
    assumeTrue(Files.isDirectory(Path.of("/proc/self")), "needs kill(1)");
    assertTrue(Files.isRegularFile(JAR), "no jar at " + JAR);
    try {
      run();
      passed = true;
    } catch (AssertionError | Exception e) {
      throw new AssertionError(e.getMessage() + "\n" + nodes.tails(60), e);
    }
  }

  private void run() throws Exception {
    startCluster();
    Map<String, List<RecordingUser>> members = new LinkedHashMap<>();
    for (String room : List.of("lobby", "rb", "rc")) {
      List<RecordingUser> here = new ArrayList<>();
      for (int n = 1; n <= 3; n++) {
        here.add(enter(ROOMS.get(room) + n, nodes.get(n - 1), room));
      }
      String last = "*** " + here.get(2).name + " just joined the chatroom";
      long by = after(CHAT_WITHIN);
      for (RecordingUser u : here.subList(0, 2)) {
        u.await(last, by, () -> u.has(last));
      }
      members.put(room, here);
    }

    long killedAt = System.nanoTime();
    nodes.get(0).signal("KILL");
    long by = killedAt + GONE_WITHIN.toNanos();
    Map<String, Long> took = new LinkedHashMap<>();
    for (Map.Entry<String, List<RecordingUser>> e : members.entrySet()) {
      String gone = "*** " + e.getValue().get(0).name + " has disconnected";
      long last = 0;
      for (RecordingUser u : e.getValue().subList(1, 3)) {
        u.await(gone, by, () -> u.has(gone));
        last = Math.max(last, u.find(gone).at() - killedAt);
      }
      took.put(e.getKey(), last);
    }
    String survivorLogs = nodes.get(1).log() + nodes.get(2).log();
    System.out.println("NodeLossIT: kill -9 of node 1; '*** NAME has disconnected' on both other"
        + " nodes after " + took.entrySet().stream()
            .map(e -> String.format("%.1f s in %s (%s)", e.getValue() / 1e9, e.getKey(),
                survivorLogs.contains("room " + e.getKey() + " stopped with its node")
                    ? "lived on the killed node" : "lived on a node left"))
            .collect(Collectors.joining(", ")));
  }

  /** Connects {@code name} to {@code node}, logs in and moves to {@code room}. */
  private RecordingUser enter(String name, NodeProcess node, String room) {
    RecordingUser u = RecordingUser.connect(name, node.chatPort());
    users.add(u);
    long by = after(CHAT_WITHIN);
    u.await("prompt", by, () -> u.has(RecordingUser.PROMPT));
    u.send(name);
    String joined = "*** " + name + " just joined the chatroom";
    u.await(joined, by, () -> u.has(joined));
    if (!room.equals("lobby")) {
      int before = u.size();
      u.send("/join " + room);
      u.await(joined + " in " + room, by, () -> u.lines().stream().skip(before)
          .anyMatch(l -> l.text().equals(joined)));
    }
    return u;
  }

  /** Starts the three nodes at once, each listing all three as seeds. */
  private void startCluster() throws Exception {
    List<String> flags = List.of(MARGIN, "-Dlogback.configurationFile="
        + Path.of(NodeLossIT.class.getResource("/freeze-resume-logback.xml").toURI()));
    nodes.startTogether(JAR, flags, START_WITHIN);
  }

  private static long after(Duration d) {
    return System.nanoTime() + d.toNanos();
  }
}
