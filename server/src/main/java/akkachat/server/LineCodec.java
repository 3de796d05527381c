package akkachat.server;

import akka.NotUsed;
import akka.stream.Attributes;
import akka.stream.FlowShape;
import akka.stream.Inlet;
import akka.stream.Outlet;
import akka.stream.javadsl.Flow;
import akka.stream.stage.AbstractInHandler;
import akka.stream.stage.AbstractOutHandler;
import akka.stream.stage.GraphStage;
import akka.stream.stage.GraphStageLogic;
import akka.util.ByteString;
import akkachat.protocol.Input;
import akkachat.protocol.Sanitizer;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * Bytes from a client to lines (PROTOCOL.md section 5): splits on LF, drops CR, removes telnet
 * negotiation (IAC ...), holds at most {@code maxLineBytes} of a line and turns a longer one into
 * one {@link Input.TooLong}, decodes UTF-8 (invalid bytes become U+FFFD; a character split across
 * reads is decoded whole because lines are cut on bytes first) and removes control characters.
 */
public final class LineCodec extends GraphStage<FlowShape<ByteString, Input>> {

  private static final byte LF = 0x0A;
  private static final byte CR = 0x0D;
  private static final int IAC = 255;
  private static final int SB = 250;
  private static final int SE = 240;
  private static final int WILL = 251;
  /** A line's buffer starts this small and doubles as needed: most connections sit idle. */
  private static final int INITIAL_LINE_BYTES = 64;
  /** A buffer grown past this by a long line is given back once the line is done. */
  private static final int KEPT_LINE_BYTES = 1024;

  private enum Telnet { DATA, IAC, OPTION, SUB, SUB_IAC }

  private final int maxLineBytes;
  private final Inlet<ByteString> in = Inlet.create("LineCodec.in");
  private final Outlet<Input> out = Outlet.create("LineCodec.out");
  private final FlowShape<ByteString, Input> shape = FlowShape.of(in, out);

  private LineCodec(int maxLineBytes) {
    this.maxLineBytes = maxLineBytes;
  }

  public static Flow<ByteString, Input, NotUsed> flow(int maxLineBytes) {
    return Flow.fromGraph(new LineCodec(maxLineBytes));
  }

  @Override
  public FlowShape<ByteString, Input> shape() {
    return shape;
  }

  @Override
  public GraphStageLogic createLogic(Attributes inheritedAttributes) {
    return new GraphStageLogic(shape) {
      private byte[] line = new byte[Math.min(INITIAL_LINE_BYTES, maxLineBytes)];
      private int length;
      private boolean overflow;
      private Telnet telnet = Telnet.DATA;
      // Lines cut from one chunk; bounded by the chunk's size.
      private final ArrayDeque<Input> ready = new ArrayDeque<>(3);

      {
        setHandler(in, new AbstractInHandler() {
          @Override
          public void onPush() {
            for (ByteBuffer buffer : grab(in).getByteBuffers()) {
              while (buffer.hasRemaining()) {
                accept(buffer.get());
              }
            }
            deliver();
          }

          @Override
          public void onUpstreamFinish() {
            if (overflow) {
              ready.add(new Input.TooLong());
            } else if (length > 0) {
              ready.add(decode());
            }
            length = 0;
            if (!ready.isEmpty()) {
              emitMultiple(out, new ArrayDeque<>(ready).iterator());
              ready.clear();
            }
            complete(out); // waits for the lines still being emitted
          }
        });
        setHandler(out, new AbstractOutHandler() {
          @Override
          public void onPull() {
            deliver();
          }
        });
      }

      private void deliver() {
        if (isAvailable(out) && !ready.isEmpty()) {
          push(out, ready.poll());
        }
        if (ready.isEmpty() && !hasBeenPulled(in) && !isClosed(in)) {
          pull(in);
        }
      }

      private void accept(byte b) {
        int u = b & 0xFF;
        switch (telnet) {
          case DATA -> {
            if (u == IAC) {
              telnet = Telnet.IAC;
            } else {
              data(b);
            }
          }
          case IAC -> {
            if (u == SB) {
              telnet = Telnet.SUB;
            } else if (u >= WILL && u < IAC) {
              telnet = Telnet.OPTION;
            } else {
              telnet = Telnet.DATA; // IAC IAC, or a two-byte command: both dropped
            }
          }
          case OPTION -> telnet = Telnet.DATA;
          case SUB -> {
            if (u == IAC) {
              telnet = Telnet.SUB_IAC;
            }
          }
          case SUB_IAC -> telnet = u == SE ? Telnet.DATA : Telnet.SUB;
          default -> throw new IllegalStateException();
        }
      }

      private void data(byte b) {
        if (b == LF) {
          ready.add(overflow ? new Input.TooLong() : decode());
          overflow = false;
          length = 0;
          if (line.length > KEPT_LINE_BYTES) {
            line = new byte[INITIAL_LINE_BYTES]; // give back the memory the long line took
          }
        } else if (b == CR || overflow) {
          // CR is part of a line break or stray; bytes of an overlong line are discarded
        } else if (length == maxLineBytes) {
          overflow = true;
          length = 0;
          if (line.length > KEPT_LINE_BYTES) {
            line = new byte[INITIAL_LINE_BYTES]; // give back the memory the long line took
          }
        } else {
          if (length == line.length) {
            line = Arrays.copyOf(line, Math.min(maxLineBytes, line.length * 2));
          }
          line[length++] = b;
        }
      }

      private Input decode() {
        return new Input.Line(Sanitizer.clean(new String(line, 0, length, StandardCharsets.UTF_8)));
      }
    };
  }
}
