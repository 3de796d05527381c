package akkachat.bench;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The bench's WebSocket client side: the upgrade and the frame codec, without a socket. */
class WebSocketTest {
  private static final String KEY = "dGhlIHNhbXBsZSBub25jZQ==";

  @Test
  void theAcceptKeyIsTheRfcExample() {
    // RFC 6455 §1.3.
    assertEquals("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", WebSocket.acceptKey(KEY));
  }

  @Test
  void aNewKeyIsSixteenRandomBytes() {
    String a = WebSocket.newKey();
    assertEquals(16, java.util.Base64.getDecoder().decode(a).length);
    assertNotEquals(a, WebSocket.newKey());
  }

  @Test
  void theUpgradeRequestAsksForVersion13WithTheKey() {
    String req = new String(WebSocket.upgradeRequest("127.0.0.1", 8080, "/ws", KEY),
        StandardCharsets.US_ASCII);
    assertTrue(req.startsWith("GET /ws HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n"), req);
    assertTrue(req.contains("\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"), req);
    assertTrue(req.contains("\r\nSec-WebSocket-Key: " + KEY + "\r\n"), req);
    assertTrue(req.contains("\r\nSec-WebSocket-Version: 13\r\n"), req);
    assertTrue(req.endsWith("\r\n\r\n"), req);
  }

  @Test
  void aClientFrameIsMaskedAsTheRfcExample() {
    // RFC 6455 §5.7: "Hello" masked with 37 fa 21 3d.
    ByteBuffer out = ByteBuffer.allocate(64);
    byte[] hello = "Hello".getBytes(StandardCharsets.US_ASCII);
    WebSocket.putFrame(out, WebSocket.TEXT, hello, 0, hello.length, 0x37fa213d);
    assertArrayEquals(bytes(0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58),
        Arrays.copyOf(out.array(), out.position()));
  }

  @Test
  void everyClientFrameHasAFreshMask() {
    byte[] p = "B 1 2 3".getBytes(StandardCharsets.US_ASCII);
    ByteBuffer a = WebSocket.frame(WebSocket.TEXT, p);
    ByteBuffer b = WebSocket.frame(WebSocket.TEXT, p);
    assertNotEquals(a.getInt(2), b.getInt(2));
    assertArrayEquals(p, unmask(a));
    assertArrayEquals(p, unmask(b));
  }

  @Test
  void clientFramesUseTheShortestOfTheThreeLengthForms() {
    for (int len : new int[] {0, 125, 126, 65_535, 65_536, 100_000}) {
      byte[] p = payload(len);
      ByteBuffer f = WebSocket.frame(WebSocket.TEXT, p);
      assertEquals(0x81, f.get(0) & 0xff);
      int len7 = f.get(1) & 0x7f;
      assertTrue((f.get(1) & 0x80) != 0, "mask bit");
      int header = len < 126 ? 6 : len <= 65_535 ? 8 : 14;
      assertEquals(len < 126 ? len : len <= 65_535 ? 126 : 127, len7, "length form of " + len);
      assertEquals(header + len, f.remaining());
      if (len7 == 126) {
        assertEquals(len, f.getShort(2) & 0xffff);
      } else if (len7 == 127) {
        assertEquals(len, f.getLong(2));
      }
      assertArrayEquals(p, unmask(f), "payload of " + len);
    }
  }

  @Test
  void serverFramesOfTheThreeLengthFormsAreRead() {
    for (int len : new int[] {0, 1, 125, 126, 65_535, 65_536, 70_000}) {
      Events e = upgraded();
      byte[] p = payload(len);
      e.feed(serverFrame(true, WebSocket.TEXT, p));
      assertEquals(List.of("line " + new String(p, StandardCharsets.US_ASCII)), e.events,
          "length " + len);
    }
  }

  @Test
  void severalFramesInOneReadAreSeveralLines() {
    Events e = upgraded();
    e.feed(concat(text("Please enter your username: "), text("Welcome, b1"),
        text("[b1] B 1 2 3")));
    assertEquals(List.of("line Please enter your username: ", "line Welcome, b1",
        "line [b1] B 1 2 3"), e.events);
  }

  @Test
  void framesSplitAcrossReadsAnywhereAreJoined() {
    byte[] all = concat(text("one"), serverFrame(true, WebSocket.TEXT, payload(300)),
        text("three"), serverFrame(true, WebSocket.TEXT, payload(70_000)), text("five"));
    List<String> expected = List.of("line one", "line " + ascii(payload(300)), "line three",
        "line " + ascii(payload(70_000)), "line five");
    // Byte by byte: every header and payload split at every place.
    Events e = upgraded();
    for (byte b : all) {
      e.feed(new byte[] {b});
    }
    assertEquals(expected, e.events);
    // In reads of various sizes, each starting in the middle of some frame.
    for (int chunk : new int[] {2, 3, 7, 100, 4097, 65_536}) {
      Events f = upgraded();
      for (int i = 0; i < all.length; i += chunk) {
        f.feed(Arrays.copyOfRange(all, i, Math.min(all.length, i + chunk)));
      }
      assertEquals(expected, f.events, "reads of " + chunk);
    }
  }

  @Test
  void aFragmentedMessageIsOneLineAndControlFramesMayComeBetween() {
    Events e = upgraded();
    e.feed(concat(serverFrame(false, WebSocket.TEXT, ascii("[b1] B ")),
        serverFrame(true, WebSocket.PING, ascii("hi")),
        serverFrame(false, 0, ascii("1 2")),
        serverFrame(true, 0, ascii(" 3")),
        text("next")));
    assertEquals(List.of("ping hi", "line [b1] B 1 2 3", "line next"), e.events);
  }

  @Test
  void aFragmentedMessageSplitAcrossReadsIsOneLine() {
    byte[] all = concat(serverFrame(false, WebSocket.TEXT, payload(200)),
        serverFrame(false, 0, payload(5)), serverFrame(true, 0, ascii("end")));
    Events e = upgraded();
    for (byte b : all) {
      e.feed(new byte[] {b});
    }
    assertEquals(List.of("line " + ascii(payload(200)) + ascii(payload(5)) + "end"), e.events);
  }

  @Test
  void aPingIsReportedWithItsPayloadAndAPongEchoesIt() {
    Events e = upgraded();
    e.feed(serverFrame(true, WebSocket.PING, ascii("are you there")));
    assertEquals(List.of("ping are you there"), e.events);
    ByteBuffer pong = WebSocket.frame(WebSocket.PONG, ascii("are you there"));
    assertEquals(0x80 | WebSocket.PONG, pong.get(0) & 0xff);
    assertEquals("are you there", ascii(unmask(pong)));
    e.feed(serverFrame(true, WebSocket.PONG, ascii("x")));
    assertEquals(1, e.events.size(), "an unasked pong is ignored");
  }

  @Test
  void aCloseEndsTheConnectionWithItsCodeAndReason() {
    Events e = upgraded();
    e.feed(concat(text("*** Bye!"), serverFrame(true, WebSocket.CLOSE,
        concat(bytes(0x03, 0xe8), ascii("bye"))), text("after the close")));
    assertEquals(List.of("line *** Bye!", "closed 1000 bye"), e.events);
    Events f = upgraded();
    f.feed(serverFrame(true, WebSocket.CLOSE, new byte[0]));
    assertEquals(List.of("closed -1 "), f.events);
  }

  @Test
  void protocolErrorsBreakTheConnection() {
    Events masked = upgraded();
    masked.feed(bytes(0x81, 0x81, 1, 2, 3, 4, 'x'));
    assertEquals(List.of("broken masked frame from the server"), masked.events);
    Events stray = upgraded();
    stray.feed(serverFrame(true, 0, ascii("x")));
    assertTrue(stray.events.get(0).startsWith("broken continuation"), stray.events.toString());
    Events reserved = upgraded();
    reserved.feed(bytes(0xc1, 0x01, 'x', 0x81, 0x01, 'y'));
    assertEquals(List.of("broken frame with reserved bits set"), reserved.events);
  }

  @Test
  void theUpgradeIsCheckedAndWhatFollowsItInTheSameReadIsFramesAlready() {
    Events e = new Events();
    e.feed(ascii("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"));
    assertFalse(e.ws.upgraded());
    e.feed(concat(ascii("connection: upgrade\r\nSec-WebSocket-Accept: "
        + WebSocket.acceptKey(KEY) + "\r\nServer: akka-http\r"),
        ascii("\n\r\n"), text("Please enter your username: ")));
    assertTrue(e.ws.upgraded());
    assertEquals(List.of("upgraded", "line Please enter your username: "), e.events);
  }

  @Test
  void aRefusedOrWrongUpgradeBreaksTheConnection() {
    Events refused = new Events();
    refused.feed(ascii("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n"));
    assertEquals(List.of("broken upgrade refused: HTTP/1.1 404 Not Found"), refused.events);
    Events wrongKey = new Events();
    wrongKey.feed(ascii("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
        + "Connection: Upgrade\r\nSec-WebSocket-Accept: AAAA\r\n\r\n"));
    assertTrue(wrongKey.events.get(0).startsWith("broken wrong Sec-WebSocket-Accept"),
        wrongKey.events.toString());
    assertFalse(wrongKey.ws.upgraded());
  }

  /** Records what a {@link WebSocket} makes of the bytes fed to it. */
  private static final class Events implements WebSocket.Handler {
    final WebSocket ws = new WebSocket(KEY);
    final List<String> events = new ArrayList<>();

    /** One read: the bytes in the middle of a larger buffer, as the read buffer is reused. */
    void feed(byte[] data) {
      byte[] buffer = new byte[data.length + 10];
      Arrays.fill(buffer, (byte) '#');
      System.arraycopy(data, 0, buffer, 3, data.length);
      ws.feed(null, buffer, 3, data.length, this);
    }

    @Override
    public void upgraded(Client c) {
      events.add("upgraded");
    }

    @Override
    public void line(Client c, byte[] b, int off, int len) {
      events.add("line " + new String(b, off, len, StandardCharsets.UTF_8));
    }

    @Override
    public void ping(Client c, byte[] b, int off, int len) {
      events.add("ping " + new String(b, off, len, StandardCharsets.UTF_8));
    }

    @Override
    public void closed(Client c, int code, String reason) {
      events.add("closed " + code + " " + reason);
    }

    @Override
    public void broken(Client c, String reason) {
      events.add("broken " + reason);
    }
  }

  private static Events upgraded() {
    Events e = new Events();
    e.feed(ascii("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
        + "Connection: Upgrade\r\nSec-WebSocket-Accept: " + WebSocket.acceptKey(KEY)
        + "\r\n\r\n"));
    assertEquals(List.of("upgraded"), e.events);
    e.events.clear();
    return e;
  }

  /** A frame as a server sends it: unmasked, the shortest length form. */
  private static byte[] serverFrame(boolean fin, int opcode, byte[] p) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write((fin ? 0x80 : 0) | opcode);
    if (p.length < 126) {
      out.write(p.length);
    } else if (p.length <= 0xffff) {
      out.write(126);
      out.write(p.length >>> 8);
      out.write(p.length);
    } else {
      out.write(127);
      for (int s = 56; s >= 0; s -= 8) {
        out.write((int) ((long) p.length >>> s));
      }
    }
    out.writeBytes(p);
    return out.toByteArray();
  }

  private static byte[] text(String s) {
    return serverFrame(true, WebSocket.TEXT, ascii(s));
  }

  /** The payload of a whole client frame, unmasked. */
  private static byte[] unmask(ByteBuffer frame) {
    int len7 = frame.get(1) & 0x7f;
    int at = len7 < 126 ? 2 : len7 == 126 ? 4 : 10;
    byte[] mask = new byte[4];
    frame.get(at, mask);
    byte[] p = new byte[frame.limit() - at - 4];
    for (int i = 0; i < p.length; i++) {
      p[i] = (byte) (frame.get(at + 4 + i) ^ mask[i & 3]);
    }
    return p;
  }

  /** {@code len} bytes of printable text that differs from place to place. */
  private static byte[] payload(int len) {
    byte[] p = new byte[len];
    for (int i = 0; i < len; i++) {
      p[i] = (byte) ('a' + (i * 7 + i / 26) % 26);
    }
    return p;
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  private static String ascii(byte[] b) {
    return new String(b, StandardCharsets.US_ASCII);
  }

  private static byte[] bytes(int... values) {
    byte[] b = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      b[i] = (byte) values[i];
    }
    return b;
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }
}
