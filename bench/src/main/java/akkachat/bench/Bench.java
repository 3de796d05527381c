package akkachat.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * A load generator for a running akka-chat, in the manner of redis-benchmark: many non-blocking
 * connections on a few selector threads log in, some send numbered, time-stamped lines, and
 * every reader checks what arrives (throughput, latency, lost, out of order). This class runs
 * the phases: log in, freeze, run, drain, report. See docs/BENCHMARKS.md.
 */
public final class Bench {
  private static final long TICK = TimeUnit.MILLISECONDS.toNanos(20);
  private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

  private final Options options;
  private final PrintStream out;
  private final PrintStream err;
  private final List<IoLoop> loops = new ArrayList<>();
  private final List<Thread> threads = new ArrayList<>();
  private Control control;
  private SelfCpu cpu;
  private long start;
  private long deadline;
  private long nextProgress;
  private SelfCpu.Mark lastMark;
  private long lastDelivered;
  private long lastSent;
  private boolean timedOut;

  private Bench(Options options, PrintStream out, PrintStream err) {
    this.options = options;
    this.out = out;
    this.err = err;
  }

  public static void main(String[] args) {
    if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
      System.out.println(Options.USAGE);
      return;
    }
    Options options;
    try {
      options = Options.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("bench: " + e.getMessage());
      System.err.println("try --help");
      System.exit(2);
      return;
    }
    Report report;
    try {
      report = new Bench(options, System.out, System.err).run();
    } catch (IOException e) {
      System.err.println("bench: could not start: " + e);
      System.exit(2);
      return;
    }
    System.exit(report.failed() ? 1 : 0);
  }

  /**
   * Runs one scenario given as command-line flags: progress on {@code err}, the table and the
   * JSON line on {@code out}. Throws IllegalArgumentException for bad flags.
   */
  public static Report run(String[] args, PrintStream out, PrintStream err) {
    Options options = Options.parse(args);
    try {
      return new Bench(options, out, err).run();
    } catch (IOException e) {
      throw new IllegalStateException("bench could not start: " + e, e);
    }
  }

  private Report run() throws IOException {
    Plan plan = new Plan(options);
    control = new Control(options.senders());
    int n = Math.min(options.threads(), options.clients());
    for (int i = 0; i < n; i++) {
      loops.add(new IoLoop(plan, control, Math.max(1, options.connectWindow() / n)));
    }
    for (int i = 0; i < options.clients(); i++) {
      loops.get(i % n).add(new Client(plan, i));
    }
    ServerProbe probe = options.serverPids().isEmpty()
        ? null : new ServerProbe(options.serverPids(), options.serverHeap());
    Summary summary = new Summary(plan, control, loops);
    summary.before = probe == null ? null : probe.sample(true);

    for (int i = 0; i < n; i++) {
      Thread t = new Thread(loops.get(i), "bench-io-" + i);
      t.setDaemon(true);
      threads.add(t);
    }
    cpu = new SelfCpu(threads);
    start = System.nanoTime();
    summary.start = start;
    deadline = start + seconds(options.maxTime());
    nextProgress = start + SECOND;
    lastMark = cpu.mark();
    threads.forEach(Thread::start);

    awaitOr(() -> sum(l -> l.progress.loggedIn + l.progress.failed) >= options.clients(),
        Math.min(deadline, start + seconds(options.loginTimeout())), "login");
    enter(Control.FREEZE);
    awaitOr(() -> loops.stream().allMatch(l -> l.progress.frozen), deadline, "login");
    summary.readers = new int[plan.rooms];
    for (IoLoop l : loops) {
      for (int r = 0; r < plan.rooms; r++) {
        summary.readers[r] += l.readersPerRoom[r];
      }
    }
    summary.loggedIn = probe == null ? null : probe.sample(false);
    summary.cpuStart = cpu.mark();
    control.runStart = System.nanoTime();
    if (options.duration() > 0 && !options.holdIdle()) {
      control.sendUntil = control.runStart + seconds(options.duration());
    }
    enter(Control.RUN);
    if (options.holdIdle()) {
      awaitOr(() -> false, Math.min(deadline, control.runStart + seconds(options.duration())),
          "hold");
    } else {
      runAndDrain(summary);
    }
    summary.runEnd = System.nanoTime();
    summary.cpuEnd = cpu.mark();
    summary.after = probe == null ? null : probe.sample(true);
    summary.probeProblem = probe == null ? null : probe.problem();
    enter(Control.DONE);
    for (Thread t : threads) {
      try {
        t.join(TimeUnit.SECONDS.toMillis(60));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    for (IoLoop l : loops) {
      if (l.crash != null) {
        throw new IllegalStateException("bench thread failed", l.crash);
      }
    }
    Report report = summary.report(options, cpu.cores(), timedOut);
    if (!options.jsonOnly()) {
      out.print(report.table());
    }
    out.println(report.json());
    out.flush();
    return report;
  }

  /** Sends until the senders are through, then waits for what is still on its way. */
  private void runAndDrain(Summary summary) {
    long sendEnd = control.sendUntil == Long.MAX_VALUE ? deadline
        : Math.min(deadline, control.sendUntil);
    awaitOr(() -> loops.stream().allMatch(l -> l.progress.sendersDone), sendEnd, "run");
    enter(Control.STOP_SENDING);
    awaitOr(() -> loops.stream().allMatch(l -> l.progress.sendersDone),
        Math.min(deadline, System.nanoTime() + seconds(options.drainTimeout())), "run");
    long[] seen = {sum(l -> l.progress.delivered), System.nanoTime()};
    awaitOr(() -> {
      long delivered = sum(l -> l.progress.delivered);
      long now = System.nanoTime();
      if (delivered != seen[0]) {
        seen[0] = delivered;
        seen[1] = now;
      }
      long toConnected = delivered - sum(l -> l.progress.deliveredToGone);
      return toConnected >= summary.stillExpected()
          || now - seen[1] > seconds(options.drainTimeout());
    }, deadline, "drain");
  }

  private void enter(int phase) {
    control.phase(phase);
    loops.forEach(IoLoop::wakeup);
  }

  /** Waits, printing progress every second, until {@code done} or {@code until}. */
  private void awaitOr(BooleanSupplier done, long until, String phase) {
    while (!done.getAsBoolean()) {
      long now = System.nanoTime();
      if (now - until >= 0) {
        if (now - deadline >= 0) {
          timedOut = true;
        }
        return;
      }
      for (IoLoop l : loops) {
        if (l.crash != null) {
          return;
        }
      }
      if (now - nextProgress >= 0) {
        progress(phase, now);
        nextProgress = Math.max(nextProgress + SECOND, now + SECOND / 2);
      }
      LockSupport.parkNanos(Math.min(TICK, until - now));
    }
  }

  private void progress(String phase, long now) {
    SelfCpu.Mark mark = cpu.mark();
    long delivered = sum(l -> l.progress.delivered);
    long sent = sum(l -> l.progress.sent);
    double secs = (mark.wall() - lastMark.wall()) / 1e9;
    double busiest = SelfCpu.busiestThread(lastMark, mark);
    String line = String.format(Locale.ROOT,
        "[%6.1fs] %-5s connected %,d/%,d  logged in %,d  failed %,d  disconnected %,d  |  "
            + "sent %,.0f/s  delivered %,.0f/s (total %,d)  |  bench %.2f cores, busiest thread %.0f%%%s",
        (now - start) / 1e9, phase, sum(l -> l.progress.connected), options.clients(),
        sum(l -> l.progress.loggedIn), sum(l -> l.progress.failed),
        sum(l -> l.progress.disconnected),
        (sent - lastSent) / secs, (delivered - lastDelivered) / secs, delivered,
        SelfCpu.processCores(lastMark, mark), 100 * busiest,
        busiest >= SelfCpu.BUSY_THREAD ? "  WARNING: bench thread saturated" : "");
    if (!options.jsonOnly()) {
      err.println(line);
    }
    lastMark = mark;
    lastDelivered = delivered;
    lastSent = sent;
  }

  private long sum(java.util.function.ToLongFunction<IoLoop> f) {
    return loops.stream().mapToLong(f).sum();
  }

  private static long seconds(double s) {
    return (long) (s * 1e9);
  }

  /** Open-file limit of this process, or -1 where the platform does not say. */
  static long fileLimit() {
    return ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.UnixOperatingSystemMXBean unix
        ? unix.getMaxFileDescriptorCount() : -1;
  }
}
