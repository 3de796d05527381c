package akkachat.support;

import java.lang.management.ManagementFactory;

/** The heap of this JVM, where an in-test server lives too. */
public final class Heap {
  private Heap() {}

  /** Bytes of heap in use after full collections: what is still reachable. */
  public static long usedAfterGc() {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }
}
