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
import akka.util.ByteString;
import akkachat.session.Outbound;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The source of a connection's outbound lines: a lock-free queue that any actor writes to, and
 * that wakes the stream only when it is waiting for a line (not once per line, as an actor-fed
 * source does). Like Akka's {@code Source.queue(n)}, but it tells a slow reader from a busy
 * server.
 *
 * <p>A reader is too slow when more than {@code limit} lines wait while the stream is not
 * asking for more, that is while its socket, and the write buffer in front of it, are full: the
 * connection then fails with a {@link BufferOverflowException}. Lines that pile up only because
 * the server has not yet run this stream do not count against the client; to bound memory even
 * then, the queue holds at most twice {@code limit}. A writer may hand over many lines as one
 * element ({@link Outbound#sendLater(ByteString, int)}): they count as as many lines.
 */
final class OutboundQueue extends
    AbstractGraphStageWithMaterializedValue<SourceShape<ByteString>, Outbound> {

  private static final int OPEN = 0;
  private static final int CLOSING = 1; // complete after the lines already queued
  private static final int OVERFLOWED = 2;
  private static final int STOPPED = 3;

  /** Lines waiting together are pushed as one element of up to about this many bytes. */
  private static final int BATCH_BYTES = 64 * 1024;

  private final int limit;
  private final Outlet<ByteString> out = Outlet.create("OutboundQueue.out");
  private final SourceShape<ByteString> shape = SourceShape.of(out);

  OutboundQueue(int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be positive: " + limit);
    }
    this.limit = limit;
  }

  @Override
  public SourceShape<ByteString> shape() {
    return shape;
  }

  @Override
  public Pair<GraphStageLogic, Outbound> createLogicAndMaterializedValuePair(
      Attributes attributes) {
    Logic logic = new Logic();
    return Pair.create(logic, logic.writer);
  }

  /** Several lines handed over as one element. */
  private record Lines(ByteString bytes, int count) {}

  private final class Logic extends GraphStageLogic {
    /** {@link ByteString}s of one line each, or {@link Lines}. */
    private final AbstractNodeQueue<Object> queue = new AbstractNodeQueue<Object>() {};
    /** Lines in the queue; writers count theirs in before they add them. */
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicInteger state = new AtomicInteger(OPEN);
    /** Set by the stream when it waits for a line; the writer that clears it wakes the stream. */
    private final AtomicBoolean waiting = new AtomicBoolean();
    /** Set by a writer that found more than {@code limit} lines queued, until the stream looks. */
    private final AtomicBoolean checkAsked = new AtomicBoolean();
    private final AsyncCallback<Boolean> wake = createAsyncCallback(this::onWake);
    private final Outbound writer = new Writer();

    Logic() {
      super(shape);
      setHandler(out, new AbstractOutHandler() {
        @Override
        public void onPull() {
          run();
        }
      });
    }

    /** {@code check}: a writer asks whether the client is too slow. */
    private void onWake(Boolean check) {
      if (check) {
        checkAsked.set(false);
      }
      run();
    }

    private void run() {
      int s = state.get();
      if (s == OVERFLOWED) {
        failStage(overflow());
      } else if (!isAvailable(out)) {
        if (queued.get() > limit) {
          failStage(overflow());
        }
      } else {
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

    /** {@code first} and the lines queued behind it, up to {@link #BATCH_BYTES}: one push. */
    private ByteString gather(ByteString first) {
      ByteString batch = first;
      ByteString more;
      while (batch.size() < BATCH_BYTES && (more = poll()) != null) {
        batch = batch.concat(more);
      }
      return batch;
    }

    /** The next element's bytes, its lines counted out; null if none. */
    private ByteString poll() {
      Object next = queue.poll();
      if (next instanceof ByteString line) {
        queued.decrementAndGet();
        return line;
      } else if (next instanceof Lines lines) {
        queued.addAndGet(-lines.count());
        return lines.bytes();
      }
      return null;
    }

    private BufferOverflowException overflow() {
      state.set(STOPPED);
      return new BufferOverflowException(
          "more than " + limit + " lines waiting for a client that does not read");
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
        int n = queued.addAndGet(count);
        if (n > 2 * limit) {
          queued.addAndGet(-count);
          if (state.compareAndSet(OPEN, OVERFLOWED)) {
            wake.invoke(false);
          }
          return false;
        }
        queue.add(count == 1 ? lines : new Lines(lines, count));
        if (waiting.get() && waiting.compareAndSet(true, false)) {
          return true;
        } else if (n > limit && checkAsked.compareAndSet(false, true)) {
          wake.invoke(true);
        }
        return false;
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
