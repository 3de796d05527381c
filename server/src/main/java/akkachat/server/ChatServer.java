package akkachat.server;

import akka.Done;
import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.actor.typed.javadsl.TimerScheduler;
import akka.stream.BufferOverflowException;
import akka.stream.Materializer;
import akka.stream.javadsl.Tcp;
import akka.stream.typed.javadsl.ActorSink;
import akkachat.config.ChatSettings;
import akkachat.ops.NodeMetrics;
import akkachat.ops.Traffic;
import akkachat.protocol.Lines;
import akkachat.room.RoomDirectory;
import akkachat.session.Fanout;
import akkachat.session.Session;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import javax.net.ssl.SSLHandshakeException;

/**
 * The client listeners of one node, plain and (if configured) TLS: binds, enforces the
 * connection limits over both, gives every accepted connection a {@link Session} joined to the
 * socket by a {@link ConnectionFlow}, and on shutdown unbinds and lets every session say goodbye.
 */
public final class ChatServer extends AbstractBehavior<ChatServer.Command> {

  public sealed interface Command {}

  /**
   * Replies with the bound address once listening (at once if already bound): the plain port's,
   * or with {@code tls.plaintext = off} the TLS port's.
   */
  public record GetAddress(ActorRef<InetSocketAddress> replyTo) implements Command {}

  /** Replies with the TLS port's address once it is bound; never if TLS is off. */
  public record GetTlsAddress(ActorRef<InetSocketAddress> replyTo) implements Command {}

  /** Stop accepting connections. */
  public record Unbind(ActorRef<Done> replyTo) implements Command {}

  /** Tell every session the server is going away; reply when their connections are closed. */
  public record CloseSessions(ActorRef<Done> replyTo) implements Command {}

  private enum Listener {
    PLAIN(NodeMetrics.Transport.PLAIN), TLS(NodeMetrics.Transport.TLS);

    final NodeMetrics.Transport transport;

    Listener(NodeMetrics.Transport transport) {
      this.transport = transport;
    }
  }

  private record Bound(Listener listener, Tcp.ServerBinding binding) implements Command {}

  private record BindFailed(Listener listener, Throwable cause) implements Command {}

  private record Accepted(Listener listener, ActorRef<Done> ackTo,
      Tcp.IncomingConnection connection) implements Command {}

  private record AcceptStarted(ActorRef<Done> ackTo) implements Command {}

  private record AcceptEnded() implements Command {}

  private record ConnectionClosed(long id, Throwable failure) implements Command {}

  private record SessionStopped(long id) implements Command {}

  private record CloseDecided(long id) implements Command {}

  private record StillOpen(long id) implements Command {}

  private record Unbound(ActorRef<Done> replyTo) implements Command {}

  private record Lingered() implements Command {}

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
  private final Map<Listener, ConnectionFlow> flows = new EnumMap<>(Listener.class);
  private final Map<Listener, Tcp.ServerBinding> bindings = new EnumMap<>(Listener.class);
  private final Connections connections;
  private final NodeMetrics metrics;
  private final List<Command> waitingForAddress = new ArrayList<>();
  private final List<ActorRef<Done>> waitingForClose = new ArrayList<>();
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
    this.metrics = NodeMetrics.get(context.getSystem());
    this.connections = new Connections(
        FileLimit.connections(settings.maxConnections(), context.getLog()),
        settings.maxConnectionsPerIp());
    if (settings.tls().plaintext()) {
      flows.put(Listener.PLAIN, new ConnectionFlow(settings, Optional.empty()));
    }
    if (settings.tls().enabled()) {
      try {
        flows.put(Listener.TLS, new ConnectionFlow(settings,
            Optional.of(ServerTls.layer(ServerTls.context(settings.tls())))));
      } catch (IOException | GeneralSecurityException e) {
        // Checked at start-up already: the key store changed under us. The node stops.
        context.getSelf().tell(new BindFailed(Listener.TLS, e));
        return;
      }
    }
    flows.keySet().forEach(this::bind);
  }

  private void bind(Listener listener) {
    ActorRef<Command> self = getContext().getSelf();
    int port = listener == Listener.TLS ? settings.tls().port() : settings.port();
    CompletionStage<Tcp.ServerBinding> bound = ConnectionFlow
        .listen(getContext().getSystem(), settings.host(), port)
        .to(ActorSink.actorRefWithBackpressure(self,
            (ActorRef<Done> ackTo, Tcp.IncomingConnection c) -> new Accepted(listener, ackTo, c),
            AcceptStarted::new, Done.getInstance(), new AcceptEnded(), t -> new AcceptEnded()))
        .run(materializer);
    getContext().pipeToSelf(bound,
        (b, t) -> t == null ? new Bound(listener, b) : new BindFailed(listener, t));
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Bound.class, this::onBound)
        .onMessage(BindFailed.class, this::onBindFailed)
        .onMessage(GetAddress.class, this::onGetAddress)
        .onMessage(GetTlsAddress.class, this::onGetAddress)
        .onMessage(AcceptStarted.class, s -> ack(s.ackTo()))
        .onMessage(Accepted.class, this::onAccepted)
        .onMessage(AcceptEnded.class, e -> this)
        .onMessage(CloseDecided.class, d -> release(d.id()))
        .onMessage(SessionStopped.class, this::onSessionStopped)
        .onMessage(ConnectionClosed.class, this::onConnectionClosed)
        .onMessage(StillOpen.class, this::onStillOpen)
        .onMessage(Unbind.class, this::onUnbind)
        .onMessage(Unbound.class, this::onUnbound)
        .onMessage(CloseSessions.class, this::onCloseSessions)
        .onMessage(Lingered.class, this::onLingered)
        .build();
  }

  private Behavior<Command> onBound(Bound b) {
    bindings.put(b.listener(), b.binding());
    int port = b.binding().localAddress().getPort();
    if (b.listener() == Listener.TLS) {
      getContext().getLog().info("listening on {}:{} (tls)", settings.host(), port);
    } else {
      getContext().getLog().info("listening on {}:{}", settings.host(), port);
    }
    List<Command> waiting = List.copyOf(waitingForAddress);
    waitingForAddress.clear();
    waiting.forEach(this::onGetAddress);
    return this;
  }

  private Behavior<Command> onBindFailed(BindFailed f) {
    int port = f.listener() == Listener.TLS ? settings.tls().port() : settings.port();
    getContext().getLog().error("cannot listen on {}:{}: {}", settings.host(), port,
        BindFailure.reason(f.cause()));
    return Behaviors.stopped();
  }

  private Behavior<Command> onGetAddress(Command get) {
    boolean tls = get instanceof GetTlsAddress;
    Listener listener = tls || !settings.tls().plaintext() ? Listener.TLS : Listener.PLAIN;
    Tcp.ServerBinding binding = bindings.get(listener);
    if (binding == null) {
      waitingForAddress.add(get);
    } else if (get instanceof GetTlsAddress g) {
      g.replyTo().tell(binding.localAddress());
    } else if (get instanceof GetAddress g) {
      g.replyTo().tell(binding.localAddress());
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
    NodeMetrics.Refusal refusal = waitingForClose.isEmpty() ? connections.full(ip)
        : NodeMetrics.Refusal.SHUTTING_DOWN;
    if (refusal != null) {
      metrics.refused(refusal);
      getContext().getLog().info("refused {}: {}", who, switch (refusal) {
        case SHUTTING_DOWN -> "shutting down";
        case PER_ADDRESS -> "connection limit per address reached";
        default -> "connection limit reached";
      });
      flows.get(accepted.listener()).refuse(connection, lines.encode(Lines.SERVER_FULL),
          settings.shutdownGrace(), materializer);
      return ack(accepted.ackTo());
    }
    long id = nextId++;
    ActorRef<Session.Command> session = getContext().spawn(
        Session.create(settings, directory, fanout, who), "session-" + id);
    getContext().watchWith(session, new SessionStopped(id));
    Traffic.Tally tally = metrics.traffic().open();
    ConnectionFlow.Handles handles =
        flows.get(accepted.listener()).run(connection, session, tally, materializer);
    ActorRef<Command> self = getContext().getSelf();
    session.tell(new Session.Attach(
        Connections.tellingOnClose(handles.out(), self, new CloseDecided(id))));
    // Not pipeToSelf: Akka hands the stream's end over through Scala's FutureConverters, whose
    // whenComplete is whenCompleteAsync on the JDK's default executor, and with two cores or
    // fewer that executor starts a new thread for every task: one per closed connection. A tell
    // needs no thread of its own; it is done where the stream completes.
    handles.closed().whenCompleteAsync(
        (done, failure) -> self.tell(new ConnectionClosed(id, failure)), Runnable::run);
    NodeMetrics.Transport transport = accepted.listener().transport;
    connections.add(id, new Connections.Connection(who, ip, transport, handles, session, tally));
    metrics.accepted(transport);
    getContext().getLog().info("connect {} as session-{}{}", who, id,
        accepted.listener() == Listener.TLS ? " (tls)" : "");
    return ack(accepted.ackTo());
  }

  /** The session is closing its connection, or has ended: its address's place is free. */
  private Behavior<Command> release(long id) {
    connections.release(id);
    return this;
  }

  private Behavior<Command> onSessionStopped(SessionStopped stopped) {
    release(stopped.id()); // a session that failed could not close its queue itself
    Connections.Connection c = connections.get(stopped.id());
    if (c != null) {
      // Normally the session has completed its queue already; after a failure it could not.
      c.handles().out().close();
      // A TLS peer that never finishes its handshake or never answers close_notify, or any
      // peer that stops reading, would hold the socket: cut it after a grace period.
      timers.startSingleTimer(new StillOpen(stopped.id()), settings.shutdownGrace());
    }
    return this;
  }

  private Behavior<Command> onStillOpen(StillOpen still) {
    Connections.Connection c = connections.get(still.id());
    if (c != null) {
      getContext().getLog().debug("aborting {}: still open {} after its session ended", c.who(),
          settings.shutdownGrace());
      c.handles().abort();
    }
    return this;
  }

  private Behavior<Command> onConnectionClosed(ConnectionClosed closed) {
    Connections.Connection c = connections.remove(closed.id());
    timers.cancel(new StillOpen(closed.id()));
    if (c != null) {
      metrics.traffic().close(c.tally());
      metrics.connectionClosed(c.transport());
      if (closed.failure() instanceof BufferOverflowException) {
        metrics.closed(NodeMetrics.Closed.SLOW_READER);
        getContext().getLog().info("closing {}: too slow to read ({})", c.who(),
            closed.failure().getMessage());
      } else if (isHandshakeFailure(closed.failure())) {
        metrics.refused(NodeMetrics.Refusal.TLS_HANDSHAKE);
      }
    }
    if (connections.isEmpty() && !waitingForClose.isEmpty()) {
      timers.startSingleTimer(new Lingered(), LINGER);
    }
    return this;
  }

  /** Whether a connection ended because its TLS handshake failed (no session could begin). */
  private static boolean isHandshakeFailure(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof SSLHandshakeException) {
        return true;
      }
    }
    return false;
  }

  private Behavior<Command> onUnbind(Unbind unbind) {
    CompletableFuture<?>[] unbinding = bindings.values().stream()
        .map(b -> b.unbind().toCompletableFuture()).toArray(CompletableFuture[]::new);
    getContext().pipeToSelf(CompletableFuture.allOf(unbinding),
        (d, t) -> new Unbound(unbind.replyTo()));
    return this;
  }

  private Behavior<Command> onUnbound(Unbound unbound) {
    if (!bindings.isEmpty()) {
      getContext().getLog().info("stopped listening");
    }
    unbound.replyTo().tell(Done.getInstance());
    return this;
  }

  private Behavior<Command> onCloseSessions(CloseSessions close) {
    waitingForClose.add(close.replyTo());
    connections.forEach(c -> c.session().tell(new Session.Shutdown()));
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
