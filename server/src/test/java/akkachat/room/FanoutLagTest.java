package akkachat.room;

import akka.actor.testkit.typed.javadsl.TestInbox;
import akka.actor.typed.ActorRef;
import akkachat.session.Fanout;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link FanoutLag} as plain bookkeeping: lines numbered per fan-out, a fan-out cut off once
 * when more than the limit behind the reports of what it delivered, and forgotten on request.
 */
class FanoutLagTest {

  private static final int LIMIT = 3;

  private final FanoutLag lag = new FanoutLag(LIMIT);
  private final ActorRef<Fanout.Command> node = TestInbox.<Fanout.Command>create().getRef();
  private final ActorRef<Fanout.Command> other = TestInbox.<Fanout.Command>create().getRef();

  @Test
  void numbersTheLinesOfEachFanoutFromOne() {
    assertEquals(1, lag.next(node));
    assertEquals(2, lag.next(node));
    assertEquals(1, lag.next(other));
    assertEquals(3, lag.next(node));
  }

  @Test
  void cutsWhenMoreThanTheLimitBehindNotAtTheLimit() {
    send(LIMIT);
    assertFalse(lag.cutIfBehind(node), "exactly the limit behind is still fine");
    assertFalse(lag.isCut(node));
    send(1);
    assertTrue(lag.cutIfBehind(node));
    assertTrue(lag.isCut(node));
    assertFalse(lag.isCut(other), "another node is not affected");
  }

  @Test
  void reportsTheCutOnceAndNumbersNothingWhileCut() {
    send(LIMIT + 1);
    assertTrue(lag.cutIfBehind(node));
    assertFalse(lag.cutIfBehind(node));
    assertEquals(0, lag.next(node));
    assertFalse(lag.cutIfBehind(node));
    assertTrue(lag.isCut(node));
  }

  @Test
  void deliveredReportsKeepItUnderTheLimit() {
    send(LIMIT);
    lag.delivered(node, 2);
    send(2); // 5 sent, 2 delivered: 3 behind
    assertFalse(lag.cutIfBehind(node));
    send(1);
    assertTrue(lag.cutIfBehind(node));
  }

  @Test
  void anOlderReportDoesNotMoveProgressBack() {
    send(LIMIT + 1);
    lag.delivered(node, 2);
    lag.delivered(node, 1);
    assertFalse(lag.cutIfBehind(node), "2 of 4 delivered: 2 behind");
  }

  @Test
  void forgetStartsAfresh() {
    send(LIMIT + 1);
    assertTrue(lag.cutIfBehind(node));
    lag.forget(node);
    assertFalse(lag.isCut(node));
    assertEquals(1, lag.next(node));
    assertFalse(lag.cutIfBehind(node));
  }

  @Test
  void ignoresAReportAboveWhatWasSent() {
    send(2);
    lag.delivered(node, 10);
    send(LIMIT - 1); // 4 sent, none really delivered
    assertTrue(lag.cutIfBehind(node));
  }

  private void send(int lines) {
    for (int i = 0; i < lines; i++) {
      assertTrue(lag.next(node) > 0);
    }
  }
}
