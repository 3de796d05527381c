package akkachat.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The server seen from outside, on Linux: resident memory from /proc/PID/status, CPU time from
 * /proc/PID/stat, and on request its live heap, measured with jcmd after a full GC. Several
 * processes (the nodes of a local cluster) are summed.
 */
final class ServerProbe {
  /** Linux reports utime and stime in USER_HZ ticks, 100 per second on every common platform. */
  private static final double TICKS_PER_SECOND = 100.0;
  private static final Pattern HEAP_USED = Pattern.compile("total \\d+K, used (\\d+)K");

  /** One look at the processes; -1 for what could not be read. */
  record Sample(long rssKb, double cpuSeconds, long heapKb) {}

  private final List<Long> pids;
  private final boolean heap;
  private String problem;

  ServerProbe(List<Long> pids, boolean heap) {
    this.pids = List.copyOf(pids);
    this.heap = heap;
  }

  /** Why a figure is missing, if one is. */
  String problem() {
    return problem;
  }

  /** {@code withHeap}: also the heap, if asked for on the command line (forces a full GC). */
  Sample sample(boolean withHeap) {
    long rss = 0;
    double cpu = 0;
    long used = heap && withHeap ? 0 : -1;
    for (long pid : pids) {
      long r = rssKb(pid);
      double c = cpuSeconds(pid);
      rss = r < 0 || rss < 0 ? -1 : rss + r;
      cpu = c < 0 || cpu < 0 ? -1 : cpu + c;
      if (used >= 0) {
        long h = heapKb(pid);
        used = h < 0 ? -1 : used + h;
      }
    }
    return new Sample(rss, cpu, used);
  }

  private long rssKb(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
      problem = "process " + pid + " has exited (no VmRSS in /proc/" + pid + "/status)";
    } catch (IOException | NumberFormatException e) {
      problem = "cannot read /proc/" + pid + "/status: " + e;
    }
    return -1;
  }

  private double cpuSeconds(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      // The command name in parentheses may hold spaces; utime and stime are fields 14 and 15.
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
      return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS_PER_SECOND;
    } catch (IOException | RuntimeException e) {
      problem = "cannot read /proc/" + pid + "/stat: " + e;
      return -1;
    }
  }

  private long heapKb(long pid) {
    String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
    try {
      jcmd(jcmd, pid, "GC.run");
      Matcher m = HEAP_USED.matcher(jcmd(jcmd, pid, "GC.heap_info"));
      long used = -1;
      while (m.find()) {
        used = Math.max(0, used) + Long.parseLong(m.group(1));
      }
      if (used < 0) {
        problem = "jcmd " + pid + " GC.heap_info printed no heap figure";
      }
      return used;
    } catch (IOException e) {
      problem = "jcmd failed: " + e.getMessage();
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  private static String jcmd(String jcmd, long pid, String command)
      throws IOException, InterruptedException {
    Process p = new ProcessBuilder(jcmd, Long.toString(pid), command).redirectErrorStream(true)
        .start();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException("jcmd " + command + " did not finish in 60 s");
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.exitValue() != 0) {
      throw new IOException("jcmd " + command + ": " + out.strip());
    }
    return out;
  }
}
