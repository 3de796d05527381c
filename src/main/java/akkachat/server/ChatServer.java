package akkachat.server;

import akka.Done;
import akka.NotUsed;
import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.actor.typed.javadsl.TimerScheduler;
import akka.event.Logging;
import akka.io.TcpSO;
import akka.stream.BufferOverflowException;
import akka.japi.Pair;
import akka.stream.Materializer;
import akka.stream.OverflowStrategy;
import akka.stream.ThrottleMode;
import akka.stream.javadsl.Flow;
import akka.stream.javadsl.Keep;
import akka.stream.javadsl.Sink;
import akka.stream.javadsl.Source;
import akka.stream.javadsl.Tcp;
import akka.stream.typed.javadsl.ActorSink;
import akka.stream.typed.javadsl.ActorSource;
import akka.util.ByteString;
import akkachat.config.ChatSettings;
import akkachat.protocol.Input;
import akkachat.protocol.Lines;
import akkachat.room.RoomDirectory;
import akkachat.session.Fanout;
import akkachat.session.Session;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * The TCP listener of one node: binds, enforces the connection limits, gives every accepted
 * connection a {@link Session} joined to the socket by a stream (framing and decoding in, a
 * bounded queue out), and on shutdown unbinds and lets every session say goodbye.
 */
public final class ChatServer extends AbstractBehavior<ChatServer.Command> {

  public sealed interface Command {}

  /** Replies with the bound address once listening (at once if already bound). */
  public record GetAddress(ActorRef<InetSocketAddress> replyTo) implements Command {}

  /** Stop accepting connections. */
  public record Unbind(ActorRef<Done> replyTo) implements Command {}

  /** Tell every session the server is going away; reply when their connections are closed. */
  public record CloseSessions(ActorRef<Done> replyTo) implements Command {}

  private record Bound(Tcp.ServerBinding binding) implements Command {}

  private record BindFailed(Throwable cause) implements Command {}

  private record Accepted(ActorRef<Done> ackTo, Tcp.IncomingConnection connection)
      implements Command {}

  private record AcceptStarted(ActorRef<Done> ackTo) implements Command {}

  private record AcceptEnded() implements Command {}

  private record ConnectionClosed(long id, Throwable failure) implements Command {}

  private record SessionStopped(long id) implements Command {}

  private record Unbound(ActorRef<Done> replyTo) implements Command {}

  private record Lingered() implements Command {}

  private record Connection(String who, String ip, ActorRef<ByteString> out,
      ActorRef<Session.Command> session) {}

  /** A full outbound queue fails only that connection; we log it ourselves, at INFO. */
  private static final OverflowStrategy SLOW_READER =
      OverflowStrategy.fail().withLogLevel(Logging.DebugLevel());

  /** Lines waiting for one client are written together, up to this many bytes at a time. */
  private static final long WRITE_BATCH_BYTES = 64 * 1024;

  /** Time for the last lines to reach the sockets after the queues have drained. */
  private static final Duration LINGER = Duration.ofMillis(200);

  public static Behavior<Command> create(ChatSettings settings, RoomDirectory directory,
      ActorRef<Fanout.Command> fanout) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers ->
        new ChatServer(ctx, timers, settings, directory, fanout)));
  }

  private final TimerScheduler<Command> timers;
  private final ChatSettings settings;
  private final RoomDirectory directory;
  private final ActorRef<Fanout.Command> fanout;
  private final Materializer materializer;
  private final Lines lines;
  private final Map<Long, Connection> connections = new HashMap<>();
  private final Map<String, Integer> perIp = new HashMap<>();
  private final List<ActorRef<InetSocketAddress>> waitingForAddress = new ArrayList<>();
  private final List<ActorRef<Done>> waitingForClose = new ArrayList<>();
  private Tcp.ServerBinding binding;
  private long nextId;

  private ChatServer(ActorContext<Command> context, TimerScheduler<Command> timers,
      ChatSettings settings, RoomDirectory directory, ActorRef<Fanout.Command> fanout) {
    super(context);
    this.timers = timers;
    this.settings = settings;
    this.directory = directory;
    this.fanout = fanout;
    this.materializer = Materializer.createMaterializer(context);
    this.lines = new Lines(settings.newline());
    bind();
  }

  private void bind() {
    ActorRef<Command> self = getContext().getSelf();
    CompletionStage<Tcp.ServerBinding> bound = Tcp.get(getContext().getSystem())
        .bind(settings.host(), settings.port(), 1024, List.of(TcpSO.keepAlive(true)), true,
            Optional.empty())
        .to(ActorSink.actorRefWithBackpressure(self, Accepted::new, AcceptStarted::new,
            Done.getInstance(), new AcceptEnded(), t -> new AcceptEnded()))
        .run(materializer);
    getContext().pipeToSelf(bound, (b, t) -> t == null ? new Bound(b) : new BindFailed(t));
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Bound.class, this::onBound)
        .onMessage(BindFailed.class, this::onBindFailed)
        .onMessage(GetAddress.class, this::onGetAddress)
        .onMessage(AcceptStarted.class, s -> ack(s.ackTo()))
        .onMessage(Accepted.class, this::onAccepted)
        .onMessage(AcceptEnded.class, e -> this)
        .onMessage(SessionStopped.class, this::onSessionStopped)
        .onMessage(ConnectionClosed.class, this::onConnectionClosed)
        .onMessage(Unbind.class, this::onUnbind)
        .onMessage(Unbound.class, this::onUnbound)
        .onMessage(CloseSessions.class, this::onCloseSessions)
        .onMessage(Lingered.class, this::onLingered)
        .build();
  }

  private Behavior<Command> onBound(Bound b) {
    binding = b.binding();
    InetSocketAddress address = binding.localAddress();
    getContext().getLog().info("listening on {}:{}", settings.host(), address.getPort());
    waitingForAddress.forEach(r -> r.tell(address));
    waitingForAddress.clear();
    return this;
  }

  private Behavior<Command> onBindFailed(BindFailed f) {
    getContext().getLog().error("cannot listen on {}:{}: {}", settings.host(), settings.port(),
        f.cause().getMessage());
    return Behaviors.stopped();
  }

  private Behavior<Command> onGetAddress(GetAddress get) {
    if (binding != null) {
      get.replyTo().tell(binding.localAddress());
    } else {
      waitingForAddress.add(get.replyTo());
    }
    return this;
  }

  private Behavior<Command> ack(ActorRef<Done> ackTo) {
    ackTo.tell(Done.getInstance());
    return this;
  }

  private Behavior<Command> onAccepted(Accepted accepted) {
    Tcp.IncomingConnection connection = accepted.connection();
    InetSocketAddress remote = connection.remoteAddress();
    String ip = remote.getAddress().getHostAddress();
    String who = ip + ":" + remote.getPort();
    if (!waitingForClose.isEmpty() || connections.size() >= settings.maxConnections()
        || perIp.getOrDefault(ip, 0) >= settings.maxConnectionsPerIp()) {
      getContext().getLog().info("refused {}: connection limit reached", who);
      connection.handleWith(Flow.fromSinkAndSourceCoupled(Sink.ignore(),
          Source.single(lines.encode(Lines.SERVER_FULL))), materializer);
      return ack(accepted.ackTo());
    }
    long id = nextId++;
    ActorRef<Session.Command> session = getContext().spawn(
        Session.create(settings, directory, fanout, who), "session-" + id);
    getContext().watchWith(session, new SessionStopped(id));
    Pair<ActorRef<ByteString>, CompletionStage<Done>> stream =
        connection.handleWith(connectionFlow(session), materializer);
    session.tell(new Session.Attach(stream.first()));
    getContext().pipeToSelf(stream.second(), (d, t) -> new ConnectionClosed(id, t));
    connections.put(id, new Connection(who, ip, stream.first(), session));
    perIp.merge(ip, 1, Integer::sum);
    getContext().getLog().info("connect {} as session-{}", who, id);
    return ack(accepted.ackTo());
  }

  /**
   * Client bytes to lines to the session (with backpressure); session lines to the client
   * through a queue of {@code send-queue-limit} lines, drained in writes of up to 64 KiB. All
   * of it runs in one fused stream with the socket. Materializes the queue and the completion.
   */
  private Flow<ByteString, ByteString, Pair<ActorRef<ByteString>, CompletionStage<Done>>>
      connectionFlow(ActorRef<Session.Command> session) {
    Sink<ByteString, NotUsed> in = LineCodec.flow(settings.maxLineBytes())
        .throttle(settings.rateLimit(), Duration.ofSeconds(1), settings.rateLimit(),
            ThrottleMode.shaping())
        .to(ActorSink.<Input, Session.Command, Session.Ack>actorRefWithBackpressure(session,
            Session.FromClient::new, Session.StreamStarted::new, Session.Ack.INSTANCE,
            new Session.StreamEnded(), Session.StreamFailed::new));
    Source<ByteString, Pair<ActorRef<ByteString>, CompletionStage<Done>>> out =
        ActorSource.<ByteString>actorRef(b -> b == Session.CLOSE, b -> Optional.empty(),
                settings.sendQueueLimit(), SLOW_READER)
            .batchWeighted(WRITE_BATCH_BYTES, b -> (long) b.size(), b -> b, ByteString::concat)
            .watchTermination(Pair::create);
    return Flow.fromSinkAndSourceMat(in, out, Keep.right());
  }

  private Behavior<Command> onSessionStopped(SessionStopped stopped) {
    Connection c = connections.get(stopped.id());
    if (c != null) {
      // Normally the session has completed its queue already; after a failure it could not.
      c.out().tell(Session.CLOSE);
    }
    return this;
  }

  private Behavior<Command> onConnectionClosed(ConnectionClosed closed) {
    Connection c = connections.remove(closed.id());
    if (c != null && closed.failure() instanceof BufferOverflowException) {
      getContext().getLog().info("closing {}: too slow to read ({} lines waiting)", c.who(),
          settings.sendQueueLimit());
    }
    if (c != null) {
      perIp.computeIfPresent(c.ip(), (ip, n) -> n == 1 ? null : n - 1);
    }
    if (connections.isEmpty() && !waitingForClose.isEmpty()) {
      timers.startSingleTimer(new Lingered(), LINGER);
    }
    return this;
  }

  private Behavior<Command> onUnbind(Unbind unbind) {
    if (binding == null) {
      unbind.replyTo().tell(Done.getInstance());
    } else {
      getContext().pipeToSelf(binding.unbind(), (d, t) -> new Unbound(unbind.replyTo()));
    }
    return this;
  }

  private Behavior<Command> onUnbound(Unbound unbound) {
    getContext().getLog().info("stopped listening");
    unbound.replyTo().tell(Done.getInstance());
    return this;
  }

  private Behavior<Command> onCloseSessions(CloseSessions close) {
    waitingForClose.add(close.replyTo());
    connections.values().forEach(c -> c.session().tell(new Session.Shutdown()));
    if (connections.isEmpty()) {
      timers.startSingleTimer(new Lingered(), Duration.ZERO);
    }
    return this;
  }

  private Behavior<Command> onLingered(Lingered l) {
    waitingForClose.forEach(r -> r.tell(Done.getInstance()));
    waitingForClose.clear();
    return this;
  }
}
