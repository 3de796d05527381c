package akkachat.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.List;

/**
 * The bench's own CPU use, so it can tell when it, not the server, is the limit: the busiest
 * selector thread's share of one core and the whole process's share of the machine.
 */
final class SelfCpu {
  /** A thread busier than this may be what holds the figures down. */
  static final double BUSY_THREAD = 0.90;
  /** A process using more of the machine than this leaves too little for a local server. */
  static final double BUSY_MACHINE = 0.50;

  private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
  private final java.lang.management.OperatingSystemMXBean os =
      ManagementFactory.getOperatingSystemMXBean();
  private final List<Thread> watched;

  /** CPU nanoseconds of the process and of each watched thread, at one moment. */
  record Mark(long wall, long process, long[] thread) {}

  SelfCpu(List<Thread> watched) {
    this.watched = List.copyOf(watched);
    if (threads.isThreadCpuTimeSupported() && !threads.isThreadCpuTimeEnabled()) {
      threads.setThreadCpuTimeEnabled(true);
    }
  }

  int cores() {
    return Runtime.getRuntime().availableProcessors();
  }

  Mark mark() {
    long[] t = new long[watched.size()];
    for (int i = 0; i < t.length; i++) {
      t[i] = threads.isThreadCpuTimeSupported()
          ? Math.max(0, threads.getThreadCpuTime(watched.get(i).getId())) : 0;
    }
    long process = os instanceof com.sun.management.OperatingSystemMXBean sun
        ? sun.getProcessCpuTime() : 0;
    return new Mark(System.nanoTime(), process, t);
  }

  /** Cores the whole bench process kept busy between two marks. */
  static double processCores(Mark from, Mark to) {
    return ratio(to.process() - from.process(), to.wall() - from.wall());
  }

  /** The busiest watched thread's share of one core between two marks. */
  static double busiestThread(Mark from, Mark to) {
    double max = 0;
    for (int i = 0; i < from.thread().length; i++) {
      max = Math.max(max, ratio(to.thread()[i] - from.thread()[i], to.wall() - from.wall()));
    }
    return max;
  }

  private static double ratio(long cpu, long wall) {
    return wall <= 0 ? 0 : (double) cpu / wall;
  }
}
