package akkachat.bench;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HistogramTest {

  @Test
  void smallValuesAreExact() {
    Histogram h = new Histogram();
    for (long v = 1; v <= 100; v++) {
      h.record(v);
    }
    assertEquals(50, h.percentile(50));
    assertEquals(99, h.percentile(99));
    assertEquals(100, h.percentile(100));
    assertEquals(1, h.percentile(0));
    assertEquals(100, h.count());
    assertEquals(50.5, h.mean(), 1e-9);
  }

  @Test
  void largeValuesAreWithinOnePercent() {
    Histogram h = new Histogram();
    for (long v = 1; v <= 1_000_000; v++) {
      h.record(v * 1000);
    }
    assertClose(500_000_000L, h.percentile(50));
    assertClose(990_000_000L, h.percentile(99));
    assertClose(999_000_000L, h.percentile(99.9));
    assertEquals(1_000_000_000L, h.max());
    assertEquals(1000, h.min());
  }

  @Test
  void aPercentileIsNeverBelowTheTrueValueNorAboveTheMax() {
    Histogram h = new Histogram();
    for (int i = 0; i < 999; i++) {
      h.record(1_000);
    }
    h.record(5_000_000);
    long p999 = h.percentile(99.9);
    assertTrue(p999 >= 1_000 && p999 < 1_010, "p99.9 was " + p999);
    assertEquals(5_000_000, h.percentile(100));
    assertEquals(5_000_000, h.percentile(99.95));
  }

  @Test
  void mergingAddsTheCounts() {
    Histogram a = new Histogram();
    Histogram b = new Histogram();
    for (long v = 1; v <= 100; v++) {
      (v % 2 == 0 ? a : b).record(v);
    }
    a.add(b);
    assertEquals(100, a.count());
    assertEquals(50, a.percentile(50));
    assertEquals(1, a.min());
    assertEquals(100, a.max());
  }

  @Test
  void emptyAndExtremeValues() {
    Histogram h = new Histogram();
    assertEquals(0, h.percentile(99));
    assertEquals(0, h.min());
    h.record(Long.MAX_VALUE);
    h.record(-5);
    assertEquals(Long.MAX_VALUE, h.percentile(100));
    assertEquals(0, h.percentile(50));
  }

  @Test
  void bucketsCoverEveryValueWithoutGaps() {
    long previousTop = -1;
    for (int i = 0; i < Histogram.index(Long.MAX_VALUE); i++) {
      long top = Histogram.highestIn(i);
      assertTrue(top > previousTop, "bucket " + i);
      assertEquals(i, Histogram.index(top), "top of bucket " + i);
      assertEquals(i, Histogram.index(previousTop + 1), "bottom of bucket " + i);
      previousTop = top;
    }
  }

  private static void assertClose(long expected, long actual) {
    assertTrue(Math.abs(actual - expected) <= expected / 100,
        "expected about " + expected + ", got " + actual);
  }
}
