package akkachat.server;

import akka.dispatch.AbstractNodeQueue;
import akka.japi.Pair;
import akka.stream.Attributes;
import akka.stream.BufferOverflowException;
import akka.stream.Outlet;
import akka.stream.SourceShape;
import akka.stream.stage.AbstractOutHandler;
import akka.stream.stage.AsyncCallback;
import akka.stream.stage.GraphStageLogic;
import akka.stream.stage.AbstractGraphStageWithMaterializedValue;
import akka.stream.stage.TimerGraphStageLogic;
import akka.util.ByteString;
import akkachat.config.ChatSettings;
import akkachat.ops.Traffic;
import akkachat.session.Outbound;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The source of a connection's outbound lines: a lock-free queue that any actor writes to, and
 * that wakes the stream only when it is waiting for a line (not once per line, as an actor-fed
 * source does). Like Akka's {@code Source.queue(n)}, but it tells a slow reader from a busy
 * server.
 *
 * <p>A client is too slow to read, and the connection fails with a
 * {@link BufferOverflowException}, in two cases:
 * <ul>
 * <li>It does not read, or falls further and further behind. Once more than {@code limit}
 * lines wait, the stream watches it: it notes how many wait, and looks again every
 * {@code timeout}. At a look, if the queue was down to {@code limit} lines or fewer at some
 * moment since the last, the client caught up and the watch ends. Otherwise it fails if it
 * took no line since the last look, or if more lines wait than at the last look and more
 * waited then than at the look before (it fell further behind for two timeouts running).
 * So a client that reads is not cut off for a burst, however much larger than its socket's
 * buffers, unless it falls behind for longer than the timeout.
 * <li>More than {@code maxBytes} wait for it, whatever it does: it fails at once. That bounds
 * its memory, also while the server is too busy to run its stream.
 * </ul>
 * A writer may hand over many lines as one element ({@link Outbound#sendLater(ByteString,
 * int)}): they count as as many lines. Lines are counted out when the stream takes them for
 * the socket, that is when the socket (and the write buffer in front of it) has room.
 */
final class OutboundQueue extends
    AbstractGraphStageWithMaterializedValue<SourceShape<ByteString>, Outbound> {

  private static final int OPEN = 0;
  private static final int CLOSING = 1; // complete after the lines already queued
  private static final int OVERFLOWED = 2;
  private static final int STOPPED = 3;

  /** Lines waiting together are pushed as one element of up to about this many bytes. */
  static final int BATCH_BYTES = 64 * 1024;
  /** The key of the one timer: look again at a client watched as perhaps too slow. */
  private static final String WATCH = "watch";

  private final int limit;
  private final Duration timeout;
  private final long maxBytes;
  private final int batchBytes;
  private final Outlet<ByteString> out = Outlet.create("OutboundQueue.out");
  private final SourceShape<ByteString> shape = SourceShape.of(out);

  OutboundQueue(int limit, Duration timeout, long maxBytes) {
    this(limit, timeout, maxBytes, BATCH_BYTES);
  }

  /**
   * {@code batchBytes}: lines waiting together are pushed as one element of up to about this many
   * bytes; 0: each element as it was handed over (for a transport that frames each line).
   */
  OutboundQueue(int limit, Duration timeout, long maxBytes, int batchBytes) {
    if (limit < 1 || maxBytes < 1 || timeout.isZero() || timeout.isNegative()) {
      throw new IllegalArgumentException(
          "limit, timeout and maxBytes must be positive: " + limit + ", " + timeout + ", "
              + maxBytes);
    }
    this.limit = limit;
    this.timeout = timeout;
    this.maxBytes = maxBytes;
    this.batchBytes = batchBytes;
  }

  @Override
  public SourceShape<ByteString> shape() {
    return shape;
  }

  @Override
  public Pair<GraphStageLogic, Outbound> createLogicAndMaterializedValuePair(
      Attributes attributes) {
    Logic logic = new Logic(attributes.getAttribute(Traffic.Tally.class).orElse(null));
    return Pair.create(logic, logic.writer);
  }

  /** Several lines handed over as one element. */
  private record Lines(ByteString bytes, int count) {}

  private final class Logic extends TimerGraphStageLogic {
    /** {@link ByteString}s of one line each, or {@link Lines}. */
    private final AbstractNodeQueue<Object> queue = new AbstractNodeQueue<Object>() {};
    /** Lines in the queue; writers count theirs in before they add them. */
    private final AtomicInteger queued = new AtomicInteger();
    /** Bytes in the queue, counted like {@link #queued}. */
    private final AtomicLong queuedBytes = new AtomicLong();
    private final AtomicInteger state = new AtomicInteger(OPEN);
    /** Set by the stream when it waits for a line; the writer that clears it wakes the stream. */
    private final AtomicBoolean waiting = new AtomicBoolean();
    /**
     * Set by the writer that finds more than {@code limit} lines queued and has the stream
     * watch the client; cleared by the stream when the watch ends.
     */
    private final AtomicBoolean watched = new AtomicBoolean();
    // The watch, stream only: lines queued when the stream last looked at the client; whether
    // it has taken a line since, and got down to limit or fewer lines; whether more lines waited
    // at that look than at the look before.
    private int mark;
    private boolean took;
    private boolean caughtUp;
    private boolean grew;
    private final AsyncCallback<Boolean> wake = createAsyncCallback(this::onWake);
    private final Outbound writer = new Writer();
    /** Where the lines and bytes taken for the socket are counted; null: not counted. */
    private final Traffic.Tally tally;
    /** Lines in the element being gathered for one push. */
    private int polled;

    Logic(Traffic.Tally tally) {
      super(shape);
      this.tally = tally;
      setHandler(out, new AbstractOutHandler() {
        @Override
        public void onPull() {
          run();
        }
      });
    }

    /** {@code watch}: a writer found more than {@code limit} lines queued. */
    private void onWake(Boolean watch) {
      if (watch) {
        startWatch();
      }
      run();
    }

    private void startWatch() {
      grew = false;
      look();
    }

    /** Notes how many lines wait for the client and looks again after the timeout. */
    private void look() {
      mark = queued.get();
      took = false;
      caughtUp = false;
      scheduleOnce(WATCH, timeout);
    }

    @Override
    public void onTimer(Object key) {
      int now = queued.get();
      if (caughtUp) {
        watched.set(false);
        // A writer may have found more than limit queued before the flag was down: look again.
        if (queued.get() > limit && watched.compareAndSet(false, true)) {
          startWatch();
        }
      } else if (!took) {
        failStage(tooSlow("took none of more than " + limit + " lines waiting for "
            + ChatSettings.describe(timeout)));
      } else if (grew && now > mark) {
        failStage(tooSlow("fell further behind for "
            + ChatSettings.describe(timeout.multipliedBy(2)) + " with more than " + limit
            + " lines waiting"));
      } else {
        grew = now > mark;
        look();
      }
    }

    private void run() {
      int s = state.get();
      if (s == OVERFLOWED) {
        failStage(tooSlow("more than " + maxBytes + " bytes waiting"));
      } else if (isAvailable(out)) {
        ByteString next = poll();
        if (next != null) {
          push(out, gather(next));
        } else if (s == CLOSING) {
          completeStage();
        } else {
          waiting.set(true);
          // A line (or the close) may have come in before the flag was up: look once more.
          if ((!queue.isEmpty() || state.get() != OPEN) && waiting.compareAndSet(true, false)) {
            run();
          }
        }
      }
    }

    /**
     * {@code first} and the lines queued behind it, up to {@code batchBytes}: one push, counted
     * once.
     */
    private ByteString gather(ByteString first) {
      ByteString batch = first;
      ByteString more;
      while (batch.size() < batchBytes && (more = poll()) != null) {
        batch = batch.concat(more);
      }
      if (tally != null) {
        tally.delivered(polled, batch.size());
      }
      polled = 0;
      return batch;
    }

    /** The next element's bytes, its lines counted out; null if none. */
    private ByteString poll() {
      Object next = queue.poll();
      ByteString bytes;
      int left;
      if (next instanceof ByteString line) {
        bytes = line;
        left = queued.decrementAndGet();
        polled++;
      } else if (next instanceof Lines lines) {
        bytes = lines.bytes();
        left = queued.addAndGet(-lines.count());
        polled += lines.count();
      } else {
        return null;
      }
      queuedBytes.addAndGet(-bytes.size());
      took = true;
      if (left <= limit) {
        caughtUp = true;
      }
      return bytes;
    }

    private BufferOverflowException tooSlow(String why) {
      state.set(STOPPED);
      return new BufferOverflowException(why);
    }

    @Override
    public void postStop() {
      state.set(STOPPED);
      while (poll() != null) {
        // let the lines go
      }
    }

    private final class Writer implements Outbound {
      @Override
      public void send(ByteString line) {
        if (sendLater(line, 1)) {
          wake();
        }
      }

      @Override
      public boolean sendLater(ByteString lines, int count) {
        if (state.get() != OPEN) {
          return false;
        }
        if (queuedBytes.addAndGet(lines.size()) > maxBytes) {
          queuedBytes.addAndGet(-lines.size());
          if (state.compareAndSet(OPEN, OVERFLOWED)) {
            wake.invoke(false);
          }
          return false;
        }
        int n = queued.addAndGet(count);
        queue.add(count == 1 ? lines : new Lines(lines, count));
        boolean asleep = waiting.get() && waiting.compareAndSet(true, false);
        if (n > limit && !watched.get() && watched.compareAndSet(false, true)) {
          wake.invoke(true); // wakes the stream too, if it was asleep
          return false;
        }
        return asleep;
      }

      @Override
      public void wake() {
        wake.invoke(false);
      }

      @Override
      public void close() {
        if (state.compareAndSet(OPEN, CLOSING)) {
          wake.invoke(false);
        }
      }
    }
  }
}
