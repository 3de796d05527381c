package akkachat.server;

import akka.NotUsed;
import akka.actor.typed.ActorRef;
import akka.http.javadsl.model.ws.Message;
import akka.http.javadsl.model.ws.TextMessage;
import akka.japi.Pair;
import akka.stream.KillSwitches;
import akka.stream.Materializer;
import akka.stream.ThrottleMode;
import akka.stream.UniqueKillSwitch;
import akka.stream.javadsl.BidiFlow;
import akka.stream.javadsl.Flow;
import akka.stream.javadsl.Keep;
import akka.stream.javadsl.Sink;
import akka.stream.javadsl.Source;
import akka.stream.typed.javadsl.ActorSink;
import akka.util.ByteString;
import akkachat.config.ChatSettings;
import akkachat.protocol.Input;
import akkachat.protocol.Sanitizer;
import akkachat.session.Outbound;
import akkachat.session.Session;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The stream of one WebSocket connection, the browser's transport: the same {@link Session} at
 * its end as a TCP connection's, with the same rate limit, outbound queue and slow-reader rule.
 * Each text frame from the client is one line (a line break at its end is dropped); one longer
 * than {@code max-line-bytes}, or a binary frame, is a too-long line, as on TCP. Each line the
 * server sends is a text frame of its own, without its line break; a prompt is a frame too.
 *
 * <p>Built once per listener, like {@link ConnectionFlow}; only the sink into the session is
 * made per connection.
 */
final class WebSocketFlow {

  private final Flow<Message, Input, NotUsed> decode;
  private final Source<Message, Outbound> out;

  WebSocketFlow(ChatSettings settings, Materializer materializer) {
    int maxBytes = settings.maxLineBytes();
    this.decode = Flow.<Message>create()
        .mapAsync(1, m -> toInput(m, maxBytes, materializer))
        .via(CountInput.INSTANCE)
        .throttle(settings.rateLimit(), Duration.ofSeconds(1), settings.rateLimit(),
            ThrottleMode.shaping());
    this.out = Source.fromGraph(new OutboundQueue(settings.sendQueueLimit(),
            settings.slowReaderTimeout(), settings.sendQueueMaxBytes(), 0))
        .mapConcat(WebSocketFlow::frames);
  }

  /** The whole connection between the browser's messages and {@code session}. */
  Flow<Message, Message, ConnectionFlow.Handles> forSession(ActorRef<Session.Command> session) {
    Flow<Message, Message, Outbound> lines = Flow.fromSinkAndSourceMat(
        decode.to(ActorSink.<Input, Session.Command, Session.Ack>actorRefWithBackpressure(
            session, Session.FromClient::new, Session.StreamStarted::new, Session.Ack.INSTANCE,
            new Session.StreamEnded(), Session.StreamFailed::new)),
        out, Keep.right());
    BidiFlow<Message, Message, Message, Message, UniqueKillSwitch> killSwitch =
        BidiFlow.fromGraph(KillSwitches.singleBidi());
    return killSwitch.join(lines, Pair::create)
        .watchTermination((p, closed) -> new ConnectionFlow.Handles(p.second(), p.first(), closed));
  }

  /** A connection turned away: {@code line} as its only frame, then the close. */
  static Flow<Message, Message, NotUsed> refusal(ByteString line) {
    return Flow.fromSinkAndSourceCoupled(Sink.ignore(), Source.from(frames(line)));
  }

  /** One client message as a line. A streamed one is read to its end, keeping what fits. */
  static CompletionStage<Input> toInput(Message message, int maxBytes, Materializer materializer) {
    if (message.isText()) {
      TextMessage text = message.asTextMessage();
      if (text.isStrict()) {
        return CompletableFuture.completedFuture(line(text.getStrictText(), maxBytes));
      }
      return text.getStreamedText()
          .runFold(new StringBuilder(), (b, part) -> b.length() > maxBytes ? b : b.append(part),
              materializer)
          .thenApply(b -> line(b.toString(), maxBytes));
    }
    if (message.asBinaryMessage().isStrict()) {
      return CompletableFuture.completedFuture(new Input.TooLong());
    }
    return message.asBinaryMessage().getStreamedData().runWith(Sink.ignore(), materializer)
        .thenApply(done -> new Input.TooLong());
  }

  /** A text frame's line: one line break at its end dropped, as on TCP. */
  static Input line(String text, int maxBytes) {
    String line = text.endsWith("\r\n") ? text.substring(0, text.length() - 2)
        : text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
    if (utf8Length(line, maxBytes) > maxBytes) {
      return new Input.TooLong();
    }
    return new Input.Line(Sanitizer.clean(line));
  }

  /** The UTF-8 length of {@code s}, counted only up to just past {@code max}. */
  private static int utf8Length(String s, int max) {
    int bytes = 0;
    for (int i = 0; i < s.length() && bytes <= max; i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        bytes += 1;
      } else if (c < 0x800) {
        bytes += 2;
      } else if (Character.isHighSurrogate(c)) {
        bytes += 4;
        i++;
      } else {
        bytes += 3;
      }
    }
    return bytes;
  }

  /**
   * The frames of what the session handed over at once: each line without its line break; a
   * prompt (no line break at its end) is a frame of its own.
   */
  static List<Message> frames(ByteString lines) {
    List<Message> frames = new ArrayList<>(1);
    int start = 0;
    int newline;
    while ((newline = lines.indexOf((byte) '\n', start)) >= 0) {
      int end = newline > start && lines.apply(newline - 1) == '\r' ? newline - 1 : newline;
      frames.add(TextMessage.create(lines.slice(start, end).utf8String()));
      start = newline + 1;
    }
    if (start < lines.size()) {
      frames.add(TextMessage.create(lines.drop(start).utf8String()));
    }
    return frames;
  }
}
