package akkachat.bench;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The client side of one WebSocket connection (RFC 6455), under the dialect (--transport ws):
 * the HTTP/1.1 upgrade, then server frames in and masked client frames out. Each text message
 * from the server is one line for the {@link LineHandler}, handed over straight from the read
 * buffer when the frame is whole in it; only a frame split across reads, or a message split
 * into several frames, is copied. Owned by one {@link IoLoop} thread.
 */
final class WebSocket {
  /** RFC 6455 §1.3: appended to the key before hashing. */
  static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
  static final int TEXT = 1;
  static final int BINARY = 2;
  static final int CLOSE = 8;
  static final int PING = 9;
  static final int PONG = 10;
  /** Longest client frame header: 2 bytes, 8 of length, 4 of mask. */
  static final int MAX_HEADER = 14;
  /** Longest control frame a client sends: a pong echoes at most 125 bytes. */
  static final int MAX_CONTROL = 125 + MAX_HEADER;
  /** Longest message kept; a longer one breaks the connection (akka-chat sends short lines). */
  static final int MAX_MESSAGE = 16 << 20;
  private static final int MAX_RESPONSE = 16 * 1024;
  private static final byte[] END_OF_HEADER = {'\r', '\n', '\r', '\n'};

  /** What the connection's frames become. */
  interface Handler {
    /** The server has accepted the upgrade: the chat protocol begins. */
    void upgraded(Client c);

    /** One text message: one line, without a line break. */
    void line(Client c, byte[] b, int off, int len);

    /** A ping, which must be answered with a pong carrying the same payload. */
    void ping(Client c, byte[] b, int off, int len);

    /** The server closed the WebSocket ({@code code} -1 if it gave none). */
    void closed(Client c, int code, String reason);

    /** The upgrade was refused or the server broke the protocol; nothing more is read. */
    void broken(Client c, String reason);
  }

  private final String expectedAccept;
  private boolean upgraded;
  private boolean finished;
  private byte[] response = new byte[256];
  private int responseLen;

  /** A frame begun in one read and not yet whole: its bytes so far. */
  private byte[] partial = new byte[64];
  private int partialLen;
  /** A fragmented message so far, and the opcode of its first frame (0 = none under way). */
  private byte[] message = new byte[64];
  private int messageLen;
  private int messageOpcode;

  WebSocket(String key) {
    this.expectedAccept = acceptKey(key);
  }

  /** A fresh Sec-WebSocket-Key: 16 random bytes in Base64. */
  static String newKey() {
    byte[] nonce = new byte[16];
    ThreadLocalRandom.current().nextBytes(nonce);
    return Base64.getEncoder().encodeToString(nonce);
  }

  /** RFC 6455 §4.2.2: Base64 of the SHA-1 of the key followed by the GUID. */
  static String acceptKey(String key) {
    try {
      byte[] sha1 = MessageDigest.getInstance("SHA-1")
          .digest((key + GUID).getBytes(StandardCharsets.US_ASCII));
      return Base64.getEncoder().encodeToString(sha1);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("no SHA-1 in this JVM", e);
    }
  }

  /** The HTTP/1.1 upgrade request for {@code path} at {@code host:port}. */
  static byte[] upgradeRequest(String host, int port, String path, String key) {
    String hostHeader = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
    return ("GET " + path + " HTTP/1.1\r\n"
        + "Host: " + hostHeader + ":" + port + "\r\n"
        + "Upgrade: websocket\r\n"
        + "Connection: Upgrade\r\n"
        + "Sec-WebSocket-Key: " + key + "\r\n"
        + "Sec-WebSocket-Version: 13\r\n"
        + "\r\n").getBytes(StandardCharsets.US_ASCII);
  }

  boolean upgraded() {
    return upgraded;
  }

  /**
   * Takes what one read returned: first the upgrade response, then frames. Calls the handler
   * for each message, in order; stops at a close or a broken frame.
   */
  void feed(Client c, byte[] data, int off, int len, Handler h) {
    int end = off + len;
    int i = off;
    if (!upgraded) {
      i = readResponse(c, data, off, end, h);
      if (i < 0) {
        return;
      }
    }
    if (partialLen > 0 && i < end) {
      i = completePartial(c, data, i, end, h);
    }
    while (i < end && !finished) {
      int frameEnd = frameEnd(data, i, end);
      if (frameEnd < 0 || frameEnd > end) {
        if (!checkLength(c, data, i, end, h)) {
          return;
        }
        keepPartial(data, i, end - i);
        return;
      }
      frame(c, data, i, frameEnd, h);
      i = frameEnd;
    }
  }

  /** Reads the response up to its blank line; the index after it, or -1 if not there yet. */
  private int readResponse(Client c, byte[] data, int off, int end, Handler h) {
    if (finished) {
      return -1;
    }
    int from = Math.max(0, responseLen - 3);
    int take = Math.min(end - off, MAX_RESPONSE - responseLen);
    if (responseLen + take > response.length) {
      response = java.util.Arrays.copyOf(response,
          Math.max(response.length * 2, responseLen + take));
    }
    System.arraycopy(data, off, response, responseLen, take);
    responseLen += take;
    int blank = indexOf(response, from, responseLen, END_OF_HEADER);
    if (blank < 0) {
      if (responseLen >= MAX_RESPONSE) {
        fail(c, h, "upgrade response longer than " + MAX_RESPONSE + " bytes");
      }
      return -1;
    }
    int headerEnd = blank + END_OF_HEADER.length;
    String problem = checkResponse(new String(response, 0, blank, StandardCharsets.ISO_8859_1));
    if (problem != null) {
      fail(c, h, problem);
      return -1;
    }
    upgraded = true;
    int consumedBefore = responseLen - take;
    response = null;
    h.upgraded(c);
    return finished ? -1 : off + (headerEnd - consumedBefore);
  }

  /** What is wrong with the upgrade response (status line and headers), or null. */
  String checkResponse(String head) {
    String[] lines = head.split("\r\n");
    String status = lines[0];
    String[] parts = status.split(" ", 3);
    if (parts.length < 2 || !parts[0].startsWith("HTTP/1.") || !parts[1].equals("101")) {
      return "upgrade refused: " + status;
    }
    String upgrade = null;
    String connection = null;
    String accept = null;
    for (int k = 1; k < lines.length; k++) {
      int colon = lines[k].indexOf(':');
      if (colon <= 0) {
        continue;
      }
      String name = lines[k].substring(0, colon).trim().toLowerCase(Locale.ROOT);
      String value = lines[k].substring(colon + 1).trim();
      switch (name) {
        case "upgrade" -> upgrade = value;
        case "connection" -> connection = value;
        case "sec-websocket-accept" -> accept = value;
        default -> { }
      }
    }
    if (upgrade == null || !upgrade.equalsIgnoreCase("websocket")) {
      return "101 without Upgrade: websocket";
    }
    if (connection == null || !connection.toLowerCase(Locale.ROOT).contains("upgrade")) {
      return "101 without Connection: Upgrade";
    }
    if (!expectedAccept.equals(accept)) {
      return "wrong Sec-WebSocket-Accept: " + accept + ", expected " + expectedAccept;
    }
    return null;
  }

  /**
   * Where the frame starting at {@code b[i]} ends, or -1 if its header is not all in
   * {@code b[i, end)} yet or its length is more than we keep.
   */
  private int frameEnd(byte[] b, int i, int end) {
    if (end - i < 2) {
      return -1;
    }
    int len7 = b[i + 1] & 0x7f;
    int header = headerLength(b[i + 1]);
    if (end - i < header) {
      return -1;
    }
    long length = payloadLength(b, i, len7);
    if (length < 0 || length > MAX_MESSAGE) {
      return -1;
    }
    return i + header + (int) length;
  }

  /** False (and the handler told) if the frame at {@code b[i]} is longer than we keep. */
  private boolean checkLength(Client c, byte[] b, int i, int end, Handler h) {
    if (end - i < 2 || end - i < headerLength(b[i + 1])) {
      return true;
    }
    long length = payloadLength(b, i, b[i + 1] & 0x7f);
    if (length < 0 || length > MAX_MESSAGE) {
      fail(c, h, "frame of " + length + " bytes");
      return false;
    }
    return true;
  }

  private static int headerLength(byte second) {
    int len7 = second & 0x7f;
    int header = len7 == 126 ? 4 : len7 == 127 ? 10 : 2;
    return (second & 0x80) != 0 ? header + 4 : header;
  }

  private static long payloadLength(byte[] b, int i, int len7) {
    if (len7 < 126) {
      return len7;
    }
    if (len7 == 126) {
      return ((b[i + 2] & 0xff) << 8) | (b[i + 3] & 0xff);
    }
    long v = 0;
    for (int k = 0; k < 8; k++) {
      v = (v << 8) | (b[i + 2 + k] & 0xff);
    }
    return v;
  }

  /** Adds to the frame begun in an earlier read; the index in {@code data} after what it took. */
  private int completePartial(Client c, byte[] data, int i, int end, Handler h) {
    while (i < end) {
      int need;
      if (partialLen < 2) {
        need = 2 - partialLen;
      } else if (partialLen < headerLength(partial[1])) {
        need = headerLength(partial[1]) - partialLen;
      } else {
        long length = payloadLength(partial, 0, partial[1] & 0x7f);
        need = (int) (headerLength(partial[1]) + length - partialLen);
      }
      int take = Math.min(need, end - i);
      keepPartial(data, i, take);
      i += take;
      if (take == need && partialLen >= 2 && partialLen >= headerLength(partial[1])) {
        if (!checkLength(c, partial, 0, partialLen, h)) {
          return end;
        }
        int frameEnd = frameEnd(partial, 0, partialLen);
        if (frameEnd == partialLen) {
          partialLen = 0;
          frame(c, partial, 0, frameEnd, h);
          return i;
        }
      }
    }
    return i;
  }

  private void keepPartial(byte[] data, int from, int n) {
    if (partialLen + n > partial.length) {
      partial = java.util.Arrays.copyOf(partial, Math.max(partial.length * 2, partialLen + n));
    }
    System.arraycopy(data, from, partial, partialLen, n);
    partialLen += n;
  }

  /** One whole frame, {@code b[i, frameEnd)}. */
  private void frame(Client c, byte[] b, int i, int frameEnd, Handler h) {
    int first = b[i] & 0xff;
    boolean fin = (first & 0x80) != 0;
    int opcode = first & 0x0f;
    if ((first & 0x70) != 0) {
      fail(c, h, "frame with reserved bits set");
      return;
    }
    if ((b[i + 1] & 0x80) != 0) {
      fail(c, h, "masked frame from the server");
      return;
    }
    int payload = i + headerLength(b[i + 1]);
    int len = frameEnd - payload;
    if (opcode >= 8) {
      if (!fin || len > 125) {
        fail(c, h, "control frame fragmented or longer than 125 bytes");
        return;
      }
      control(c, opcode, b, payload, len, h);
      return;
    }
    if (opcode == 0) {
      if (messageOpcode == 0) {
        fail(c, h, "continuation frame with no message under way");
        return;
      }
      appendMessage(c, b, payload, len, h);
      if (fin && !finished) {
        int op = messageOpcode;
        int n = messageLen;
        messageOpcode = 0;
        messageLen = 0;
        deliver(c, op, message, 0, n, h);
      }
      return;
    }
    if (opcode != TEXT && opcode != BINARY) {
      fail(c, h, "frame with unknown opcode " + opcode);
      return;
    }
    if (messageOpcode != 0) {
      fail(c, h, "new message before the last one's final frame");
      return;
    }
    if (fin) {
      deliver(c, opcode, b, payload, len, h);
    } else {
      messageOpcode = opcode;
      messageLen = 0;
      appendMessage(c, b, payload, len, h);
    }
  }

  private void appendMessage(Client c, byte[] b, int from, int n, Handler h) {
    if (messageLen + n > MAX_MESSAGE) {
      fail(c, h, "message longer than " + MAX_MESSAGE + " bytes");
      return;
    }
    if (messageLen + n > message.length) {
      message = java.util.Arrays.copyOf(message, Math.max(message.length * 2, messageLen + n));
    }
    System.arraycopy(b, from, message, messageLen, n);
    messageLen += n;
  }

  private void deliver(Client c, int opcode, byte[] b, int off, int len, Handler h) {
    if (opcode == TEXT) {
      h.line(c, b, off, len);
    }
    // akka-chat sends no binary frames; one would carry no line, so it is left out.
  }

  private void control(Client c, int opcode, byte[] b, int off, int len, Handler h) {
    if (opcode == PING) {
      h.ping(c, b, off, len);
    } else if (opcode == CLOSE) {
      finished = true;
      int code = len >= 2 ? ((b[off] & 0xff) << 8) | (b[off + 1] & 0xff) : -1;
      String reason = len > 2 ? new String(b, off + 2, len - 2, StandardCharsets.UTF_8) : "";
      h.closed(c, code, reason);
    } else if (opcode != PONG) {
      fail(c, h, "frame with unknown opcode " + opcode);
    }
  }

  private void fail(Client c, Handler h, String reason) {
    finished = true;
    h.broken(c, reason);
  }

  /**
   * Writes one client frame: FIN, {@code opcode}, the mask bit and the shortest length form,
   * a fresh random mask, then {@code p[off, off + len)} masked with it. {@code out} must have
   * room for {@code len + MAX_HEADER} bytes.
   */
  static void putFrame(ByteBuffer out, int opcode, byte[] p, int off, int len) {
    putFrame(out, opcode, p, off, len, ThreadLocalRandom.current().nextInt());
  }

  /** {@link #putFrame} with a given mask, for tests. */
  static void putFrame(ByteBuffer out, int opcode, byte[] p, int off, int len, int mask) {
    out.put((byte) (0x80 | opcode));
    if (len < 126) {
      out.put((byte) (0x80 | len));
    } else if (len <= 0xffff) {
      out.put((byte) (0x80 | 126)).putShort((short) len);
    } else {
      out.put((byte) (0x80 | 127)).putLong(len);
    }
    out.putInt(mask);
    byte m0 = (byte) (mask >>> 24);
    byte m1 = (byte) (mask >>> 16);
    byte m2 = (byte) (mask >>> 8);
    byte m3 = (byte) mask;
    int k = 0;
    for (; k + 4 <= len; k += 4) {
      out.put((byte) (p[off + k] ^ m0)).put((byte) (p[off + k + 1] ^ m1))
          .put((byte) (p[off + k + 2] ^ m2)).put((byte) (p[off + k + 3] ^ m3));
    }
    for (; k < len; k++) {
      int s = 24 - 8 * (k & 3);
      out.put((byte) (p[off + k] ^ (mask >>> s)));
    }
  }

  /** A whole client frame in a buffer of its own (login lines, pongs, the close). */
  static ByteBuffer frame(int opcode, byte[] p) {
    ByteBuffer b = ByteBuffer.allocate(p.length + MAX_HEADER);
    putFrame(b, opcode, p, 0, p.length);
    return b.flip();
  }

  private static int indexOf(byte[] b, int from, int end, byte[] what) {
    for (int i = Math.max(0, from); i + what.length <= end; i++) {
      int k = 0;
      while (k < what.length && b[i + k] == what[k]) {
        k++;
      }
      if (k == what.length) {
        return i;
      }
    }
    return -1;
  }
}
