package akkachat.it;

import akkachat.support.Repository;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Partition safety with real processes: three {@code java -jar} nodes in one cluster, users on
 * each, all in the lobby. One node is frozen (SIGSTOP) until the others have reported its users
 * gone, which the split brain resolver allows only after stable-after, and then resumed
 * (SIGCONT). The live nodes' users must chat on, each seeing every line of the others once and
 * in order and each frozen user leave once, and never a line that a frozen user sent while
 * frozen. The resumed node must not serve again: its process ends (status 3), its users get
 * {@code *** server is shutting down} or a close, and never a line twice or a line the others
 * sent after they saw them leave.
 */
class FreezeResumeIT {
  private static final Path JAR = Repository.serverJar();
  /**
   * The shipped default and Akka's recommended minimum for clusters of up to 5 nodes
   * (split-brain-resolver.md, "Stable after"), given here so that the deadlines below fit it.
   * down-removal-margin is not given: it follows stable-after, as it does in production.
   */
  private static final Duration STABLE_AFTER = Duration.ofSeconds(7);
  /** Per node, on a loaded machine. */
  private static final Duration START_WITHIN = Duration.ofSeconds(60);
  /** A line, a login, a join notice while no node is frozen. */
  private static final Duration CHAT_WITHIN = Duration.ofSeconds(20);
  /**
   * From the freeze to the survivors' "has disconnected": failure detection (about 4 s),
   * stable-after, down-removal-margin (= stable-after) before the room starts again elsewhere,
   * and room for a loaded machine.
   */
  private static final Duration NOTICES_WITHIN = STABLE_AFTER.multipliedBy(2).plusSeconds(30);
  /** From the resume to the frozen node's exit: it learns it was removed, then shuts down. */
  private static final Duration EXIT_WITHIN = Duration.ofSeconds(40);
  private static final int LINES_BEFORE_FREEZE = 5;
  private static final Duration SEND_EVERY = Duration.ofMillis(250);
  /** Main's exit status for a node that the cluster removed (downed). */
  private static final int DOWNED_STATUS = 3;

  private static final String SHUTTING_DOWN = "*** server is shutting down";
  private static final Pattern NUMBERED = Pattern.compile("\\[(\\w+)] line (\\d+)");
  private static final Pattern JOINED = Pattern.compile("\\*\\*\\* (\\w+) just joined the chatroom");
  private static final Pattern GONE = Pattern.compile("\\*\\*\\* (\\w+) has disconnected");

  private final ProcessCluster nodes = new ProcessCluster();
  private final Map<String, RecordingUser> users = new LinkedHashMap<>();
  /** Each user's "Users online" line at login. */
  private final Map<String, String> online = new HashMap<>();
  /** How many lines each user had received when the node was frozen. */
  private final Map<String, Integer> freezeIndex = new HashMap<>();
  private final List<String> frozenNames = List.of("ann", "amy");
  private ScheduledExecutorService senders;
  /** The nodes' logs are kept for a failed run only. */
  private boolean passed;

  @AfterEach
  void stopEverything() throws Exception {
    if (senders != null) {
      senders.shutdownNow();
      senders.awaitTermination(10, TimeUnit.SECONDS);
    }
    users.values().forEach(RecordingUser::close);
    nodes.stop(passed);
  }

  @Test
  void aNodeFrozenPastStableAfterIsReplacedAndStopsServingWhenResumed() throws Exception {
    assumeTrue(Files.isDirectory(Path.of("/proc/self")), "needs /proc and kill(1)");
    assertTrue(Files.isRegularFile(JAR), "no jar at " + JAR);
    long began = System.nanoTime();
    try {
      run(began);
      passed = true;
    } catch (AssertionError | Exception e) {
      throw new AssertionError(e.getMessage() + "\n" + nodes.tails(80), e);
    }
  }

  private void run(long began) throws Exception {
    startCluster();
    long startedAt = System.nanoTime();
    NodeProcess frozen = nodes.get(0);

    RecordingUser ann = login("ann", frozen);
    RecordingUser amy = login("amy", frozen);
    RecordingUser bob = login("bob", nodes.get(1));
    RecordingUser cat = login("cat", nodes.get(2));
    List<RecordingUser> frozenUsers = List.of(ann, amy);
    List<RecordingUser> survivors = List.of(bob, cat);

    for (int i = 0; i < LINES_BEFORE_FREEZE; i++) {
      users.values().forEach(RecordingUser::say);
    }
    long chatBy = after(CHAT_WITHIN);
    for (RecordingUser u : users.values()) {
      for (String from : users.keySet()) {
        String last = "[" + from + "] line " + LINES_BEFORE_FREEZE;
        u.await(last, chatBy, () -> u.has(last));
      }
    }

    // Every line so far has reached everyone: nothing is on its way when the node stops.
    frozen.signal("STOP");
    frozen.awaitStopped(Duration.ofSeconds(10));
    long frozenAt = System.nanoTime();
    users.values().forEach(u -> freezeIndex.put(u.name, u.size()));
    senders = Executors.newScheduledThreadPool(1, r -> {
      Thread t = new Thread(r, "senders");
      t.setDaemon(true);
      return t;
    });
    for (RecordingUser u : users.values()) {
      // The frozen node's users type on too: their lines wait in its socket buffers.
      senders.scheduleAtFixedRate(u::sayUnlessClosed, SEND_EVERY.toMillis(),
          SEND_EVERY.toMillis(), TimeUnit.MILLISECONDS);
    }

    long noticesBy = frozenAt + NOTICES_WITHIN.toNanos();
    for (RecordingUser s : survivors) {
      for (RecordingUser f : frozenUsers) {
        String gone = "*** " + f.name + " has disconnected";
        s.await(gone, noticesBy, () -> s.has(gone));
      }
    }
    long noticesAt = System.nanoTime();
    List<String> problems = new ArrayList<>();
    for (RecordingUser s : survivors) {
      for (RecordingUser f : frozenUsers) {
        long seenAfter = s.find("*** " + f.name + " has disconnected").at() - frozenAt;
        if (seenAfter < STABLE_AFTER.toNanos()) {
          problems.add(s.name + " saw " + f.name + " leave " + millis(seenAfter)
              + " ms after the freeze, before stable-after");
        }
      }
    }

    // The survivors chat with each other while the third node is still frozen.
    chatBy = after(CHAT_WITHIN);
    for (RecordingUser s : survivors) {
      RecordingUser other = s == bob ? cat : bob;
      String line = "[" + other.name + "] line " + (other.sent() + 1);
      s.await(line, chatBy, () -> s.has(line));
    }

    frozen.signal("CONT");
    long resumedAt = System.nanoTime();
    long exitBy = resumedAt + EXIT_WITHIN.toNanos();
    for (RecordingUser f : frozenUsers) {
      f.await("close of the connection", exitBy, f::closed);
    }
    if (!frozen.process().waitFor(Math.max(0, exitBy - System.nanoTime()), TimeUnit.NANOSECONDS)) {
      fail("the resumed node still runs " + EXIT_WITHIN.toSeconds() + " s after SIGCONT");
    }
    long exitedAt = System.nanoTime();
    if (frozen.process().exitValue() != DOWNED_STATUS) {
      problems.add("the resumed node exited with status " + frozen.process().exitValue()
          + ", not " + DOWNED_STATUS + " (removed from the cluster)");
    }

    senders.shutdownNow();
    assertTrue(senders.awaitTermination(10, TimeUnit.SECONDS), "senders did not stop");
    chatBy = after(CHAT_WITHIN);
    for (RecordingUser s : survivors) {
      for (RecordingUser from : survivors) {
        String last = "[" + from.name + "] line " + from.sent();
        s.await(last, chatBy, () -> s.has(last));
      }
      if (s.sendFailure() != null) {
        problems.add(s.name + " could not send " + s.sendFailure());
      }
    }
    for (NodeProcess live : List.of(nodes.get(1), nodes.get(2))) {
      assertTrue(live.process().isAlive(), "node " + live.number() + " stopped");
    }

    for (RecordingUser u : users.values()) {
      problems.addAll(check(u));
    }
    String summary = String.format(
        "FreezeResumeIT: nodes up in %d ms; frozen %d ms (stable-after %d s) until both survivors"
            + " saw both frozen users leave; resumed node exited %d ms after SIGCONT with status"
            + " %d; survivors sent %d and %d lines; %d ms in all; after SIGCONT the frozen"
            + " node's users got:%n  %s%n  %s",
        millis(startedAt - began), millis(noticesAt - frozenAt), STABLE_AFTER.toSeconds(),
        millis(exitedAt - resumedAt), frozen.process().exitValue(), bob.sent(), cat.sent(),
        millis(System.nanoTime() - began), ann.since(freezeIndex.get("ann")),
        amy.since(freezeIndex.get("amy")));
    System.out.println(summary);
    assertTrue(problems.isEmpty(), String.join("\n", problems) + "\n" + summary + "\n"
        + "freeze at line " + freezeIndex + "\n"
        + users.values().stream().map(RecordingUser::transcript).collect(Collectors.joining()));
  }

  /**
   * What {@code u} saw, against the rules: the login, then only numbered lines, join notices
   * before the freeze, one "has disconnected" per frozen user (on a survivor) or at most one per
   * name (on the frozen node, as it closes), and "server is shutting down" only as the last
   * line on the frozen node. From each sender, numbers only rise: nothing twice, nothing out of
   * order. A survivor sees all of the other survivors' lines and none that a frozen user typed
   * while frozen; a frozen user none that a survivor sent after seeing them leave.
   */
  private List<String> check(RecordingUser u) {
    List<String> problems = new ArrayList<>();
    boolean wasFrozen = frozenNames.contains(u.name);
    String who = u.name + (wasFrozen ? " (frozen node)" : "");
    int freeze = freezeIndex.get(u.name);
    List<RecordingUser.Line> lines = u.lines();
    assertEquals(List.of("Welcome to akka-chat!", RecordingUser.PROMPT, "Welcome, " + u.name,
            online.get(u.name), "*** " + u.name + " just joined the chatroom"),
        lines.subList(0, 5).stream().map(RecordingUser.Line::text).toList(), who + ": login");
    Map<String, List<Integer>> numbers = new HashMap<>();
    Map<String, Integer> departures = new HashMap<>();
    for (int i = 5; i < lines.size(); i++) {
      String text = lines.get(i).text();
      Matcher numbered = NUMBERED.matcher(text);
      Matcher joined = JOINED.matcher(text);
      Matcher gone = GONE.matcher(text);
      if (numbered.matches()) {
        String from = sender(numbered.group(1));
        int n = Integer.parseInt(numbered.group(2));
        List<Integer> seen = numbers.computeIfAbsent(from, k -> new ArrayList<>());
        if (!seen.isEmpty() && n <= seen.get(seen.size() - 1)) {
          problems.add(who + ": " + text + " after " + from + "'s line "
              + seen.get(seen.size() - 1) + " (twice or out of order)");
        }
        seen.add(n);
        if (wasFrozen && i >= freeze && !frozenNames.contains(from)
            && n > users.get(from).find("*** " + u.name + " has disconnected").sentBefore()) {
          problems.add(who + ": " + text + ", which " + from + " sent after seeing " + u.name
              + " leave");
        }
        if (!wasFrozen && frozenNames.contains(from) && n > LINES_BEFORE_FREEZE) {
          problems.add(who + ": " + text + ", which " + from + " typed while its node was frozen");
        }
      } else if (joined.matches()) {
        if (i >= freeze) {
          problems.add(who + ": " + text + " after the freeze");
        }
      } else if (gone.matches()) {
        String name = gone.group(1);
        departures.merge(name, 1, Integer::sum);
        if (i < freeze || name.equals(u.name) || (!wasFrozen && !frozenNames.contains(name))) {
          problems.add(who + ": unexpected " + text);
        }
      } else if (!(wasFrozen && text.equals(SHUTTING_DOWN) && i == lines.size() - 1)) {
        problems.add(who + ": unexpected line: " + text);
      }
    }
    departures.forEach((name, count) -> {
      if (count > 1) {
        problems.add(who + ": saw " + name + " leave " + count + " times");
      }
    });
    for (RecordingUser from : users.values()) {
      List<Integer> seen = numbers.getOrDefault(from.name, List.of());
      if (wasFrozen) {
        if (!seen.subList(0, Math.min(seen.size(), LINES_BEFORE_FREEZE))
            .equals(range(LINES_BEFORE_FREEZE))) {
          problems.add(who + ": " + from.name + "'s lines before the freeze: " + seen);
        }
        continue;
      }
      boolean fromFrozen = frozenNames.contains(from.name);
      List<Integer> expected = range(fromFrozen ? LINES_BEFORE_FREEZE : from.sent());
      if (!seen.equals(expected)) {
        problems.add(who + ": " + from.name + "'s lines were " + seen + ", expected 1.."
            + expected.size() + " once each, in order");
      }
      if (fromFrozen && departures.getOrDefault(from.name, 0) != 1) {
        problems.add(who + ": saw " + from.name + " leave "
            + departures.getOrDefault(from.name, 0) + " times");
      }
    }
    return problems;
  }

  private String sender(String name) {
    if (!users.containsKey(name)) {
      throw new AssertionError("a line from a stranger: " + name);
    }
    return name;
  }

  private static List<Integer> range(int n) {
    List<Integer> list = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      list.add(i);
    }
    return list;
  }

  /**
   * Connects {@code name} to {@code node} and logs in; waits until every user so far has seen
   * the join, so that each "Users online" line is known.
   */
  private RecordingUser login(String name, NodeProcess node) {
    List<String> names = new ArrayList<>(users.keySet());
    names.add(name);
    names.sort(String.CASE_INSENSITIVE_ORDER);
    online.put(name, "*** Users online: " + String.join(", ", names));
    RecordingUser u = RecordingUser.connect(name, node.chatPort());
    users.put(name, u);
    long by = after(CHAT_WITHIN);
    u.await("prompt", by, () -> u.has(RecordingUser.PROMPT));
    u.send(name);
    String joined = "*** " + name + " just joined the chatroom";
    for (RecordingUser other : users.values()) {
      other.await(joined, by, () -> other.has(joined));
    }
    return u;
  }

  /** Starts node 1 (which seeds itself), then nodes 2 and 3 (seeded by node 1). */
  private void startCluster() throws Exception {
    List<String> flags = List.of(
        "-Dlogback.configurationFile="
            + Path.of(FreezeResumeIT.class.getResource("/freeze-resume-logback.xml").toURI()),
        "-Dakka-chat.cluster.stable-after=" + STABLE_AFTER.toSeconds() + "s");
    nodes.start(ports -> {
      String seeds = "127.0.0.1:" + ports[3];
      nodes.add(NodeProcess.start(1, JAR, ports[0], ports[3], seeds, flags));
      nodes.get(0).awaitListening(START_WITHIN);
      nodes.add(NodeProcess.start(2, JAR, ports[1], ports[4], seeds, flags));
      nodes.add(NodeProcess.start(3, JAR, ports[2], ports[5], seeds, flags));
      nodes.get(1).awaitListening(START_WITHIN);
      nodes.get(2).awaitListening(START_WITHIN);
    });
  }

  private static long after(Duration d) {
    return System.nanoTime() + d.toNanos();
  }

  private static long millis(long nanos) {
    return TimeUnit.NANOSECONDS.toMillis(nanos);
  }
}
