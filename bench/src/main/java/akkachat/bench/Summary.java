package akkachat.bench;

import java.util.List;
import java.util.Locale;
import java.util.function.IntPredicate;

/**
 * Turns what the selector threads recorded into the figures of a {@link Report}, once they have
 * ended: totals, percentiles, and lost lines counted per receiver per sender, only for receivers
 * and senders that were in their room for the whole run.
 */
final class Summary {
  private final Plan plan;
  private final Control control;
  private final List<IoLoop> loops;

  long start;
  long runEnd;
  int[] readers;
  ServerProbe.Sample before;
  ServerProbe.Sample loggedIn;
  ServerProbe.Sample after;
  String probeProblem;
  SelfCpu.Mark cpuStart;
  SelfCpu.Mark cpuEnd;

  Summary(Plan plan, Control control, List<IoLoop> loops) {
    this.plan = plan;
    this.control = control;
    this.loops = loops;
  }

  /**
   * Deliveries due for what has been sent so far: each line once to every reader of its room,
   * given per room; where the server does not echo, not to its sender if that reads.
   */
  private long due(int[] readersPerRoom, IntPredicate senderReads) {
    long total = 0;
    for (int s = 0; s < plan.senders; s++) {
      int readers = readersPerRoom[plan.roomOf(s)] - (!plan.echoes && senderReads.test(s) ? 1 : 0);
      total += control.sent.get(s) * readers;
    }
    return total;
  }

  /** Deliveries due to the readers still connected, for what has been sent so far. */
  long stillExpected() {
    int[] connected = new int[plan.rooms];
    for (IoLoop l : loops) {
      for (int r = 0; r < plan.rooms; r++) {
        connected[r] += l.connectedReaders.get(r);
      }
    }
    return due(connected, s -> control.senderReads.get(s) == 1);
  }

  Report report(Options o, int cores, boolean timedOut) {
    Report r = new Report();
    LoopStats t = total();
    r.put("scenario", scenario(o));
    r.put("clients", (long) o.clients());
    r.put("rooms", (long) o.rooms());
    r.put("senders", (long) o.senders());
    r.put("connected", t.connected);
    r.put("logged_in", t.loggedIn);
    r.put("login_failed", t.failed);
    double loginSeconds = t.loggedIn == 0 ? 0 : (t.lastLogin - start) / 1e9;
    r.put("login_s", loginSeconds);
    r.put("logins_per_s", loginSeconds > 0 ? t.loggedIn / loginSeconds : 0.0);
    r.put("login_p50_us", t.login.percentile(50) / 1e3);
    r.put("login_p99_us", t.login.percentile(99) / 1e3);
    r.put("login_max_us", t.login.max() / 1e3);
    long runStart = control.runStart;
    if (o.holdIdle()) {
      r.put("run_s", (runEnd - runStart) / 1e9);
    } else {
      addTraffic(r, o, t, runStart);
    }
    long sendersGone = 0;
    for (IoLoop l : loops) {
      for (Client c : l.clients) {
        sendersGone += c.sender && c.closedInRun ? 1 : 0;
      }
    }
    r.put("disconnected", t.disconnected);
    r.put("senders_disconnected", sendersGone);
    r.put("non_readers_closed", t.nonReadersClosed);
    r.put("error_lines", t.errorLines);
    r.put("other_lines", t.otherLines);
    addServer(r, t.loggedIn);
    double benchCores = SelfCpu.processCores(cpuStart, cpuEnd);
    double busiest = SelfCpu.busiestThread(cpuStart, cpuEnd);
    r.put("bench_cores", benchCores);
    r.put("bench_busiest_thread", busiest);
    r.put("machine_cores", (long) cores);
    Warnings.add(r, o, t, benchCores, busiest, cores, timedOut, probeProblem);
    return r;
  }

  private void addTraffic(Report r, Options o, LoopStats t, long runStart) {
    long sent = 0;
    for (int s = 0; s < plan.senders; s++) {
      sent += control.sent.get(s);
    }
    double sendSeconds = sent == 0 ? 0 : (t.lastSend - runStart) / 1e9;
    double runSeconds = t.delivered == 0 ? 0 : (t.lastDelivery - runStart) / 1e9;
    r.put("sent", sent);
    r.put("send_s", sendSeconds);
    r.put("sent_per_s", sendSeconds > 0 ? sent / sendSeconds : 0.0);
    boolean[] wholeRun = new boolean[plan.senders];
    boolean[] readAtStart = new boolean[plan.senders];
    for (IoLoop l : loops) {
      for (Client c : l.clients) {
        if (c.sender) {
          wholeRun[c.index] = c.readyAtStart && !c.closedInRun;
          readAtStart[c.index] = c.readyAtStart && !c.nonReader;
        }
      }
    }
    r.put("deliveries", t.delivered);
    r.put("expected_deliveries", due(readers, s -> readAtStart[s]));
    r.put("run_s", runSeconds);
    r.put("deliveries_per_s", runSeconds > 0 ? t.delivered / runSeconds : 0.0);
    r.put("latency_p50_us", t.latency.percentile(50) / 1e3);
    r.put("latency_p99_us", t.latency.percentile(99) / 1e3);
    r.put("latency_p999_us", t.latency.percentile(99.9) / 1e3);
    r.put("latency_max_us", t.latency.max() / 1e3);
    r.put("latency_mean_us", t.latency.mean() / 1e3);
    if (o.rate() > 0) {
      r.put("send_lag_p99_us", t.sendLag.percentile(99) / 1e3);
      r.put("send_lag_max_us", t.sendLag.max() / 1e3);
    }
    long lost = 0;
    long outOfOrder = 0;
    long duplicates = 0;
    long beyond = 0;
    for (IoLoop l : loops) {
      for (Client c : l.clients) {
        if (c.tracker == null) {
          continue;
        }
        outOfOrder += c.tracker.outOfOrder();
        duplicates += c.tracker.duplicates();
        for (int j = 0; j < c.tracker.senders(); j++) {
          int s = plan.senderAt(c.room, j);
          long sentByS = control.sent.get(s);
          beyond += c.tracker.beyond(j, sentByS);
          if (!c.closedInRun && wholeRun[s] && (plan.echoes || s != c.index)) {
            lost += c.tracker.lost(j, sentByS);
          }
        }
      }
    }
    r.put("lost", lost);
    r.put("out_of_order", outOfOrder);
    r.put("duplicates", duplicates);
    r.put("corrupt", t.corrupt + beyond);
  }

  private void addServer(Report r, long connections) {
    if (before == null) {
      return;
    }
    r.put("server_rss_kb_before", before.rssKb());
    r.put("server_rss_kb_logged_in", loggedIn.rssKb());
    r.put("server_rss_kb_after", after.rssKb());
    if (connections > 0 && before.rssKb() >= 0 && loggedIn.rssKb() >= 0) {
      r.put("server_rss_bytes_per_conn", (loggedIn.rssKb() - before.rssKb()) * 1024 / connections);
    }
    r.put("server_cpu_s_login", loggedIn.cpuSeconds() - before.cpuSeconds());
    r.put("server_cpu_s_run", after.cpuSeconds() - loggedIn.cpuSeconds());
    double wall = (runEnd - control.runStart) / 1e9;
    r.put("server_cores_run", wall > 0 ? (after.cpuSeconds() - loggedIn.cpuSeconds()) / wall : 0.0);
    if (before.heapKb() >= 0 && after.heapKb() >= 0) {
      r.put("server_heap_kb_before", before.heapKb());
      r.put("server_heap_kb_after", after.heapKb());
      if (connections > 0) {
        r.put("server_heap_bytes_per_conn", (after.heapKb() - before.heapKb()) * 1024 / connections);
      }
    }
  }

  private LoopStats total() {
    LoopStats t = new LoopStats();
    for (IoLoop l : loops) {
      LoopStats s = l.stats;
      t.latency.add(s.latency);
      t.login.add(s.login);
      t.sendLag.add(s.sendLag);
      t.connected += s.connected;
      t.loggedIn += s.loggedIn;
      t.failed += s.failed;
      t.disconnected += s.disconnected;
      t.delivered += s.delivered;
      t.sent += s.sent;
      t.otherLines += s.otherLines;
      t.corrupt += s.corrupt;
      t.errorLines += s.errorLines;
      t.nonReadersClosed += s.nonReadersClosed;
      t.lastLogin = later(t.lastLogin, s.lastLogin);
      t.lastSend = later(t.lastSend, s.lastSend);
      t.lastDelivery = later(t.lastDelivery, s.lastDelivery);
      t.firstFailure = t.firstFailure != null ? t.firstFailure : s.firstFailure;
      t.firstDisconnect = t.firstDisconnect != null ? t.firstDisconnect : s.firstDisconnect;
      t.firstError = t.firstError != null ? t.firstError : s.firstError;
    }
    return t;
  }

  /** The later of two nanoTime stamps, 0 meaning never. */
  private static long later(long a, long b) {
    if (a == 0) {
      return b;
    }
    return b == 0 || a - b >= 0 ? a : b;
  }

  private static String scenario(Options o) {
    String load = o.holdIdle()
        ? String.format(Locale.ROOT, "held idle for %.0f s", o.duration())
        : String.format(Locale.ROOT, "%d senders, %s, %s, window %d", o.senders(),
            o.duration() > 0 ? String.format(Locale.ROOT, "for %.0f s", o.duration())
                : o.lines() + " lines each",
            o.rate() > 0 ? String.format(Locale.ROOT, "%.0f lines/s each", o.rate())
                : "as fast as possible", o.window());
    return String.format(Locale.ROOT, "%d clients in %d room%s, %s%s, %s:%s%s, %d thread%s",
        o.clients(), o.rooms(), o.rooms() == 1 ? "" : "s", load,
        o.nonReaders() > 0 ? ", " + o.nonReaders() + " non-readers" : "", o.host(),
        o.ports().stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(",")),
        (o.protocol().equals("akka") ? "" : " (" + o.protocol() + ")")
            + (o.websocket() ? " over WebSocket " + o.path() : ""),
        o.threads(), o.threads() == 1 ? "" : "s");
  }
}
