package akkachat.it;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
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
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
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
 * frozen. The resumed node must not serve again: its process ends, its users get
 * {@code *** server is shutting down} or a close, and never a line twice or a line the others
 * sent after they saw them leave.
 */
class FreezeResumeIT {
  private static final Path JAR = Path.of(System.getProperty("akka-chat.jar", "target/akka-chat.jar"));
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

  private static final String PROMPT = "Please enter your username: ";
  private static final String SHUTTING_DOWN = "*** server is shutting down";
  private static final Pattern NUMBERED = Pattern.compile("\\[(\\w+)] line (\\d+)");
  private static final Pattern JOINED = Pattern.compile("\\*\\*\\* (\\w+) just joined the chatroom");
  private static final Pattern GONE = Pattern.compile("\\*\\*\\* (\\w+) has disconnected");

  private final List<Node> nodes = new ArrayList<>();
  private final List<Peer> peers = new ArrayList<>();
  private ScheduledExecutorService senders;
  /** The nodes' logs are kept for a failed run only. */
  private boolean passed;

  @AfterEach
  void stopEverything() throws Exception {
    if (senders != null) {
      senders.shutdownNow();
      senders.awaitTermination(10, TimeUnit.SECONDS);
    }
    peers.forEach(Peer::close);
    List<String> running = new ArrayList<>();
    for (Node node : nodes) {
      if (!node.stop()) {
        running.add("node " + node.number());
      }
    }
    assertTrue(running.isEmpty(), "still running: " + running);
    if (passed) {
      for (Node node : nodes) {
        Files.deleteIfExists(node.logFile());
        Files.deleteIfExists(node.logFile().getParent());
      }
    }
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
      throw new AssertionError(e.getMessage() + "\n" + nodeLogs(), e);
    }
  }

  private void run(long began) throws Exception {
    startCluster();
    long startedAt = System.nanoTime();
    Node frozen = nodes.get(0);

    Peer ann = login("ann", frozen);
    Peer amy = login("amy", frozen);
    Peer bob = login("bob", nodes.get(1));
    Peer cat = login("cat", nodes.get(2));
    List<Peer> frozenPeers = List.of(ann, amy);
    List<Peer> survivors = List.of(bob, cat);

    for (int i = 0; i < LINES_BEFORE_FREEZE; i++) {
      peers.forEach(Peer::say);
    }
    long chatBy = after(CHAT_WITHIN);
    for (Peer p : peers) {
      for (Peer from : peers) {
        String last = "[" + from.name + "] line " + LINES_BEFORE_FREEZE;
        p.await(last, chatBy, () -> p.has(last));
      }
    }

    // Every line so far has reached everyone: nothing is on its way when the node stops.
    signal("STOP", frozen);
    awaitStopped(frozen);
    long frozenAt = System.nanoTime();
    peers.forEach(Peer::markFreeze);
    senders = Executors.newScheduledThreadPool(1, r -> {
      Thread t = new Thread(r, "senders");
      t.setDaemon(true);
      return t;
    });
    for (Peer p : peers) {
      // The frozen node's users type on too: their lines wait in its socket buffers.
      senders.scheduleAtFixedRate(p::sayUnlessClosed, SEND_EVERY.toMillis(), SEND_EVERY.toMillis(),
          TimeUnit.MILLISECONDS);
    }

    long noticesBy = frozenAt + NOTICES_WITHIN.toNanos();
    for (Peer s : survivors) {
      for (Peer f : frozenPeers) {
        String gone = "*** " + f.name + " has disconnected";
        s.await(gone, noticesBy, () -> s.has(gone));
      }
    }
    long noticesAt = System.nanoTime();
    List<String> problems = new ArrayList<>();
    for (Peer s : survivors) {
      for (Peer f : frozenPeers) {
        long seenAfter = s.find("*** " + f.name + " has disconnected").at() - frozenAt;
        if (seenAfter < STABLE_AFTER.toNanos()) {
          problems.add(s.name + " saw " + f.name + " leave " + millis(seenAfter)
              + " ms after the freeze, before stable-after");
        }
      }
    }

    // The survivors chat with each other while the third node is still frozen.
    chatBy = after(CHAT_WITHIN);
    for (Peer s : survivors) {
      Peer other = s == bob ? cat : bob;
      int next = other.sent() + 1;
      String line = "[" + other.name + "] line " + next;
      s.await(line, chatBy, () -> s.has(line));
    }

    signal("CONT", frozen);
    long resumedAt = System.nanoTime();
    long exitBy = resumedAt + EXIT_WITHIN.toNanos();
    for (Peer f : frozenPeers) {
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
    for (Peer s : survivors) {
      for (Peer from : survivors) {
        String last = "[" + from.name + "] line " + from.sent();
        s.await(last, chatBy, () -> s.has(last));
      }
    }
    for (Node live : nodes.subList(1, 3)) {
      assertTrue(live.process().isAlive(), "node " + live.number() + " stopped");
    }

    for (Peer p : peers) {
      problems.addAll(check(p, frozenPeers.contains(p)));
    }
    for (Peer s : survivors) {
      if (s.sendFailure() != null) {
        problems.add(s.name + " could not send " + s.sendFailure());
      }
    }
    String summary = String.format(
        "FreezeResumeIT: nodes up in %d ms; frozen %d ms (stable-after %d s) until both survivors"
            + " saw both frozen users leave; resumed node exited %d ms after SIGCONT with status"
            + " %d; survivors sent %d and %d lines; %d ms in all; after SIGCONT the frozen"
            + " node's users got:%n%s",
        millis(startedAt - began), millis(noticesAt - frozenAt), STABLE_AFTER.toSeconds(),
        millis(exitedAt - resumedAt), frozen.process().exitValue(), bob.sent(), cat.sent(),
        millis(System.nanoTime() - began),
        frozenPeers.stream().map(Peer::sinceFreeze).collect(Collectors.joining("\n")));
    System.out.println(summary);
    assertTrue(problems.isEmpty(), String.join("\n", problems) + "\n" + summary + "\n"
        + peers.stream().map(Peer::transcript).collect(Collectors.joining("\n")));
  }

  /**
   * What {@code p} saw, against the rules: the login, then only numbered lines, join notices
   * before the freeze, one "has disconnected" per frozen user (on a survivor) or at most one per
   * name (on a frozen node, as its room closes), and "server is shutting down" only as the last
   * line on a frozen node. From each sender, numbers only rise: nothing twice, nothing out of
   * order.
   */
  private List<String> check(Peer p, boolean wasFrozen) {
    List<String> problems = new ArrayList<>();
    List<Peer.Line> lines = p.lines();
    String who = p.name + (wasFrozen ? " (frozen node)" : "");
    List<String> login = lines.subList(0, 5).stream().map(Peer.Line::text).toList();
    assertEquals(List.of("Welcome to akka-chat!", PROMPT, "Welcome, " + p.name, p.usersOnline,
        "*** " + p.name + " just joined the chatroom"), login, who + ": login");
    Map<String, List<Integer>> numbers = new LinkedHashMap<>();
    Map<String, Integer> departures = new HashMap<>();
    for (int i = 5; i < lines.size(); i++) {
      String text = lines.get(i).text();
      Matcher numbered = NUMBERED.matcher(text);
      Matcher joined = JOINED.matcher(text);
      Matcher gone = GONE.matcher(text);
      if (numbered.matches()) {
        String from = numbered.group(1);
        int n = Integer.parseInt(numbered.group(2));
        List<Integer> seen = numbers.computeIfAbsent(from, k -> new ArrayList<>());
        if (!seen.isEmpty() && n <= seen.get(seen.size() - 1)) {
          problems.add(who + ": " + text + " after " + from + "'s line " + seen.get(seen.size() - 1)
              + " (twice or out of order)");
        }
        seen.add(n);
        Peer sender = peer(from);
        if (wasFrozen && i >= p.freezeIndex && !isFrozen(sender)) {
          int bound = sender.sentWhenSeen("*** " + p.name + " has disconnected");
          if (n > bound) {
            problems.add(who + ": " + text + ", which " + from + " sent after seeing " + p.name
                + " leave (the old room served on)");
          }
        }
        if (!wasFrozen && isFrozen(sender) && n > LINES_BEFORE_FREEZE) {
          problems.add(who + ": " + text + ", which " + from + " typed while its node was frozen");
        }
      } else if (joined.matches()) {
        if (i >= p.freezeIndex) {
          problems.add(who + ": " + text + " after the freeze");
        }
      } else if (gone.matches()) {
        String name = gone.group(1);
        departures.merge(name, 1, Integer::sum);
        if (i < p.freezeIndex || name.equals(p.name) || (!wasFrozen && !isFrozen(peer(name)))) {
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
    for (Peer from : peers) {
      List<Integer> seen = numbers.getOrDefault(from.name, List.of());
      if (wasFrozen) {
        if (!seen.subList(0, Math.min(seen.size(), LINES_BEFORE_FREEZE))
            .equals(range(LINES_BEFORE_FREEZE))) {
          problems.add(who + ": " + from.name + "'s lines before the freeze: " + seen);
        }
        continue;
      }
      List<Integer> expected = range(isFrozen(from) ? LINES_BEFORE_FREEZE : from.sent());
      if (!seen.equals(expected)) {
        problems.add(who + ": " + from.name + "'s lines were " + seen + ", expected 1.."
            + expected.size() + " once each, in order");
      }
      if (isFrozen(from) && departures.getOrDefault(from.name, 0) != 1) {
        problems.add(who + ": saw " + from.name + " leave "
            + departures.getOrDefault(from.name, 0) + " times");
      }
    }
    return problems;
  }

  private boolean isFrozen(Peer p) {
    return p.node == nodes.get(0);
  }

  private Peer peer(String name) {
    return peers.stream().filter(p -> p.name.equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("a line from a stranger: " + name));
  }

  private static List<Integer> range(int n) {
    List<Integer> list = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      list.add(i);
    }
    return list;
  }

  /**
   * Connects {@code name} to {@code node} and logs in; waits until every earlier user has seen
   * the join, so that each "Users online" line is known.
   */
  private Peer login(String name, Node node) {
    List<String> online = new ArrayList<>(peers.stream().map(p -> p.name).toList());
    online.add(name);
    online.sort(String.CASE_INSENSITIVE_ORDER);
    Peer p = Peer.connect(name, node, "*** Users online: " + String.join(", ", online));
    peers.add(p);
    long by = after(CHAT_WITHIN);
    p.await("the prompt", by, () -> p.has(PROMPT));
    p.send(name);
    String joined = "*** " + name + " just joined the chatroom";
    for (Peer q : peers) {
      q.await(joined, by, () -> q.has(joined));
    }
    return p;
  }

  /** Starts node 1 (which seeds itself), then nodes 2 and 3 (seeded by node 1). */
  private void startCluster() throws Exception {
    for (int attempt = 1; ; attempt++) {
      int[] ports = freePorts(6);
      String seeds = "127.0.0.1:" + ports[3];
      try {
        nodes.add(Node.start(1, ports[0], ports[3], seeds));
        nodes.get(0).awaitListening();
        nodes.add(Node.start(2, ports[1], ports[4], seeds));
        nodes.add(Node.start(3, ports[2], ports[5], seeds));
        nodes.get(1).awaitListening();
        nodes.get(2).awaitListening();
        return;
      } catch (PortTaken e) {
        // A port picked here was taken before its node bound it: try again with others.
        for (Node node : nodes) {
          assertTrue(node.stop(), "node " + node.number() + " did not stop");
        }
        nodes.clear();
        if (attempt == 3) {
          throw e;
        }
      }
    }
  }

  private String nodeLogs() {
    StringBuilder all = new StringBuilder();
    for (Node node : nodes) {
      all.append("---- node ").append(node.number()).append(" (").append(node.logFile())
          .append(")\n");
      try {
        List<String> lines = Files.readAllLines(node.logFile(), StandardCharsets.UTF_8);
        lines.subList(Math.max(0, lines.size() - 80), lines.size())
            .forEach(l -> all.append(l).append('\n'));
      } catch (IOException e) {
        all.append(e).append('\n');
      }
    }
    return all.toString();
  }

  private static void signal(String signal, Node node) throws Exception {
    Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(node.process().pid()))
        .redirectErrorStream(true).start();
    assertTrue(kill.waitFor(10, TimeUnit.SECONDS), "kill -" + signal + " did not finish");
    assertEquals(0, kill.exitValue(), "kill -" + signal + " failed");
  }

  /** Waits until the kernel shows the process as stopped (state T in /proc/PID/stat). */
  private static void awaitStopped(Node node) throws Exception {
    Path stat = Path.of("/proc/" + node.process().pid() + "/stat");
    long by = after(Duration.ofSeconds(10));
    while (true) {
      String text = Files.readString(stat, StandardCharsets.US_ASCII);
      if (text.charAt(text.lastIndexOf(')') + 2) == 'T') {
        return;
      }
      assertTrue(System.nanoTime() < by, "node " + node.number() + " did not stop: " + text);
      // Polling the kernel's view of another process: bounded by the deadline above.
      node.process().waitFor(20, TimeUnit.MILLISECONDS);
    }
  }

  private static int[] freePorts(int count) throws IOException {
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

  private static long after(Duration d) {
    return System.nanoTime() + d.toNanos();
  }

  private static long millis(long nanos) {
    return TimeUnit.NANOSECONDS.toMillis(nanos);
  }

  private static final class PortTaken extends RuntimeException {
    PortTaken(String message) {
      super(message);
    }
  }

  /** One {@code java -jar} node and the file its output goes to. */
  private record Node(int number, Process process, Path logFile, int chatPort) {

    static Node start(int number, int chatPort, int clusterPort, String seeds) throws Exception {
      Path dir = Files.createTempDirectory("freeze-resume-node" + number);
      Path log = dir.resolve("node.log");
      List<String> command = new ArrayList<>(List.of("java", "-Xmx256m"));
      Path archive = JAR.resolveSibling("akka-chat.jsa");
      if (Files.isRegularFile(archive)) {
        command.add("-XX:SharedArchiveFile=" + archive);
      }
      command.addAll(List.of(
          "-Dlogback.configurationFile=" + logbackConfig(),
          "-Dakka-chat.host=127.0.0.1",
          "-Dakka-chat.port=" + chatPort,
          "-Dakka-chat.cluster.host=127.0.0.1",
          "-Dakka-chat.cluster.port=" + clusterPort,
          "-Dakka-chat.cluster.seeds=" + seeds,
          "-Dakka-chat.cluster.stable-after=" + STABLE_AFTER.toSeconds() + "s",
          "-jar", JAR.toAbsolutePath().toString()));
      ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile())
          .redirectErrorStream(true).redirectOutput(log.toFile());
      pb.environment().keySet().removeIf(k -> k.startsWith("CHAT_") || k.startsWith("CLUSTER_"));
      return new Node(number, pb.start(), log, chatPort);
    }

    private static Path logbackConfig() throws URISyntaxException {
      return Path.of(FreezeResumeIT.class.getResource("/freeze-resume-logback.xml").toURI());
    }

    void awaitListening() throws Exception {
      long by = after(START_WITHIN);
      String listening = "listening on 127.0.0.1:" + chatPort;
      while (!log().contains(listening)) {
        if (!process.isAlive()) {
          String text = log();
          if (text.contains("in use")) {
            throw new PortTaken("node " + number + ": " + text);
          }
          fail("node " + number + " exited with " + process.exitValue() + " before listening");
        }
        assertTrue(System.nanoTime() < by, "node " + number + " not listening within "
            + START_WITHIN.toSeconds() + " s");
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

    /** Resumes it if frozen, then kills it; false if it is still there 30 s later. */
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
  }

  /**
   * A user at a raw TCP socket: a thread reads every line the server sends (the prompt, which
   * has no line break, counts as a line) with when it came and how many lines this user had
   * sent by then; the test waits for lines with deadlines.
   */
  private static final class Peer implements AutoCloseable {
    record Line(String text, long at, int sentBefore) {}

    final String name;
    final Node node;
    final String usersOnline;
    private final Socket socket;
    private final OutputStream out;
    private final Thread reader;
    private final AtomicInteger sent = new AtomicInteger();
    private final List<Line> lines = new ArrayList<>(); // guarded by this
    private boolean closed; // guarded by this
    private volatile String sendFailure;
    int freezeIndex = Integer.MAX_VALUE;

    private Peer(String name, Node node, String usersOnline, Socket socket) throws IOException {
      this.name = name;
      this.node = node;
      this.usersOnline = usersOnline;
      this.socket = socket;
      this.out = socket.getOutputStream();
      this.reader = new Thread(this::read, "reader-" + name);
      reader.setDaemon(true);
      reader.start();
    }

    static Peer connect(String name, Node node, String usersOnline) {
      try {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", node.chatPort()), 10_000);
        socket.setTcpNoDelay(true);
        return new Peer(name, node, usersOnline, socket);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    private void read() {
      byte[] buffer = new byte[8192];
      ByteArrayOutputStream partial = new ByteArrayOutputStream();
      try {
        InputStream in = socket.getInputStream();
        int n;
        while ((n = in.read(buffer)) > 0) {
          for (int i = 0; i < n; i++) {
            if (buffer[i] == '\n') {
              add(partial.toString(StandardCharsets.UTF_8));
              partial.reset();
            } else {
              partial.write(buffer[i]);
            }
          }
          if (partial.toString(StandardCharsets.UTF_8).equals(PROMPT)) {
            add(PROMPT);
            partial.reset();
          }
        }
      } catch (IOException e) {
        // A reset, or the test closing the socket: the connection is gone either way.
      }
      synchronized (this) {
        if (partial.size() > 0) {
          add(partial.toString(StandardCharsets.UTF_8));
        }
        closed = true;
        notifyAll();
      }
    }

    private synchronized void add(String text) {
      lines.add(new Line(text, System.nanoTime(), sent.get()));
      notifyAll();
    }

    void send(String text) {
      try {
        synchronized (out) {
          out.write((text + "\n").getBytes(StandardCharsets.UTF_8));
          out.flush();
        }
      } catch (IOException e) {
        throw new UncheckedIOException(name + " could not send", e);
      }
    }

    /** Sends this user's next numbered line. */
    void say() {
      synchronized (out) {
        send("line " + sent.incrementAndGet());
      }
    }

    /**
     * For the senders thread: the next line, unless the connection is closed. A survivor's
     * failed send shows later as a line missing everywhere.
     */
    void sayUnlessClosed() {
      if (sendFailure != null || closed()) {
        return;
      }
      try {
        say();
      } catch (UncheckedIOException e) {
        sendFailure = "line " + sent.getAndDecrement() + ": " + e.getCause();
      }
    }

    /** Why a line from the senders thread could not be sent, or null. */
    String sendFailure() {
      return sendFailure;
    }

    int sent() {
      return sent.get();
    }

    synchronized boolean closed() {
      return closed;
    }

    synchronized boolean has(String text) {
      return lines.stream().anyMatch(l -> l.text().equals(text));
    }

    synchronized Line find(String text) {
      return lines.stream().filter(l -> l.text().equals(text)).findFirst()
          .orElseThrow(() -> new AssertionError(name + " never saw: " + text));
    }

    /** How many lines this user had sent when {@code text} reached it. */
    int sentWhenSeen(String text) {
      return find(text).sentBefore();
    }

    synchronized List<Line> lines() {
      return List.copyOf(lines);
    }

    /** The lines since the freeze, on one line, and whether the connection closed. */
    synchronized String sinceFreeze() {
      return "  " + name + ": " + lines.subList(Math.min(freezeIndex, lines.size()), lines.size())
          .stream().map(Line::text).collect(Collectors.joining(" | "))
          + (closed ? " | (closed)" : "");
    }

    synchronized void markFreeze() {
      freezeIndex = lines.size();
    }

    /** Waits until {@code condition} holds; fails at the deadline or if the connection closed. */
    synchronized void await(String what, long deadline, BooleanSupplier condition) {
      while (!condition.getAsBoolean()) {
        long left = deadline - System.nanoTime();
        if (left <= 0 || closed) {
          fail(name + ": no " + what + (closed ? " before the connection closed" : " in time")
              + "\n" + transcript());
        }
        try {
          wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          fail("interrupted");
        }
      }
    }

    synchronized String transcript() {
      StringBuilder text = new StringBuilder("---- " + name + " (sent " + sent.get()
          + ", freeze at line " + freezeIndex
          + (closed ? ", closed" : "") + ")\n");
      lines.forEach(l -> text.append("  ").append(l.text()).append('\n'));
      return text.toString();
    }

    @Override
    public void close() {
      try {
        socket.close();
        reader.join(10_000);
      } catch (IOException e) {
        // already gone
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
