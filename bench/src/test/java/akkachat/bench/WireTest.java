package akkachat.bench;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class WireTest {

  @Test
  void aSentLineParsesBackAsItsText() {
    ByteBuffer out = ByteBuffer.allocate(Wire.MAX_LINE);
    Wire.putLine(out, 12, 3, Long.MAX_VALUE);
    String sent = new String(out.array(), 0, out.position(), StandardCharsets.US_ASCII);
    assertEquals("B 12 3 " + Long.MAX_VALUE + "\n", sent);
    long[] fields = new long[3];
    assertEquals(Dialect.Kind.BENCH, parse(sent.strip(), fields));
    assertArrayEquals(new long[] {12, 3, Long.MAX_VALUE}, fields);
    assertEquals(Dialect.Kind.BENCH, parse("B 0 10 0", fields));
    assertArrayEquals(new long[] {0, 10, 0}, fields);
  }

  @Test
  void otherTextIsNotABenchLine() {
    long[] fields = new long[3];
    assertEquals(Dialect.Kind.OTHER, parse("hello", fields));
    assertEquals(Dialect.Kind.OTHER, parse("Bob", fields));
    assertEquals(Dialect.Kind.OTHER, parse("B", fields));
    assertEquals(Dialect.Kind.OTHER, parse("", fields));
  }

  @Test
  void damagedBenchLinesAreReported() {
    long[] fields = new long[3];
    assertEquals(Dialect.Kind.DAMAGED, parse("B 1 2", fields));
    assertEquals(Dialect.Kind.DAMAGED, parse("B 1 2 3x", fields));
    assertEquals(Dialect.Kind.DAMAGED, parse("B 1  2 3", fields));
    assertEquals(Dialect.Kind.DAMAGED, parse("B 1 2 99999999999999999999", fields));
    assertEquals(Dialect.Kind.DAMAGED, parse("B ", fields));
  }

  private static Dialect.Kind parse(String text, long[] fields) {
    byte[] b = ("xx" + text + "yy").getBytes(StandardCharsets.UTF_8);
    return Wire.parseText(b, 2, b.length - 2, fields);
  }
}
