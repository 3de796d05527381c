package akkachat.server;

import akka.Done;
import akka.NotUsed;
import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.io.TcpSO;
import akka.japi.Pair;
import akka.stream.Attributes;
import akka.stream.KillSwitches;
import akka.stream.Materializer;
import akka.stream.ThrottleMode;
import akka.stream.UniqueKillSwitch;
import akka.stream.javadsl.BidiFlow;
import akka.stream.javadsl.Flow;
import akka.stream.javadsl.Keep;
import akka.stream.javadsl.Sink;
import akka.stream.javadsl.Source;
import akka.stream.javadsl.Tcp;
import akka.stream.scaladsl.TcpAttributes;
import akka.stream.typed.javadsl.ActorSink;
import akka.util.ByteString;
import akkachat.config.ChatSettings;
import akkachat.ops.Traffic;
import akkachat.protocol.Input;
import akkachat.session.Outbound;
import akkachat.session.Session;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * The stream of one client connection, the same on the plain and the TLS port: client bytes to
 * lines to the session (with backpressure); session lines to the client through a bounded
 * queue that closes a slow reader ({@link OutboundQueue}), drained in writes of up to 64 KiB
 * (the socket's stage gathers lines while a write is under way). On the socket side, TLS (if
 * any) and a kill switch that cuts a connection its session has given up on.
 *
 * <p>One instance per listener, built once: a stage keeps its own blueprint for as long as its
 * running logic lives, so stages built per connection would cost every idle connection a copy
 * of the blueprint. Only the sink into the session is made per connection.
 */
final class ConnectionFlow {

  /** What a running connection gives the server: its outbound queue, its switch, its end. */
  record Handles(Outbound out, UniqueKillSwitch killSwitch, CompletionStage<Done> closed) {

    /** Cuts the connection at once, in both directions: its session has ended long ago. */
    void abort() {
      killSwitch.abort(new ConnectionAborted());
    }
  }

  /**
   * The kernel's send buffer of each client socket, fixed instead of grown by the kernel (up
   * to 4 MB each on Linux): ample for chat, and a client that stops reading fills it within
   * seconds, so its queue, not the kernel, holds what waits for it, and judges it.
   */
  private static final int SEND_BUFFER_BYTES = 64 * 1024;


  /** Lines waiting for one client are written together, up to this many bytes at a time. */
  private static final Attributes WRITE_BATCH = TcpAttributes.tcpWriteBufferSize(64 * 1024);

  private final BidiFlow<ByteString, ByteString, ByteString, ByteString, NotUsed> security;
  private final Flow<ByteString, Input, NotUsed> decode;
  private final Source<ByteString, Outbound> out;
  private final BidiFlow<ByteString, ByteString, ByteString, ByteString, UniqueKillSwitch>
      socketSide;

  /**
   * {@code security} is what runs between the socket and the line flow: {@link ServerTls#layer}
   * or nothing. All of it runs in one fused stream with the socket, apart from TLS itself.
   */
  ConnectionFlow(ChatSettings settings,
      Optional<BidiFlow<ByteString, ByteString, ByteString, ByteString, NotUsed>> security) {
    this.security = security.orElse(BidiFlow.identity());
    this.decode = LineCodec.flow(settings.maxLineBytes()).via(CountInput.INSTANCE)
        .throttle(settings.rateLimit(), Duration.ofSeconds(1), settings.rateLimit(),
            ThrottleMode.shaping());
    this.out = Source.fromGraph(new OutboundQueue(settings.sendQueueLimit(),
        settings.slowReaderTimeout(), settings.sendQueueMaxBytes()));
    BidiFlow<ByteString, ByteString, ByteString, ByteString, UniqueKillSwitch> killSwitch =
        BidiFlow.fromGraph(KillSwitches.singleBidi());
    this.socketSide = security.map(s -> killSwitch.atop(s, Keep.left())).orElse(killSwitch);
  }

  /** The connections accepted on {@code host:port}, once bound. */
  static Source<Tcp.IncomingConnection, CompletionStage<Tcp.ServerBinding>> listen(
      ActorSystem<?> system, String host, int port) {
    return Tcp.get(system).bind(host, port, 1024,
        List.of(TcpSO.keepAlive(true), TcpSO.sendBufferSize(SEND_BUFFER_BYTES)), true,
        Optional.empty());
  }

  /**
   * Runs {@code connection} with {@code session} at its other end; its lines in and out are
   * counted in {@code tally}.
   */
  Handles run(Tcp.IncomingConnection connection, ActorRef<Session.Command> session,
      Traffic.Tally tally, Materializer materializer) {
    return connection.flow().addAttributes(WRITE_BATCH)
        .joinMat(forSession(session).addAttributes(Attributes.apply(tally)), Keep.right())
        .run(materializer);
  }

  /**
   * Writes {@code line} to a connection that is not let in and closes it, through TLS on the
   * TLS port; cut after {@code grace} if the peer does not take it.
   */
  void refuse(Tcp.IncomingConnection connection, ByteString line, Duration grace,
      Materializer materializer) {
    connection.handleWith(security
        .join(Flow.fromSinkAndSourceCoupled(Sink.ignore(), Source.single(line)))
        .completionTimeout(grace), materializer);
  }

  /** The whole connection between the socket and {@code session}. */
  private Flow<ByteString, ByteString, Handles> forSession(ActorRef<Session.Command> session) {
    Flow<ByteString, ByteString, Outbound> lines = Flow.fromSinkAndSourceMat(
        decode.to(ActorSink.<Input, Session.Command, Session.Ack>actorRefWithBackpressure(
            session, Session.FromClient::new, Session.StreamStarted::new, Session.Ack.INSTANCE,
            new Session.StreamEnded(), Session.StreamFailed::new)),
        out, Keep.right());
    return socketSide.join(lines, Pair::create)
        .watchTermination((p, closed) -> new Handles(p.second(), p.first(), closed));
  }

  /** Why a connection was cut: no stack trace, it is expected. */
  private static final class ConnectionAborted extends RuntimeException {
    ConnectionAborted() {
      super("still open after its session ended", null, false, false);
    }
  }
}
