package akkachat.server;

import akka.Done;
import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.japi.Pair;
import akka.stream.Attributes;
import akka.stream.BufferOverflowException;
import akka.stream.javadsl.Keep;
import akka.stream.javadsl.Sink;
import akka.stream.javadsl.SinkQueueWithCancel;
import akka.stream.javadsl.Source;
import akka.util.ByteString;
import akkachat.session.Outbound;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The outbound queue of a connection, run in memory: lines in order, close after the queued
 * lines, and failure only for a reader that does not take its lines (or falls further behind)
 * for the timeout while more than the limit wait, or past the cap in bytes, never for a reader
 * that takes lines or a stream that merely has not run yet.
 */
class OutboundQueueTest {

  static final ActorTestKit testKit = ActorTestKit.create();

  private static final int LIMIT = 4;
  private static final long TIMEOUT_S = 20;
  private static final long NO_CAP = 64L * 1024 * 1024;
  private static final Duration NEVER = Duration.ofHours(1);
  private static final ByteString BLOCK = ByteString.fromString("block");
  /** A line as long as one push: a reader takes such lines one at a time. */
  private static final ByteString BIG = ByteString.fromString("b".repeat(64 * 1024 - 1) + "\n");

  @AfterAll
  static void cleanup() {
    testKit.shutdownTestKit();
  }

  @Test
  void deliversLinesInOrderAndCompletesAfterThemOnClose() throws Exception {
    Pair<Outbound, CompletionStage<List<ByteString>>> run = runToSeq(queue(NEVER, NO_CAP));
    List<ByteString> sent = lines("a", LIMIT);
    sent.forEach(run.first()::send);
    run.first().close();
    assertEquals(bytes(sent), bytes(await(run.second())));
  }

  @Test
  void dropsLinesSentAfterClose() throws Exception {
    Pair<Outbound, CompletionStage<List<ByteString>>> run = runToSeq(queue(NEVER, NO_CAP));
    run.first().send(line("before"));
    run.first().close();
    run.first().send(line("after"));
    assertEquals(List.of(line("before")), await(run.second()));
  }

  @Test
  void rejectsNonPositiveSettings() {
    assertThrows(IllegalArgumentException.class,
        () -> new OutboundQueue(0, NEVER, NO_CAP));
    assertThrows(IllegalArgumentException.class,
        () -> new OutboundQueue(LIMIT, Duration.ZERO, NO_CAP));
    assertThrows(IllegalArgumentException.class,
        () -> new OutboundQueue(LIMIT, NEVER, 0));
  }

  @Test
  void failsAReaderThatTakesNothingForTheTimeoutWhileMoreThanLimitLinesWait() throws Exception {
    Duration timeout = Duration.ofSeconds(1);
    Stalled stalled = runStalled(queue(timeout, NO_CAP));
    lines("waiting", LIMIT).forEach(stalled.out()::send);
    assertRunning(stalled.terminated(), timeout.plusMillis(500));

    long overAt = System.nanoTime();
    stalled.out().send(line("one too many"));
    assertOverflow(stalled.terminated());
    assertAtLeast(timeout, overAt);
    assertTrue(stalled.passed().isEmpty());
  }

  @Test
  void keepsAReaderThatTakesLinesWhileMoreThanLimitLinesWait() throws Exception {
    Duration timeout = Duration.ofMillis(1500);
    int takes = 16; // every 200 ms: two windows and more
    Stalled stalled = runStalled(queue(timeout, NO_CAP));
    for (int i = 0; i < LIMIT + takes + 3; i++) {
      stalled.out().send(BIG);
    }
    for (int i = 0; i < takes; i++) {
      assertRunning(stalled.terminated(), Duration.ofMillis(200));
      take(stalled);
    }
    // Still more than the limit wait: once it stops taking them, it is too slow.
    assertOverflow(stalled.terminated());
  }

  @Test
  void failsAReaderThatTakesLinesButFallsFurtherBehind() throws Exception {
    Stalled stalled = runStalled(queue(Duration.ofMillis(500), NO_CAP));
    for (int i = 0; i < LIMIT + 3; i++) {
      stalled.out().send(BIG);
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_S);
    while (!stalled.terminated().toCompletableFuture().isDone()
        && System.nanoTime() < deadline) {
      stalled.out().send(BIG);
      stalled.out().send(BIG);
      take(stalled);
      waitForEnd(stalled.terminated(), Duration.ofMillis(50));
    }
    assertOverflow(stalled.terminated());
  }

  /** Got down to the limit once: the watch ends, and a new one starts from the next crowd. */
  @Test
  void watchesAReaderThatCaughtUpAfresh() throws Exception {
    Duration timeout = Duration.ofSeconds(2);
    Stalled stalled = runStalled(queue(timeout, NO_CAP));
    long overAt = System.nanoTime();
    for (int i = 0; i < LIMIT + 2; i++) {
      stalled.out().send(BIG);
    }
    for (int i = 0; i < 3; i++) {
      take(stalled);
    }
    // More than before, but the reader caught up in between: not judged by the first watch.
    for (int i = 0; i < 2 * LIMIT; i++) {
      stalled.out().send(BIG);
    }
    assertOverflow(stalled.terminated());
    assertAtLeast(timeout.multipliedBy(2), overAt);
  }

  /** Lines handed over in one piece count as as many lines. */
  @Test
  void countsTheLinesOfAPieceAgainstTheLimit() throws Exception {
    Duration timeout = Duration.ofMillis(500);
    Stalled stalled = runStalled(queue(timeout, NO_CAP));
    if (stalled.out().sendLater(bytes(lines("held", LIMIT)), LIMIT)) {
      stalled.out().wake();
    }
    assertRunning(stalled.terminated(), timeout.multipliedBy(2));

    stalled.out().send(line("one too many"));
    assertOverflow(stalled.terminated());
  }

  @Test
  void failsAtOnceWhenMoreThanMaxBytesWait() throws Exception {
    ByteString kilo = ByteString.fromString("k".repeat(999) + "\n");
    Stalled stalled = runStalled(queue(NEVER, 10 * kilo.size()));
    for (int i = 0; i < 10; i++) {
      stalled.out().send(kilo);
    }
    assertRunning(stalled.terminated(), Duration.ofMillis(300));

    stalled.out().send(line("x"));
    assertOverflow(stalled.terminated());
  }

  /** A queue whose reader took one line and takes more only when the test does. */
  private record Stalled(Outbound out, CompletionStage<Done> terminated,
      SinkQueueWithCancel<ByteString> reader, BlockingQueue<ByteString> passed) {}

  private static Stalled runStalled(Source<ByteString, Outbound> queue)
      throws InterruptedException {
    BlockingQueue<ByteString> passed = new LinkedBlockingQueue<>();
    Pair<Pair<Outbound, CompletionStage<Done>>, SinkQueueWithCancel<ByteString>> run = queue
        .watchTermination(Keep.both())
        .map(l -> tap(passed, l))
        .toMat(Sink.<ByteString>queue().withAttributes(Attributes.inputBuffer(1, 1)), Keep.both())
        .run(testKit.system());
    Outbound out = run.first().first();
    out.send(line("first"));
    // The sink holds the first line and pulls no more.
    assertEquals(line("first"), passed.poll(TIMEOUT_S, TimeUnit.SECONDS));
    return new Stalled(out, run.first().second(), run.second(), passed);
  }

  /**
   * The reader takes the line its sink holds, and so lets the queue hand over one more; returns
   * once it has, or once the stream has ended (which the test then checks).
   */
  private static void take(Stalled stalled) throws Exception {
    stalled.passed().clear();
    try {
      await(stalled.reader().pull());
    } catch (ExecutionException e) {
      return;
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_S);
    while (stalled.passed().poll(50, TimeUnit.MILLISECONDS) == null
        && !stalled.terminated().toCompletableFuture().isDone()) {
      assertTrue(System.nanoTime() < deadline, "the queue handed over no next line");
    }
  }

  @Test
  void keepsManyMoreThanLimitLinesWhileTheStreamIsBusyElsewhere() throws Exception {
    Blocked blocked = runBlocked(queue(Duration.ofMillis(100), NO_CAP));
    List<ByteString> sent = lines("burst", 10 * LIMIT);
    sent.forEach(blocked.out()::send);
    blocked.release().countDown();
    blocked.out().close();

    List<ByteString> expected = new ArrayList<>(List.of(BLOCK));
    expected.addAll(sent);
    List<ByteString> received = await(blocked.received());
    assertEquals(bytes(expected), bytes(received));
    // The lines that waited together went on as one element, not one each.
    assertEquals(List.of(BLOCK, bytes(sent)), received);
  }

  /** All of {@code lines}, one after the other. */
  private static ByteString bytes(List<ByteString> lines) {
    ByteString all = ByteString.emptyByteString();
    for (ByteString l : lines) {
      all = all.concat(l);
    }
    return all;
  }

  @Test
  void failsPastMaxBytesEvenWhileTheStreamIsBusyElsewhere() throws Exception {
    List<ByteString> sent = lines("burst", 10);
    Blocked blocked = runBlocked(queue(NEVER, bytes(sent).size() - 1));
    sent.forEach(blocked.out()::send);
    blocked.release().countDown();
    assertOverflow(blocked.received());
  }

  /** A running queue whose stream is blocked (see {@link #blockedBehind}) until released. */
  private record Blocked(Outbound out, CompletionStage<List<ByteString>> received,
      CountDownLatch release) {}

  private static Blocked runBlocked(Source<ByteString, Outbound> queue)
      throws InterruptedException {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Pair<Outbound, CompletionStage<List<ByteString>>> run =
        runToSeq(blockedBehind(queue, entered, release));
    assertTrue(entered.await(TIMEOUT_S, TimeUnit.SECONDS));
    return new Blocked(run.first(), run.second(), release);
  }

  private static Source<ByteString, Outbound> queue(Duration timeout, long maxBytes) {
    return Source.fromGraph(new OutboundQueue(LIMIT, timeout, maxBytes));
  }

  /**
   * The queue merged with one other element whose processing blocks the stream until
   * {@code release}: meanwhile the merge has asked the queue for a line, but the stream cannot
   * run to take it, as when the server is busy.
   */
  private static Source<ByteString, Outbound> blockedBehind(Source<ByteString, Outbound> queue,
      CountDownLatch entered, CountDownLatch release) {
    return queue.merge(Source.single(BLOCK)).map(l -> {
      if (l == BLOCK) {
        entered.countDown();
        release.await(TIMEOUT_S, TimeUnit.SECONDS);
      }
      return l;
    });
  }

  private static Pair<Outbound, CompletionStage<List<ByteString>>> runToSeq(
      Source<ByteString, Outbound> source) {
    return source.toMat(Sink.seq(), Keep.both()).run(testKit.system());
  }

  private static ByteString tap(BlockingQueue<ByteString> passed, ByteString line) {
    passed.add(line);
    return line;
  }

  private static <T> T await(CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(TIMEOUT_S, TimeUnit.SECONDS);
  }

  /** {@code stage} has not ended within {@code time}. */
  private static void assertRunning(CompletionStage<?> stage, Duration time) {
    assertThrows(TimeoutException.class,
        () -> stage.toCompletableFuture().get(time.toMillis(), TimeUnit.MILLISECONDS));
  }

  /** Waits up to {@code time} for {@code stage} to end, however it ends. */
  private static void waitForEnd(CompletionStage<?> stage, Duration time) throws Exception {
    try {
      stage.toCompletableFuture().get(time.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException | ExecutionException e) {
      // still running, or ended with a failure that the test checks next
    }
  }

  /** At least {@code time} has passed since {@code since} (System.nanoTime). */
  private static void assertAtLeast(Duration time, long since) {
    long passed = System.nanoTime() - since;
    assertTrue(passed >= time.toNanos(),
        "ended after " + passed / 1_000_000 + " ms, before " + time.toMillis() + " ms");
  }

  private static void assertOverflow(CompletionStage<?> stage) {
    ExecutionException e = assertThrows(ExecutionException.class, () -> await(stage));
    assertInstanceOf(BufferOverflowException.class, e.getCause());
  }

  private static ByteString line(String text) {
    return ByteString.fromString(text + "\n");
  }

  private static List<ByteString> lines(String prefix, int n) {
    List<ByteString> lines = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      lines.add(line(prefix + " " + i));
    }
    return lines;
  }
}
