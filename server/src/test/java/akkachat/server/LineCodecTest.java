package akkachat.server;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.stream.javadsl.Sink;
import akka.stream.javadsl.Source;
import akka.util.ByteString;
import akkachat.protocol.Input;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The inbound framing stage, run in memory over chosen chunks of bytes. */
class LineCodecTest {

  static final ActorTestKit testKit = ActorTestKit.create();

  private static final int MAX = 16;
  private static final int IAC = 255;
  private static final int DONT = 254;
  private static final int DO = 253;
  private static final int WONT = 252;
  private static final int WILL = 251;
  private static final int SB = 250;
  private static final int NOP = 241;
  private static final int SE = 240;

  @AfterAll
  static void cleanup() {
    testKit.shutdownTestKit();
  }

  // ---- line breaks ----

  @Test
  void splitsOnLf() throws Exception {
    assertEquals(lines("one", "two", "three"), run(MAX, text("one\ntwo\nthree\n")));
  }

  @Test
  void splitsOnCrlf() throws Exception {
    assertEquals(lines("one", "two"), run(MAX, text("one\r\ntwo\r\n")));
  }

  @Test
  void removesLoneCr() throws Exception {
    assertEquals(lines("abc", "d"), run(MAX, text("a\rb\rc\r\n\rd\n")));
  }

  @Test
  void keepsEmptyLines() throws Exception {
    assertEquals(lines("", "", "x", ""), run(MAX, text("\n\r\nx\n\n")));
  }

  @Test
  void emitsLastLineWithoutLfAtEndOfInput() throws Exception {
    assertEquals(lines("first", "last"), run(MAX, text("first\n"), text("la"), text("st")));
  }

  @Test
  void emitsNothingMoreAfterFinalLf() throws Exception {
    assertEquals(lines("only"), run(MAX, text("only\n")));
    assertEquals(List.of(), run(MAX, List.of()));
  }

  @Test
  void joinsLineSplitAcrossChunks() throws Exception {
    assertEquals(lines("hello", "world"), run(MAX, text("hel"), text("lo\nwo"), text("rld\n")));
  }

  @Test
  void splitsSeveralLinesInOneChunkInOrder() throws Exception {
    StringBuilder sb = new StringBuilder();
    List<Input> expected = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      sb.append("l").append(i).append('\n');
      expected.add(new Input.Line("l" + i));
    }
    assertEquals(expected, run(MAX, text(sb.toString())));
  }

  // ---- UTF-8 ----

  @Test
  void decodesMultiByteCharacterSplitAcrossChunks() throws Exception {
    byte[] bytes = "añ€😀\n".getBytes(StandardCharsets.UTF_8);
    // Cut inside each of the 2-, 3- and 4-byte characters.
    List<ByteString> chunks = List.of(
        ByteString.fromArray(Arrays.copyOfRange(bytes, 0, 2)),
        ByteString.fromArray(Arrays.copyOfRange(bytes, 2, 4)),
        ByteString.fromArray(Arrays.copyOfRange(bytes, 4, 8)),
        ByteString.fromArray(Arrays.copyOfRange(bytes, 8, bytes.length)));
    assertEquals(lines("añ€😀"), run(MAX, chunks));
  }

  @Test
  void turnsInvalidUtf8IntoReplacementCharacter() throws Exception {
    assertEquals(lines("a\uFFFDb", "\uFFFDc"),
        run(MAX, bytes('a', 0x80, 'b', '\n', 0xC3, 'c', '\n')));
  }

  @Test
  void endsTruncatedCharacterAtLineEndAsReplacement() throws Exception {
    assertEquals(lines("x\uFFFD", "y"), run(MAX, bytes('x', 0xE2, 0x82, '\n', 'y', '\n')));
  }

  // ---- control characters ----

  @Test
  void removesControlCharactersAndTurnsTabIntoSpace() throws Exception {
    assertEquals(lines("ab c[31m"), run(64, text("a\u0007b\tc\u001B[31m\n")));
  }

  @Test
  void removesC1AndBidiOverrides() throws Exception {
    assertEquals(lines("abc"), run(64, text("a\u009Bb\u202Ec\u2066\n")));
  }

  // ---- telnet ----

  @Test
  void removesEscapedIac() throws Exception {
    assertEquals(lines("ab"), run(MAX, bytes('a', IAC, IAC, 'b', '\n')));
  }

  @Test
  void removesOptionNegotiation() throws Exception {
    assertEquals(lines("abcde"), run(MAX, bytes(
        'a', IAC, WILL, 1, 'b', IAC, WONT, 3, 'c', IAC, DO, 24, 'd', IAC, DONT, 31, 'e', '\n')));
  }

  @Test
  void optionByteIsNeverTakenForLineBreak() throws Exception {
    assertEquals(lines("xy"), run(MAX, bytes('x', IAC, DO, '\n', 'y', '\n')));
  }

  @Test
  void removesTwoByteCommand() throws Exception {
    assertEquals(lines("ab"), run(MAX, bytes('a', IAC, NOP, 'b', '\n')));
  }

  @Test
  void removesSubnegotiationIncludingBytesThatLookLikeText() throws Exception {
    assertEquals(lines("ab"), run(MAX,
        bytes('a', IAC, SB, 24, 0, 'x', 't', 'e', 'r', 'm', '\n', IAC, IAC, 'q', IAC, SE, 'b', '\n')));
  }

  @Test
  void removesTelnetSequencesSplitAcrossChunks() throws Exception {
    List<ByteString> chunks = new ArrayList<>();
    chunks.addAll(bytes('a', IAC));
    chunks.addAll(bytes(WILL));
    chunks.addAll(bytes(1, 'b', IAC, SB, 31));
    chunks.addAll(bytes(0, 80, IAC));
    chunks.addAll(bytes(SE, 'c', IAC));
    chunks.addAll(bytes(IAC, 'd', '\n'));
    assertEquals(lines("abcd"), run(MAX, chunks));
  }

  @Test
  void givesSameLinesWhateverTheChunking() throws Exception {
    byte[] all = concat(
        "héllo\r\n".getBytes(StandardCharsets.UTF_8),
        new byte[] {'x', (byte) IAC, (byte) DO, 1, 'y', '\n'},
        new byte[] {(byte) IAC, (byte) SB, 1, 2, (byte) IAC, (byte) SE, 'z', '\n'},
        "0123456789abcdefX\nok 😀\n".getBytes(StandardCharsets.UTF_8));
    List<Input> whole = run(MAX, List.of(ByteString.fromArray(all)));
    assertEquals(List.of(new Input.Line("héllo"), new Input.Line("xy"), new Input.Line("z"),
        new Input.TooLong(), new Input.Line("ok 😀")), whole);
    List<ByteString> oneByteEach = new ArrayList<>();
    for (byte b : all) {
      oneByteEach.add(ByteString.fromArray(new byte[] {b}));
    }
    assertEquals(whole, run(MAX, oneByteEach));
  }

  // ---- line length ----

  @Test
  void passesLineOfExactlyMaxBytes() throws Exception {
    String max = "x".repeat(MAX);
    assertEquals(lines(max, max), run(MAX, text(max + "\n" + max + "\r\n")));
  }

  @Test
  void countsBytesNotCharacters() throws Exception {
    String eightTwoByteChars = "é".repeat(MAX / 2);
    assertEquals(List.of(new Input.Line(eightTwoByteChars), new Input.TooLong()),
        run(MAX, text(eightTwoByteChars + "\n" + eightTwoByteChars + "a\n")));
  }

  @Test
  void dropsLineOfMaxPlusOneBytesAndKeepsTheNext() throws Exception {
    assertEquals(List.of(new Input.TooLong(), new Input.Line("next")),
        run(MAX, text("x".repeat(MAX + 1) + "\nnext\n")));
  }

  @Test
  void dropsLongLineSplitAcrossChunksOnce() throws Exception {
    assertEquals(List.of(new Input.Line("a"), new Input.TooLong(), new Input.Line("b")),
        run(MAX, text("a\n" + "y".repeat(10)), text("y".repeat(10)), text("y".repeat(10) + "\nb\n")));
  }

  @Test
  void reportsTooLongLastLineWithoutLf() throws Exception {
    assertEquals(List.of(new Input.Line("ok"), new Input.TooLong()),
        run(MAX, text("ok\n" + "z".repeat(MAX + 5))));
  }

  @Test
  void dropsHugeLineAsOneTooLong() throws Exception {
    int chunkSize = 64 * 1024;
    int chunks = 1024; // 64 MiB in all, made one chunk at a time as the stream asks for it
    ByteString chunk = ByteString.fromArray(filled(chunkSize, (byte) 'h'));
    List<Input> out = Source.repeat(chunk).take(chunks)
        .concat(Source.single(ByteString.fromString("\nafter\n")))
        .via(LineCodec.flow(4096))
        .runWith(Sink.seq(), testKit.system())
        .toCompletableFuture().get(120, TimeUnit.SECONDS);
    assertEquals(List.of(new Input.TooLong(), new Input.Line("after")), out);
  }

  // ---- helpers ----

  private static List<Input> run(int max, List<ByteString> chunks) throws Exception {
    return Source.from(chunks).via(LineCodec.flow(max))
        .runWith(Sink.seq(), testKit.system())
        .toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  private static List<Input> run(int max, ByteString... chunks) throws Exception {
    return run(max, List.of(chunks));
  }

  private static ByteString text(String s) {
    return ByteString.fromString(s, StandardCharsets.UTF_8);
  }

  /** One chunk of the given byte values (0-255). */
  private static List<ByteString> bytes(int... values) {
    byte[] b = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      b[i] = (byte) values[i];
    }
    return List.of(ByteString.fromArray(b));
  }

  private static List<Input> lines(String... texts) {
    List<Input> out = new ArrayList<>();
    for (String t : texts) {
      out.add(new Input.Line(t));
    }
    return out;
  }

  private static byte[] filled(int n, byte value) {
    byte[] b = new byte[n];
    Arrays.fill(b, value);
    return b;
  }

  private static byte[] concat(byte[]... parts) {
    int n = 0;
    for (byte[] p : parts) {
      n += p.length;
    }
    byte[] out = new byte[n];
    int at = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, out, at, p.length);
      at += p.length;
    }
    return out;
  }
}
