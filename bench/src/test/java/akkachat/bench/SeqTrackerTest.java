package akkachat.bench;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SeqTrackerTest {

  @Test
  void everyLineInOrderIsNeitherLostNorOutOfOrder() {
    SeqTracker t = new SeqTracker(2);
    for (long s = 1; s <= 100; s++) {
      t.accept(0, s);
      t.accept(1, s);
    }
    assertEquals(0, t.lost(0, 100));
    assertEquals(0, t.lost(1, 100));
    assertEquals(0, t.outOfOrder());
  }

  @Test
  void missingLinesInTheMiddleAndAtTheEndAreLost() {
    SeqTracker t = new SeqTracker(1);
    for (long s : new long[] {1, 2, 5, 6, 9}) {
      t.accept(0, s);
    }
    assertEquals(5, t.lost(0, 10)); // 3, 4, 7, 8, 10
    assertEquals(0, t.outOfOrder());
  }

  @Test
  void aLateLineIsOutOfOrderButNotLost() {
    SeqTracker t = new SeqTracker(1);
    for (long s : new long[] {1, 3, 4, 2, 5}) {
      t.accept(0, s);
    }
    assertEquals(0, t.lost(0, 5));
    assertEquals(1, t.outOfOrder());
    assertEquals(0, t.duplicates());
  }

  @Test
  void aRepeatedLineIsADuplicateAndDoesNotHideALostOne() {
    SeqTracker t = new SeqTracker(1);
    for (long s : new long[] {1, 2, 2, 4, 3, 3}) {
      t.accept(0, s);
    }
    assertEquals(0, t.lost(0, 4));
    assertEquals(3, t.outOfOrder());
    assertEquals(2, t.duplicates());
    SeqTracker u = new SeqTracker(1);
    for (long s : new long[] {1, 3, 1}) {
      u.accept(0, s);
    }
    assertEquals(1, u.lost(0, 3)); // 2 never came, however many lines arrived
  }

  @Test
  void aLineBeyondWhatWasSentIsReported() {
    SeqTracker t = new SeqTracker(1);
    t.accept(0, 1);
    t.accept(0, 7);
    assertEquals(2, t.beyond(0, 5));
  }
}
