package akkachat.hostile;

import akkachat.support.ChatClient;
import akkachat.support.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static akkachat.hostile.Wire.DO;
import static akkachat.hostile.Wire.DONT;
import static akkachat.hostile.Wire.ESC;
import static akkachat.hostile.Wire.IAC;
import static akkachat.hostile.Wire.SB;
import static akkachat.hostile.Wire.SE;
import static akkachat.hostile.Wire.WILL;
import static akkachat.hostile.Wire.WONT;
import static akkachat.hostile.Wire.bytes;
import static akkachat.hostile.Wire.expectLine;
import static akkachat.hostile.Wire.firstControl;
import static akkachat.hostile.Wire.nextLine;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * PROTOCOL.md section 5, end to end: what alice's bytes become at bob (another member) and at
 * alice herself. Lines are checked as the bytes the server sent, so that nothing invalid can
 * hide behind a lenient decoder in the test.
 */
class NonTextInputTest {
  private static final Duration QUIET = Duration.ofMillis(300);

  private TestServer server;
  private ChatClient alice;
  private ChatClient bob;

  @BeforeEach
  void start() {
    server = TestServer.start();
    List<ChatClient> pair = server.loginAll("alice", "bob");
    alice = pair.get(0);
    bob = pair.get(1);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  /** Both members get exactly these lines from alice, and nothing else. */
  private void bothSee(String... lines) {
    for (ChatClient member : List.of(alice, bob)) {
      for (String line : lines) {
        expectLine(member, "[alice] " + line);
      }
      member.expectNothing(QUIET);
    }
  }

  @Test
  void lfAndCrlfEachEndALine() {
    alice.sendRaw(bytes("one\ntwo\r\nthree\r\n\r\nfour\n"));
    bothSee("one", "two", "three", "four");
  }

  @Test
  void loneCrInsideALineIsRemoved() {
    alice.sendRaw(bytes("ab\rcd\n", "\r\rxy\r\r\n", "\r\n", "\r\r\n", "end\r\n"));
    bothSee("abcd", "xy", "end");
  }

  @Test
  void invalidUtf8BecomesReplacementCharacters() {
    alice.sendRaw(bytes("a", 0xFE, "b\n"));       // never valid in UTF-8 (0xFF is telnet's IAC)
    alice.sendRaw(bytes("c", 0x80, "d\n"));       // continuation byte without a lead
    alice.sendRaw(bytes("e", 0xE2, 0x82, "f\n")); // sequence cut short
    alice.sendRaw(bytes("g", 0xC0, 0xAF, "h\n")); // overlong '/'
    alice.sendRaw(bytes("i", 0xED, 0xA0, 0x80, "j\n")); // a UTF-16 surrogate
    alice.sendRaw(bytes("k", 0xF0, 0x9F, 0x98, "\n")); // cut short at the end of the line
    alice.sendRaw(bytes("valid é€😀\n"));
    for (ChatClient member : List.of(alice, bob)) {
      expectLine(member, "[alice] a\uFFFDb");
      expectLine(member, "[alice] c\uFFFDd");
      expectLine(member, "[alice] e\uFFFDf");
      assertTrue(nextLine(member).matches("\\[alice] g\uFFFD+h"));
      assertTrue(nextLine(member).matches("\\[alice] i\uFFFD+j"));
      assertTrue(nextLine(member).matches("\\[alice] k\uFFFD+"));
      expectLine(member, "[alice] valid é€😀");
      member.expectNothing(QUIET);
    }
  }

  @Test
  void characterSplitAcrossTcpWritesIsDecodedWhole() {
    byte[] line = bytes("é€😀 ok ü\n");
    // One TCP segment per byte (the client has TCP_NODELAY), so the server gets most of them
    // in separate reads.
    for (byte b : line) {
      alice.sendRaw(new byte[] {b});
    }
    for (ChatClient member : List.of(alice, bob)) {
      expectLine(member, "[alice] é€😀 ok ü");
    }
    // And once for certain: half a character, then a round trip of bob's, then the rest.
    byte[] emoji = bytes("😀\n");
    alice.sendRaw(new byte[] {'x', emoji[0], emoji[1]});
    bob.send("/who");
    bob.expectLine("*** Users online: alice, bob");
    alice.sendRaw(new byte[] {emoji[2], emoji[3], emoji[4]});
    bothSee("x😀");
  }

  @Test
  void controlCharactersAreRemoved() {
    ByteArrayOutputStream c0 = new ByteArrayOutputStream();
    for (int b = 0; b < 0x20; b++) {
      if (b != '\t' && b != '\n' && b != '\r') {
        c0.write(b);
      }
    }
    StringBuilder c1 = new StringBuilder();
    for (char c = 0x80; c <= 0x9F; c++) {
      c1.append(c);
    }
    alice.sendRaw(bytes("a", c0.toByteArray(), "b", 0x7F, "c", c1.toString(), "d\n"));
    alice.sendRaw(bytes(c0.toByteArray(), 0x7F, c1.toString(), "\n")); // nothing left: not sent
    alice.sendRaw(bytes("\u0000x\u0007y\u001bz\u0085\n"));
    bothSee("abcd", "xyz");
  }

  @Test
  void tabBecomesASpace() {
    alice.sendRaw(bytes("a\tb\t\tc\t\n"));
    alice.sendRaw(bytes("\t\t\n")); // only white space: not sent
    alice.sendRaw(bytes("\tlead\n"));
    bothSee("a b  c ", " lead");
  }

  @Test
  void bidiOverridesAreRemoved() {
    alice.sendRaw(bytes("a\u202Ab\u202Bc\u202Cd\u202De\u202Ef\u2066g\u2067h\u2068i\u2069j\n"));
    alice.sendRaw(bytes("\u202Ekept: \u202F\u2070\u200F!\n")); // neighbours of the ranges stay
    bothSee("abcdefghij", "kept: \u202F\u2070\u200F!");
  }

  @Test
  void telnetNegotiationIsRemoved() {
    alice.sendRaw(bytes("a", IAC, WILL, 1, "b", IAC, DO, 3, "c", IAC, WONT, 31, IAC, DONT, 24,
        "d", IAC, SB, 24, 0, "xterm", IAC, SE, "e", IAC, IAC, "f", IAC, 241, "g", IAC, 246, "h\n"));
    bothSee("abcdefgh");
    // A sequence cut across writes, with a round trip in between so the server reads each part.
    alice.sendRaw(bytes("p", IAC));
    bob.send("/who");
    bob.expectLine("*** Users online: alice, bob");
    alice.sendRaw(bytes(DO));
    bob.send("/who");
    bob.expectLine("*** Users online: alice, bob");
    alice.sendRaw(bytes(1, "q", IAC, SB, 31, 0));
    bob.send("/who");
    bob.expectLine("*** Users online: alice, bob");
    alice.sendRaw(bytes(80, 0, 24, IAC, SE, "r\n"));
    bothSee("pqr");
  }

  @Test
  void telnetNegotiationBeforeTheNameIsIgnored() {
    ChatClient carol = server.connect();
    // What a telnet client sends as soon as it connects.
    carol.sendRaw(bytes(IAC, DO, 1, IAC, WILL, 31, IAC, SB, 31, 0, 80, 0, 24, IAC, SE,
        IAC, WILL, 24, IAC, DO, 3));
    carol.expectLine("Welcome to akka-chat!");
    carol.expectPrompt();
    carol.sendRaw(bytes(IAC, WONT, 34, "carol\r\n"));
    carol.expectLine("Welcome, carol");
    carol.expectLine("*** Users online: alice, bob, carol");
    carol.expectLine("*** carol just joined the chatroom");
    for (ChatClient member : List.of(alice, bob)) {
      expectLine(member, "*** carol just joined the chatroom");
    }
  }

  @Test
  void noEscapeByteFromOneClientEverReachesAnother() {
    String csi = "\u001b[";
    ChatClient mallory = server.connect();
    mallory.expectLine("Welcome to akka-chat!");
    mallory.expectPrompt();
    mallory.sendRaw(bytes(csi, "31mmal\n"));           // "[31mmal" is not a valid name
    mallory.expectLine("*** error: invalid username (use 1-24 letters, digits, '_' or '-')");
    mallory.expectPrompt();
    mallory.sendRaw(bytes("m", ESC, "al", 0xC2, 0x9B, "\n")); // ESC and C1 CSI in the name
    mallory.expectLine("Welcome, mal");
    List<byte[]> attacks = List.of(
        bytes(csi, "2J", csi, "H", "cleared your screen\n"),
        bytes(ESC, "]0;pwned", 0x07, "title\n"),          // OSC set title
        bytes(ESC, "P+q", ESC, "\\", "dcs\n"),             // DCS
        bytes("\u009b31mc1 csi\n"),                        // C1 CSI as UTF-8
        bytes(0x9B, "31m raw 0x9b\n"),                     // C1 CSI as a raw byte
        bytes(0xC0, 0x9B, "overlong esc\n"),
        bytes(ESC, "\n", ESC, ESC, ESC, "\n"),             // nothing but escapes
        bytes(IAC, ESC, csi, "1mafter iac\n"),
        bytes("/me ", csi, "5mblinks\n"),
        bytes("/me", ESC, " ", csi, "5m\n"),
        bytes("/msg bob ", csi, "31mred whisper\n"),
        bytes("/msg ", csi, "31mbob,bob hi\n"),
        bytes("/msg alice,bob ", ESC, "c reset\n"),
        bytes("/nick ", csi, "31mevil\n"),
        bytes("/", csi, "31mcmd\n"),
        bytes("/join ", csi, "31mroom\n"),
        bytes("//", csi, "31mslash\n"),
        bytes("/nick ev", ESC, "il\n"),                    // becomes "evil": a valid rename
        bytes("done\n"));
    attacks.forEach(mallory::sendRaw);

    for (ChatClient member : List.of(bob, alice, mallory)) {
      List<String> seen = new ArrayList<>();
      while (true) {
        byte[] raw = member.tryReadLineBytes(ChatClient.TIMEOUT);
        assertNotNull(raw, "closed before the last line; so far: " + seen);
        for (byte b : raw) {
          assertFalse(b == ESC || b == '\r', "control byte in: " + Wire.hex(raw));
        }
        String line = Wire.strictUtf8(raw);
        assertEquals(-1, firstControl(line), "control character in: " + line);
        seen.add(line);
        if (line.equals("[evil] done")) {
          break;
        }
      }
      assertTrue(seen.contains("*** mal is now known as evil"), seen.toString());
      if (member == bob) {
        assertTrue(seen.contains("[mal -> bob] [31mred whisper"), seen.toString());
        assertTrue(seen.contains("* mal [5mblinks"), seen.toString());
      }
      member.expectNothing(QUIET);
    }
  }
}
