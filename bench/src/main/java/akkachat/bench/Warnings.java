package akkachat.bench;

import java.util.Locale;

/** The reasons not to trust a run's figures as they stand, worded for the person reading them. */
final class Warnings {
  private Warnings() {}

  static void add(Report r, Options o, LoopStats t, double benchCores, double busiest, int cores,
      boolean timedOut, String probeProblem) {
    // Below a second, JIT and GC threads make the bench's CPU share meaningless.
    boolean judgeCpu = r.number("run_s") >= 1.0;
    long files = Bench.fileLimit();
    if (files >= 0 && files < o.clients() + 64L) {
      r.warn(String.format(Locale.ROOT,
          "the open-file limit (%d) is below --clients; raise it with ulimit -n", files));
    }
    if (t.failed > 0) {
      r.warn(String.format(Locale.ROOT, "%,d clients did not log in (first: %s)", t.failed,
          t.firstFailure));
    }
    if (t.disconnected > 0) {
      r.warn(String.format(Locale.ROOT,
          "%,d clients were disconnected during the run and are left out of 'lost' (first: %s)",
          t.disconnected, t.firstDisconnect));
    }
    if (t.errorLines > 0) {
      r.warn(String.format(Locale.ROOT, "the server sent %,d error lines (first: %s)",
          t.errorLines, t.firstError));
    }
    if (judgeCpu && busiest >= SelfCpu.BUSY_THREAD) {
      r.warn(String.format(Locale.ROOT, "a bench thread was busy %.0f%% of the run: the bench, "
          + "not the server, may be the bottleneck; try --threads %d or another machine",
          100 * busiest, o.threads() + 1));
    }
    if (judgeCpu && benchCores / cores >= SelfCpu.BUSY_MACHINE) {
      r.warn(String.format(Locale.ROOT, "the bench used %.2f of %d cores (%.0f%% of the "
          + "machine): a server on the same machine had only the rest", benchCores, cores,
          100 * benchCores / cores));
    }
    if (o.rate() > 0 && r.has("sent_per_s") && r.count("sent") > 0) {
      double asked = o.rate() * r.count("senders");
      double lagP99 = r.number("send_lag_p99_us") * 1e3;
      if (r.number("sent_per_s") < 0.95 * asked || lagP99 > Math.max(2e6, 1e9 / o.rate())) {
        r.warn(String.format(Locale.ROOT, "senders fell behind the --rate schedule (%.0f of "
            + "%.0f lines/s, p99 lag %.2f ms): the offered load was lower than asked",
            r.number("sent_per_s"), asked, lagP99 / 1e6));
      }
    }
    if (r.has("expected_deliveries") && r.count("deliveries") < r.count("expected_deliveries")) {
      r.warn(String.format(Locale.ROOT, "deliveries stopped %,d short of the expected %,d",
          r.count("expected_deliveries") - r.count("deliveries"), r.count("expected_deliveries")));
    }
    if (timedOut) {
      r.warn("the run hit --max-time; its figures cover only part of it");
    }
    if (probeProblem != null) {
      r.warn("server figures incomplete: " + probeProblem);
    }
  }
}
