package akkachat.server;

import akka.Done;
import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.japi.Pair;
import akka.stream.Attributes;
import akka.stream.BufferOverflowException;
import akka.stream.javadsl.Keep;
import akka.stream.javadsl.Sink;
import akka.stream.javadsl.Source;
import akka.util.ByteString;
import akkachat.session.Outbound;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

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
 * lines, and failure only for a reader that does not read (or past the hard cap of twice the
 * limit), never for a stream that merely has not run yet.
 */
class OutboundQueueTest {

  static final ActorTestKit testKit = ActorTestKit.create();

  private static final int LIMIT = 4;
  private static final long TIMEOUT_S = 5;
  private static final ByteString BLOCK = ByteString.fromString("block");

  @AfterAll
  static void cleanup() {
    testKit.shutdownTestKit();
  }

  @Test
  void deliversLinesInOrderAndCompletesAfterThemOnClose() throws Exception {
    Pair<Outbound, CompletionStage<List<ByteString>>> run = runToSeq(queue());
    List<ByteString> sent = lines("a", LIMIT);
    sent.forEach(run.first()::send);
    run.first().close();
    assertEquals(bytes(sent), bytes(await(run.second())));
  }

  @Test
  void dropsLinesSentAfterClose() throws Exception {
    Pair<Outbound, CompletionStage<List<ByteString>>> run = runToSeq(queue());
    run.first().send(line("before"));
    run.first().close();
    run.first().send(line("after"));
    assertEquals(List.of(line("before")), await(run.second()));
  }

  @Test
  void rejectsANonPositiveLimit() {
    assertThrows(IllegalArgumentException.class, () -> new OutboundQueue(0));
  }

  @Test
  void failsOnlyOnceMoreThanLimitLinesWaitForAReaderThatDoesNotPull() throws Exception {
    Stalled stalled = runStalled();
    lines("waiting", LIMIT).forEach(stalled.out()::send);
    assertThrows(TimeoutException.class,
        () -> stalled.terminated().toCompletableFuture().get(200, TimeUnit.MILLISECONDS));

    stalled.out().send(line("one too many"));
    assertOverflow(stalled.terminated());
    assertTrue(stalled.passed().isEmpty());
  }

  /** Lines handed over in one piece count as as many lines. */
  @Test
  void countsTheLinesOfAPieceAgainstTheLimit() throws Exception {
    Stalled stalled = runStalled();
    ByteString piece = ByteString.emptyByteString();
    for (ByteString l : lines("held", LIMIT)) {
      piece = piece.concat(l);
    }
    if (stalled.out().sendLater(piece, LIMIT)) {
      stalled.out().wake();
    }
    assertThrows(TimeoutException.class,
        () -> stalled.terminated().toCompletableFuture().get(200, TimeUnit.MILLISECONDS));

    stalled.out().send(line("one too many"));
    assertOverflow(stalled.terminated());
  }

  /** A queue whose reader took one line and pulls no more: it has stopped reading. */
  private record Stalled(Outbound out, CompletionStage<Done> terminated,
      BlockingQueue<ByteString> passed) {}

  private static Stalled runStalled() throws InterruptedException {
    BlockingQueue<ByteString> passed = new LinkedBlockingQueue<>();
    Pair<Pair<Outbound, CompletionStage<Done>>, ?> run = queue()
        .watchTermination(Keep.both())
        .map(l -> tap(passed, l))
        .toMat(Sink.<ByteString>queue().withAttributes(Attributes.inputBuffer(1, 1)), Keep.both())
        .run(testKit.system());
    Outbound out = run.first().first();
    out.send(line("first"));
    // The sink holds the first line and pulls no more.
    assertEquals(line("first"), passed.poll(TIMEOUT_S, TimeUnit.SECONDS));
    return new Stalled(out, run.first().second(), passed);
  }

  @Test
  void keepsUpToTwiceLimitLinesWhileTheStreamIsBusyElsewhere() throws Exception {
    Blocked blocked = runBlocked();
    List<ByteString> sent = lines("burst", 2 * LIMIT);
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
  void failsPastTwiceLimitLinesEvenWhileTheReaderPulls() throws Exception {
    Blocked blocked = runBlocked();
    lines("burst", 2 * LIMIT + 1).forEach(blocked.out()::send);
    blocked.release().countDown();
    assertOverflow(blocked.received());
  }

  /** A running queue whose stream is blocked (see {@link #blockedBehind}) until released. */
  private record Blocked(Outbound out, CompletionStage<List<ByteString>> received,
      CountDownLatch release) {}

  private static Blocked runBlocked() throws InterruptedException {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Pair<Outbound, CompletionStage<List<ByteString>>> run =
        runToSeq(blockedBehind(queue(), entered, release));
    assertTrue(entered.await(TIMEOUT_S, TimeUnit.SECONDS));
    return new Blocked(run.first(), run.second(), release);
  }

  private static Source<ByteString, Outbound> queue() {
    return Source.fromGraph(new OutboundQueue(LIMIT));
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
