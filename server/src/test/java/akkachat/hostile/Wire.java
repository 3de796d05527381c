package akkachat.hostile;

import akkachat.support.ChatClient;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

/** Bytes as a hostile client writes them, and lines checked as bytes, before any decoding. */
final class Wire {
  static final int ESC = 0x1B;
  static final int IAC = 255;
  static final int SB = 250;
  static final int SE = 240;
  static final int WILL = 251;
  static final int WONT = 252;
  static final int DO = 253;
  static final int DONT = 254;

  private Wire() {}

  /** Concatenates strings (as UTF-8) and single bytes (Integers 0-255) in order. */
  static byte[] bytes(Object... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Object p : parts) {
      if (p instanceof Integer b) {
        out.write(b);
      } else if (p instanceof byte[] raw) {
        out.writeBytes(raw);
      } else {
        out.writeBytes(((String) p).getBytes(StandardCharsets.UTF_8));
      }
    }
    return out.toByteArray();
  }

  /** Decodes strictly: the server must never pass on bytes that are not UTF-8. */
  static String strictUtf8(byte[] line) {
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(line)).toString();
    } catch (CharacterCodingException e) {
      fail("server sent bytes that are not UTF-8: " + hex(line));
      return null;
    }
  }

  /** The next line, read as bytes and decoded strictly; fails at end of stream. */
  static String nextLine(ChatClient client) {
    byte[] line = client.tryReadLineBytes(ChatClient.TIMEOUT);
    assertNotNull(line, "connection closed while waiting for a line");
    return strictUtf8(line);
  }

  static void expectLine(ChatClient client, String expected) {
    assertEquals(expected, nextLine(client));
  }

  /** The first control character (C0 but LF, DEL, C1) or bidi override in {@code line}, or -1. */
  static int firstControl(String line) {
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c < 0x20 || (c >= 0x7F && c <= 0x9F) || (c >= 0x202A && c <= 0x202E)
          || (c >= 0x2066 && c <= 0x2069)) {
        return i;
      }
    }
    return -1;
  }

  static String hex(byte[] bytes) {
    StringBuilder sb = new StringBuilder();
    for (byte b : bytes) {
      sb.append(String.format("%02x ", b & 0xFF));
    }
    return sb.toString().trim();
  }
}
