package akkachat.server;

import com.sun.management.UnixOperatingSystemMXBean;
import org.slf4j.Logger;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;

/**
 * How many client connections fit in the process's open-file limit ({@code ulimit -n}). Past
 * that limit the kernel refuses to accept a connection and Akka's listener tries again at once,
 * logging an error each time: the client waits unanswered, the node spins and its log fills.
 * With {@code max-connections} below the limit such a client gets the "server is full" line.
 */
final class FileLimit {
  /**
   * Files kept free besides the client connections (at least this many, or 1 in 20 of the
   * limit): the cluster's connections, log files, connections being refused.
   */
  static final long MIN_RESERVE = 64;

  private FileLimit() {}

  /**
   * {@code configured}, or fewer if a process that may open {@code maxFiles} files and has
   * {@code openNow} open has room for fewer; at least 1.
   */
  static int connections(int configured, long maxFiles, long openNow) {
    long room = maxFiles - openNow - Math.max(MIN_RESERVE, maxFiles / 20);
    return (int) Math.max(1, Math.min(configured, room));
  }

  /** The same for this process (where the JVM can tell); says so in the log if it is fewer. */
  static int connections(int configured, Logger log) {
    OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    if (!(os instanceof UnixOperatingSystemMXBean unix)) {
      return configured;
    }
    long maxFiles = unix.getMaxFileDescriptorCount();
    int allowed = connections(configured, maxFiles, unix.getOpenFileDescriptorCount());
    if (allowed < configured) {
      log.warn("max-connections {} does not fit in this process's limit of {} open files: "
          + "at most {} connections (raise the limit with ulimit -n)", configured, maxFiles,
          allowed);
    }
    return allowed;
  }
}
