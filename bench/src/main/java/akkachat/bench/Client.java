package akkachat.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.Map;

/**
 * One bench connection: its place in the plan, its login progress, what it has seen of each
 * sender (readers) and what it has sent (senders). Owned by one {@link IoLoop}; read by the
 * coordinating thread only after that loop has ended.
 */
final class Client {
  enum State { WAITING, CONNECTING, UPGRADING, PROMPT, WELCOME, JOINING, READY, CLOSED, FAILED }

  private static final int MAX_LINE = 16 << 20;
  /** A non-reader's receive buffer: small, so the server's queue fills, not the kernel's. */
  static final int NON_READER_BUFFER = 4096;
  private static final Map<State, String> WAITING_FOR = Map.of(
      State.WAITING, "never connected", State.CONNECTING, "connecting",
      State.UPGRADING, "no WebSocket upgrade (101)",
      State.PROMPT, "no username prompt", State.WELCOME, "no welcome line",
      State.JOINING, "not in its room");

  final int index;
  final int room;
  final boolean sender;
  final boolean nonReader;
  final String name;

  /** The name the server calls this client by when it picks one itself (gochat: the address). */
  String alias;
  SocketChannel channel;
  /** The WebSocket over the channel (--transport ws), or null for plain lines over TCP. */
  WebSocket ws;
  SelectionKey key;
  State state = State.WAITING;
  long connectStart;
  boolean readyAtStart;
  boolean closedInRun;
  String failure;
  /** The last line seen while logging in, to explain a login that never finished. */
  String lastLoginLine;
  SeqTracker tracker;
  /** Bench lines this client has received. */
  long delivered;

  /**
   * Sender side: what goes before each line (see {@link Dialect#linePrefix}), last sequence
   * number handed out, own lines seen back, next due time.
   */
  byte[] linePrefix;
  long seq;
  long echoed;
  long nextDue;
  boolean done;
  ByteBuffer out;
  boolean wantsWrite;

  private byte[] carry = new byte[64];
  private int carryLen;
  private boolean overlong;

  Client(Plan plan, int index) {
    this.index = index;
    this.room = plan.roomOf(index);
    this.sender = plan.isSender(index);
    this.nonReader = plan.isNonReader(index);
    this.name = plan.name(index);
  }

  /**
   * Opens the channel, bound to this client's source address if there is one, and starts to
   * connect; true if the connection is already made.
   */
  boolean open(Plan plan) throws IOException {
    channel = SocketChannel.open();
    channel.configureBlocking(false);
    channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
    if (nonReader) {
      channel.setOption(StandardSocketOptions.SO_RCVBUF, NON_READER_BUFFER);
    }
    InetAddress source = plan.source(index);
    if (source != null) {
      channel.bind(new InetSocketAddress(source, 0));
    }
    return channel.connect(plan.server(index));
  }

  /** Closes the channel, if it was ever opened. */
  void close() {
    try {
      if (channel != null) {
        channel.close();
      }
    } catch (IOException e) {
      // closing is all we wanted
    }
  }

  /** How far a login that never finished got, for the failure message. */
  String loginProgress() {
    String waiting = WAITING_FOR.getOrDefault(state, state.toString());
    return lastLoginLine == null ? waiting : waiting + "; last line: " + lastLoginLine;
  }

  /**
   * For a non-reader at the end: reads what is pending (up to 256 MB) to see whether the
   * server has closed the connection.
   */
  boolean closedByServer(ByteBuffer scratch) {
    try {
      long budget = 256L << 20;
      int n;
      do {
        scratch.clear();
        n = channel.read(scratch);
        budget -= Math.max(0, n);
      } while (n > 0 && budget > 0);
      return n < 0;
    } catch (IOException e) {
      return true;
    }
  }

  boolean loggingIn() {
    return state == State.CONNECTING || state == State.UPGRADING || state == State.PROMPT
        || state == State.WELCOME || state == State.JOINING;
  }

  /** Receives what a read returned; calls {@code sink} once per complete line. */
  void feed(byte[] data, int length, LineSink sink) {
    int start = 0;
    for (int i = 0; i < length; i++) {
      if (data[i] != '\n') {
        continue;
      }
      if (carryLen == 0 && !overlong) {
        sink.line(this, data, start, trimCr(data, start, i) - start);
      } else {
        append(data, start, i - start);
        if (!overlong) {
          sink.line(this, carry, 0, trimCr(carry, 0, carryLen));
        }
        carryLen = 0;
        overlong = false;
      }
      start = i + 1;
    }
    append(data, start, length - start);
  }

  /**
   * Whether the unfinished line so far is {@code prompt}, which has no line break; if so it is
   * consumed, so that the server's next line starts afresh.
   */
  boolean takePrompt(byte[] prompt) {
    if (prompt == null || carryLen != prompt.length) {
      return false;
    }
    for (int i = 0; i < carryLen; i++) {
      if (carry[i] != prompt[i]) {
        return false;
      }
    }
    carryLen = 0;
    return true;
  }

  private void append(byte[] data, int from, int n) {
    if (n == 0 || overlong) {
      return;
    }
    if (carryLen + n > MAX_LINE) {
      overlong = true;
      carryLen = 0;
      return;
    }
    if (carryLen + n > carry.length) {
      carry = java.util.Arrays.copyOf(carry, Math.max(carry.length * 2, carryLen + n));
    }
    System.arraycopy(data, from, carry, carryLen, n);
    carryLen += n;
  }

  private static int trimCr(byte[] b, int from, int end) {
    return end > from && b[end - 1] == '\r' ? end - 1 : end;
  }

  /** Where complete lines go. */
  @FunctionalInterface
  interface LineSink {
    void line(Client client, byte[] bytes, int offset, int length);
  }
}
