package akkachat.server;

import akka.Done;
import akka.NotUsed;
import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.AskPattern;
import akka.http.javadsl.ConnectionContext;
import akka.http.javadsl.Http;
import akka.http.javadsl.ServerBuilder;
import akka.http.javadsl.model.ws.Message;
import akka.stream.Materializer;
import akka.stream.javadsl.Flow;
import akka.stream.javadsl.Tcp;
import akka.stream.typed.javadsl.ActorSink;
import akkachat.config.ChatSettings;

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
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;

/**
 * The listeners of one {@link ChatServer}: binds them (the plain and TLS chat ports with a
 * {@link ConnectionFlow} each, the browsers' HTTP port with {@link WebRoutes}), keeps their
 * addresses for those who ask, and unbinds them. Every result reaches the server as a message;
 * used only inside the server actor.
 */
final class Listeners {

  /** A bound listener: where, and how to stop it. */
  record Binding(InetSocketAddress address, Supplier<CompletionStage<?>> unbind) {}

  private record Waiting(Listener listener, ActorRef<InetSocketAddress> replyTo) {}

  private final Map<Listener, Binding> bound = new EnumMap<>(Listener.class);
  private final List<Waiting> waiting = new ArrayList<>();
  private final Map<Listener, ConnectionFlow> flows = new EnumMap<>(Listener.class);

  private Listeners() {}

  /**
   * Binds every listener {@code settings} asks for; each tells the server {@link
   * ChatServer.Bound} or {@link ChatServer.BindFailed}, and each accepted TCP connection arrives
   * as {@link ChatServer.Accepted}, one at a time (acknowledged by the server).
   */
  static Listeners start(ActorContext<ChatServer.Command> context, ChatSettings settings,
      Materializer materializer) {
    Listeners listeners = new Listeners();
    SSLContext tls = null;
    if (settings.tls().plaintext()) {
      listeners.flows.put(Listener.PLAIN, new ConnectionFlow(settings, Optional.empty()));
    }
    if (settings.tls().enabled()) {
      try {
        tls = ServerTls.context(settings.tls());
        listeners.flows.put(Listener.TLS,
            new ConnectionFlow(settings, Optional.of(ServerTls.layer(tls))));
      } catch (IOException | GeneralSecurityException e) {
        // Checked at start-up already: the key store changed under us. The node stops.
        context.getSelf().tell(new ChatServer.BindFailed(Listener.TLS, e));
        return listeners;
      }
    }
    listeners.flows.keySet().forEach(l -> bindTcp(context, settings, materializer, l));
    if (settings.http().enabled()) {
      bindHttp(context, settings, tls);
    }
    return listeners;
  }

  private static void bindTcp(ActorContext<ChatServer.Command> context, ChatSettings settings,
      Materializer materializer, Listener listener) {
    ActorRef<ChatServer.Command> self = context.getSelf();
    CompletionStage<Tcp.ServerBinding> bound = ConnectionFlow
        .listen(context.getSystem(), settings.host(), listener.port(settings))
        .to(ActorSink.actorRefWithBackpressure(self,
            (ActorRef<Done> ackTo, Tcp.IncomingConnection c) ->
                new ChatServer.Accepted(listener, ackTo, c),
            ChatServer.AcceptStarted::new, Done.getInstance(),
            new ChatServer.AcceptEnded(listener, null),
            t -> new ChatServer.AcceptEnded(listener, t)))
        .run(materializer);
    context.pipeToSelf(bound, (b, t) -> t == null
        ? new ChatServer.Bound(listener, new Binding(b.localAddress(), b::unbind))
        : new ChatServer.BindFailed(listener, t));
  }

  /** The browser listener: the page and the WebSocket, over HTTPS when TLS is on. */
  private static void bindHttp(ActorContext<ChatServer.Command> context, ChatSettings settings,
      SSLContext tls) {
    ActorRef<ChatServer.Command> self = context.getSelf();
    ActorSystem<?> system = context.getSystem();
    Duration askTimeout = settings.requestTimeout();
    WebRoutes routes = new WebRoutes(settings.http(), tls != null,
        remote -> AskPattern.ask(self, (ActorRef<Flow<Message, Message, NotUsed>> replyTo) ->
            new ChatServer.OpenWebSocket(remote, replyTo), askTimeout, system.scheduler()));
    ServerBuilder server = Http.get(system).newServerAt(settings.http().host(),
        settings.http().port());
    if (tls != null) {
      server = server.enableHttps(ConnectionContext.httpsServer(tls));
    }
    context.pipeToSelf(server.bind(routes.route()), (b, t) -> t == null
        ? new ChatServer.Bound(Listener.HTTP, new Binding(b.localAddress(), b::unbind))
        : new ChatServer.BindFailed(Listener.HTTP, t));
  }

  /** The stream blueprint of a TCP listener's connections. */
  ConnectionFlow flow(Listener listener) {
    return flows.get(listener);
  }

  /** {@code listener} is bound: those waiting for its address get it. */
  void bound(Listener listener, Binding binding) {
    bound.put(listener, binding);
    waiting.removeIf(w -> {
      if (w.listener() == listener) {
        w.replyTo().tell(binding.address());
        return true;
      }
      return false;
    });
  }

  /** Replies with {@code listener}'s address, now or once it is bound. */
  void address(Listener listener, ActorRef<InetSocketAddress> replyTo) {
    Binding binding = bound.get(listener);
    if (binding == null) {
      waiting.add(new Waiting(listener, replyTo));
    } else {
      replyTo.tell(binding.address());
    }
  }

  /** The port {@code listener} is bound to, or until then the configured one. */
  int port(Listener listener, ChatSettings settings) {
    Binding binding = bound.get(listener);
    return binding != null ? binding.address().getPort() : listener.port(settings);
  }

  boolean isEmpty() {
    return bound.isEmpty();
  }

  /** Stops every listener; completes when all have stopped (or failed to). */
  CompletableFuture<Void> unbindAll() {
    return CompletableFuture.allOf(bound.values().stream()
        .map(b -> b.unbind().get().toCompletableFuture().exceptionally(t -> null))
        .toArray(CompletableFuture[]::new));
  }
}
