package akkachat.ops;

import akka.stream.Attributes;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The counts of the busiest events of a node, lines read from clients and lines and bytes
 * written to them, kept so that counting costs the delivery path no shared write: each
 * connection has its own {@link Tally}, whose every field has one writer (the stream stage that
 * sees those events), and the node's totals are summed only when metrics are scraped. This is
 * akka-chat's one class of state shared across threads for speed (issue 19: no lock or shared
 * counter touched per delivered line on two threads at once).
 *
 * <p>Totals never go down between scrapes, as Prometheus counters must not: a scrape reads the
 * closed connections' sum first and the open ones after, and a closing connection leaves the
 * open set before its counts join the closed sum. A scrape in between misses it once; none
 * counts it twice.
 */
public final class Traffic {

  /**
   * One connection's counts. Given to its stream as an attribute; each stage writes only its own
   * fields, with opaque stores (a plain store on common hardware) that a scrape reads whole.
   */
  public static final class Tally implements Attributes.Attribute {
    private static final VarHandle RECEIVED;
    private static final VarHandle DELIVERED;
    private static final VarHandle WRITTEN;

    static {
      try {
        MethodHandles.Lookup lookup = MethodHandles.lookup();
        RECEIVED = lookup.findVarHandle(Tally.class, "received", long.class);
        DELIVERED = lookup.findVarHandle(Tally.class, "delivered", long.class);
        WRITTEN = lookup.findVarHandle(Tally.class, "written", long.class);
      } catch (ReflectiveOperationException e) {
        throw new ExceptionInInitializerError(e);
      }
    }

    private long received;
    private long delivered;
    private long written;

    /** A line read from the client; called by the stage that decodes its lines only. */
    public void received() {
      RECEIVED.setOpaque(this, received + 1);
    }

    /** {@code lines} lines of {@code bytes} bytes taken for the socket; by the outbound stage. */
    public void delivered(int lines, int bytes) {
      DELIVERED.setOpaque(this, delivered + lines);
      WRITTEN.setOpaque(this, written + bytes);
    }

    long receivedNow() {
      return (long) RECEIVED.getOpaque(this);
    }

    long deliveredNow() {
      return (long) DELIVERED.getOpaque(this);
    }

    long writtenNow() {
      return (long) WRITTEN.getOpaque(this);
    }
  }

  private final Set<Tally> open = ConcurrentHashMap.newKeySet();
  private final LongAdder closedReceived = new LongAdder();
  private final LongAdder closedDelivered = new LongAdder();
  private final LongAdder closedWritten = new LongAdder();

  /** A tally for a new connection, counted from now on. */
  public Tally open() {
    Tally tally = new Tally();
    open.add(tally);
    return tally;
  }

  /** The connection's stream has ended: its counts move to the closed sum. */
  public void close(Tally tally) {
    if (open.remove(tally)) {
      closedReceived.add(tally.receivedNow());
      closedDelivered.add(tally.deliveredNow());
      closedWritten.add(tally.writtenNow());
    }
  }

  long received() {
    long sum = closedReceived.sum();
    for (Tally t : open) {
      sum += t.receivedNow();
    }
    return sum;
  }

  long delivered() {
    long sum = closedDelivered.sum();
    for (Tally t : open) {
      sum += t.deliveredNow();
    }
    return sum;
  }

  long written() {
    long sum = closedWritten.sum();
    for (Tally t : open) {
      sum += t.writtenNow();
    }
    return sum;
  }
}
