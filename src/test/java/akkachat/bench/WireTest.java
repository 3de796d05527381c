package akkachat.bench;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class WireTest {

  @Test
  void aSentLineParsesBackAsDelivered() {
    ByteBuffer out = ByteBuffer.allocate(Wire.MAX_LINE);
    Wire.putLine(out, 12, 3, Long.MAX_VALUE);
    String sent = new String(out.array(), 0, out.position(), StandardCharsets.US_ASCII);
    assertEquals("B 12 3 " + Long.MAX_VALUE + "\n", sent);
    long[] fields = new long[3];
    assertEquals(1, parse("[b12] " + sent.strip(), fields));
    assertArrayEquals(new long[] {12, 3, Long.MAX_VALUE}, fields);
    assertEquals(1, parse("[b0] B 0 10 0", fields));
    assertArrayEquals(new long[] {0, 10, 0}, fields);
  }

  @Test
  void otherUsersLinesAreNotBenchLines() {
    long[] fields = new long[3];
    assertEquals(0, parse("[alice] hello", fields));
    assertEquals(0, parse("[alice] Bob", fields));
    assertEquals(0, parse("[x]", fields));
  }

  @Test
  void damagedBenchLinesAreReported() {
    long[] fields = new long[3];
    assertEquals(-1, parse("[b1] B 1 2", fields));
    assertEquals(-1, parse("[b1] B 1 2 3x", fields));
    assertEquals(-1, parse("[b1] B 1  2 3", fields));
    assertEquals(-1, parse("[b1] B 1 2 99999999999999999999", fields));
  }

  private static int parse(String line, long[] fields) {
    byte[] b = ("xx" + line).getBytes(StandardCharsets.UTF_8);
    return Wire.parseDelivery(b, 2, b.length - 2, fields);
  }
}
