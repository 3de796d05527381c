package akkachat.server;

import akka.Done;
import akka.actor.CoordinatedShutdown;
import akka.NotUsed;
import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.actor.typed.javadsl.TimerScheduler;
import akka.http.javadsl.model.ws.Message;
import akka.stream.Attributes;
import akka.stream.BufferOverflowException;
import akka.stream.Materializer;
import akka.stream.javadsl.Flow;
import akka.stream.javadsl.Tcp;
import akkachat.config.ChatSettings;
import akkachat.ops.NodeMetrics;
import akkachat.protocol.Lines;
import akkachat.room.RoomDirectory;
import akkachat.session.Fanout;
import akkachat.session.Session;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The client listeners of one node, plain and (if configured) TLS, and the browsers' HTTP
 * listener: binds them, enforces the connection limits over all of them, gives every accepted
 * connection a {@link Session} joined to it by a {@link ConnectionFlow} (a socket) or a
 * {@link WebSocketFlow} (a browser's WebSocket), and on shutdown unbinds and lets every session
 * say goodbye.
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

  /** Replies with the browser listener's address once it is bound; never if it is off. */
  public record GetHttpAddress(ActorRef<InetSocketAddress> replyTo) implements Command {}

  /**
   * A browser at {@code remote} asks for a chat session over a WebSocket: the reply is the flow
   * of its messages, to its session, or one that says the server is full and closes.
   */
  record OpenWebSocket(InetSocketAddress remote,
      ActorRef<Flow<Message, Message, NotUsed>> replyTo) implements Command {}

  record Bound(Listener listener, Listeners.Binding binding) implements Command {}

  record BindFailed(Listener listener, Throwable cause) implements Command {}

  record Accepted(Listener listener, ActorRef<Done> ackTo,
      Tcp.IncomingConnection connection) implements Command {}

  record AcceptStarted(ActorRef<Done> ackTo) implements Command {}

  /**
   * A TCP listener's stream of connections ended: normally after {@link Unbind}; with
   * {@code failure} (or without an unbind) the listener is gone and nobody new gets in.
   */
  record AcceptEnded(Listener listener, Throwable failure) implements Command {}

  private record ConnectionClosed(long id, Throwable failure) implements Command {}

  private record SessionStopped(long id) implements Command {}

  private record CloseDecided(long id) implements Command {}

  private record StillOpen(long id) implements Command {}

  private record WebSocketOpened(long id, ConnectionFlow.Handles handles) implements Command {}

  private record NotOpened(long id) implements Command {}

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
  private final Listeners listeners;
  private final WebSocketFlow webSockets;
  private final Connections connections;
  private final NodeMetrics metrics;
  private final List<ActorRef<Done>> waitingForClose = new ArrayList<>();
  private long nextId;
  /** Unbind was asked for: the listeners' ends are expected. */
  private boolean unbinding;

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
    this.webSockets = new WebSocketFlow(settings, materializer);
    this.listeners = Listeners.start(context, settings, materializer);
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Bound.class, this::onBound)
        .onMessage(BindFailed.class, this::onBindFailed)
        .onMessage(GetAddress.class, this::onGetAddress)
        .onMessage(GetTlsAddress.class, this::onGetAddress)
        .onMessage(GetHttpAddress.class, this::onGetAddress)
        .onMessage(OpenWebSocket.class, this::onOpenWebSocket)
        .onMessage(WebSocketOpened.class, this::onWebSocketOpened)
        .onMessage(NotOpened.class, this::onNotOpened)
        .onMessage(AcceptStarted.class, s -> ack(s.ackTo()))
        .onMessage(Accepted.class, this::onAccepted)
        .onMessage(AcceptEnded.class, this::onAcceptEnded)
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
    getContext().getLog().info("listening on {}:{}{}", b.listener().host(settings),
        b.binding().address().getPort(), b.listener().label(settings));
    listeners.bound(b.listener(), b.binding());
    return this;
  }

  private Behavior<Command> onBindFailed(BindFailed f) {
    Listener l = f.listener();
    getContext().getLog().error("cannot listen on {}:{}{}: {}{}", l.host(settings),
        l.port(settings), l == Listener.HTTP ? " (http)" : "", BindFailure.reason(f.cause()),
        l.hint());
    return Behaviors.stopped();
  }

  private Behavior<Command> onGetAddress(Command get) {
    if (get instanceof GetHttpAddress g) {
      listeners.address(Listener.HTTP, g.replyTo());
    } else if (get instanceof GetTlsAddress g) {
      listeners.address(Listener.TLS, g.replyTo());
    } else if (get instanceof GetAddress g) {
      listeners.address(settings.tls().plaintext() ? Listener.PLAIN : Listener.TLS, g.replyTo());
    }
    return this;
  }

  private Behavior<Command> ack(ActorRef<Done> ackTo) {
    ackTo.tell(Done.getInstance());
    return this;
  }

  private Behavior<Command> onAccepted(Accepted accepted) {
    Tcp.IncomingConnection connection = accepted.connection();
    ConnectionFlow flow = listeners.flow(accepted.listener());
    long id = admit(accepted.listener(), connection.remoteAddress());
    if (id < 0) {
      flow.refuse(connection, lines.encode(Lines.SERVER_FULL), settings.shutdownGrace(),
          materializer);
      return ack(accepted.ackTo());
    }
    Connections.Connection c = connections.get(id);
    running(id, flow.run(connection, c.session(), c.tally(), materializer));
    return ack(accepted.ackTo());
  }

  /**
   * A browser's WebSocket: let in like a TCP connection, its session started at once; the reply
   * is its flow, which tells this server its handles once akka-http runs it. If it never does
   * (the upgrade failed), the session is stopped after the request timeout.
   */
  private Behavior<Command> onOpenWebSocket(OpenWebSocket open) {
    long id = admit(Listener.HTTP, open.remote());
    if (id < 0) {
      open.replyTo().tell(WebSocketFlow.refusal(lines.encode(Lines.SERVER_FULL)));
      return this;
    }
    Connections.Connection c = connections.get(id);
    ActorRef<Command> self = getContext().getSelf();
    open.replyTo().tell(webSockets.forSession(c.session())
        .addAttributes(Attributes.apply(c.tally()))
        .mapMaterializedValue(handles -> {
          self.tell(new WebSocketOpened(id, handles));
          return NotUsed.getInstance();
        }));
    timers.startSingleTimer(new NotOpened(id), settings.requestTimeout());
    return this;
  }

  private Behavior<Command> onWebSocketOpened(WebSocketOpened opened) {
    timers.cancel(new NotOpened(opened.id()));
    if (connections.get(opened.id()) == null) {
      opened.handles().abort(); // given up on already
    } else {
      running(opened.id(), opened.handles());
    }
    return this;
  }

  private Behavior<Command> onNotOpened(NotOpened notOpened) {
    Connections.Connection c = connections.get(notOpened.id());
    if (c != null && c.handles() == null) {
      getContext().getLog().debug("{}: its WebSocket never opened", c.who());
      getContext().stop(c.session());
      forget(notOpened.id(), null);
    }
    return this;
  }

  /**
   * Lets a connection from {@code remote} in on {@code listener} if no limit is reached: starts
   * its session and counts it; returns its id, or -1 if it is to be turned away (counted and
   * logged).
   */
  private long admit(Listener listener, InetSocketAddress remote) {
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
      return -1;
    }
    long id = nextId++;
    ActorRef<Session.Command> session = getContext().spawn(
        Session.create(settings, directory, fanout, who), "session-" + id);
    getContext().watchWith(session, new SessionStopped(id));
    connections.add(id, new Connections.Connection(who, ip, listener.transport, null, session,
        metrics.traffic().open()));
    metrics.accepted(listener.transport);
    getContext().getLog().info("connect {} as session-{}{}", who, id, listener.label(settings));
    return id;
  }

  /** The connection's stream runs: its session gets the way to its client. */
  private void running(long id, ConnectionFlow.Handles handles) {
    Connections.Connection c = connections.attach(id, handles);
    ActorRef<Command> self = getContext().getSelf();
    c.session().tell(new Session.Attach(
        Connections.tellingOnClose(handles.out(), self, new CloseDecided(id))));
    // Not pipeToSelf: Akka hands the stream's end over through Scala's FutureConverters, whose
    // whenComplete is whenCompleteAsync on the JDK's default executor, and with two cores or
    // fewer that executor starts a new thread for every task: one per closed connection. A tell
    // needs no thread of its own; it is done where the stream completes.
    handles.closed().whenCompleteAsync(
        (done, failure) -> self.tell(new ConnectionClosed(id, failure)), Runnable::run);
  }

  /** The session is closing its connection, or has ended: its address's place is free. */
  private Behavior<Command> release(long id) {
    connections.release(id);
    return this;
  }

  private Behavior<Command> onSessionStopped(SessionStopped stopped) {
    release(stopped.id()); // a session that failed could not close its queue itself
    Connections.Connection c = connections.get(stopped.id());
    if (c != null && c.handles() == null) {
      forget(stopped.id(), null); // a WebSocket that never opened
    } else if (c != null) {
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
    Connections.Connection c = forget(closed.id(), closed.failure());
    if (connections.isEmpty() && !waitingForClose.isEmpty()) {
      timers.startSingleTimer(new Lingered(), LINGER);
    }
    return this;
  }

  /** The connection is gone (with {@code failure}, if any): its places and counts are freed. */
  private Connections.Connection forget(long id, Throwable failure) {
    Connections.Connection c = connections.remove(id);
    timers.cancel(new StillOpen(id));
    if (c != null) {
      metrics.traffic().close(c.tally());
      metrics.connectionClosed(c.transport());
      if (failure instanceof BufferOverflowException) {
        metrics.closed(NodeMetrics.Closed.SLOW_READER);
        getContext().getLog().info("closing {}: too slow to read ({})", c.who(),
            failure.getMessage());
      } else if (ServerTls.isHandshakeFailure(failure)) {
        metrics.refused(NodeMetrics.Refusal.TLS_HANDSHAKE);
      }
    }
    return c;
  }

  /**
   * A listener that stops accepting before it was asked to would leave the node up but shut to
   * newcomers, silently: the node shuts down instead (its users are told, as at any shutdown)
   * and exits with status 1, for its supervisor to start it again.
   */
  private Behavior<Command> onAcceptEnded(AcceptEnded ended) {
    if (unbinding) {
      return this;
    }
    Listener l = ended.listener();
    getContext().getLog().error("stopped accepting connections on {}:{}{}: {}", l.host(settings),
        listeners.port(l, settings), l.label(settings),
        ended.failure() == null ? "the listener ended" : BindFailure.reason(ended.failure()));
    CoordinatedShutdown.get(getContext().getSystem()).runAll(ListenerLost.INSTANCE);
    return this;
  }

  private Behavior<Command> onUnbind(Unbind unbind) {
    unbinding = true;
    getContext().pipeToSelf(listeners.unbindAll(), (d, t) -> new Unbound(unbind.replyTo()));
    return this;
  }

  private Behavior<Command> onUnbound(Unbound unbound) {
    if (!listeners.isEmpty()) {
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
