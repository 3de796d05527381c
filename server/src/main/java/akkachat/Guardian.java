package akkachat;

import akka.Done;
import akka.actor.Address;
import akka.actor.CoordinatedShutdown;
import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.AskPattern;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.actor.typed.javadsl.Adapter;
import akka.cluster.MemberStatus;
import akka.cluster.typed.Cluster;
import akka.cluster.typed.Join;
import akka.cluster.typed.JoinSeedNodes;
import akka.http.javadsl.model.Uri;
import akka.management.cluster.bootstrap.ClusterBootstrap;
import akka.management.javadsl.AkkaManagement;
import akka.pattern.Patterns;
import akkachat.cluster.Arrival;
import akkachat.cluster.ClusterEvents;
import akkachat.cluster.RoomRegistry;
import akkachat.cluster.ShardedRooms;
import akkachat.config.ChatSettings;
import akkachat.config.ManagementSettings;
import akkachat.room.RoomDirectory;
import akkachat.protocol.Lines;
import akkachat.server.BindFailure;
import akkachat.server.ChatServer;
import akkachat.session.Fanout;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The root actor: starts the management port (health checks, metrics), joins the cluster (alone,
 * through the seed nodes, or by cluster bootstrap), starts the sharded rooms and this node's
 * fan-out, and once every member sees the node Up ({@link Arrival}) starts the TCP server and
 * ties it to the coordinated shutdown. If the server or the management port cannot start, the
 * whole node stops. It answers the health checks: alive while it answers, ready while the server
 * listens, the node is Up and shutdown has not begun.
 */
public final class Guardian extends AbstractBehavior<Guardian.Command> {

  public sealed interface Command {}

  /** The address the chat server listens on, once it is bound (the TLS one if plaintext is off). */
  public record GetAddress(ActorRef<InetSocketAddress> replyTo) implements Command {}

  /** The address of the chat server's TLS listener, once it is bound (never if TLS is off). */
  public record GetTlsAddress(ActorRef<InetSocketAddress> replyTo) implements Command {}

  /** The address of the browser listener (page and WebSocket), once bound; never if it is off. */
  public record GetHttpAddress(ActorRef<InetSocketAddress> replyTo) implements Command {}

  /** The node's health, for the management port's checks. */
  public record GetHealth(ActorRef<Health> replyTo) implements Command {}

  /**
   * {@code ready}: the chat server listens, this node is Up in the cluster and shutdown has not
   * begun. Any answer at all means the node is alive.
   */
  public record Health(boolean ready) {}

  private record Listening() implements Command {}

  private record ManagementStarted(Uri uri) implements Command {}

  private record ManagementFailed(Throwable cause) implements Command {}

  private record NodeArrived() implements Command {}

  private record ServerStopped() implements Command {}

  /** Why the node stopped when it could not start. */
  public static final class StartupFailed implements CoordinatedShutdown.Reason {
    public static final StartupFailed INSTANCE = new StartupFailed();

    private StartupFailed() {}

    @Override
    public String toString() {
      return "StartupFailed";
    }
  }

  public static Behavior<Command> create(ChatSettings settings) {
    return Behaviors.setup(ctx -> new Guardian(ctx, settings));
  }

  private final ChatSettings settings;
  private final ActorRef<Fanout.Command> fanout;
  private final RoomDirectory directory;
  private final List<ChatServer.Command> waiting = new ArrayList<>();
  private ActorRef<ChatServer.Command> server;
  private boolean listening;

  private Guardian(ActorContext<Command> context, ChatSettings settings) {
    super(context);
    this.settings = settings;
    if (settings.management().enabled()) {
      context.pipeToSelf(AkkaManagement.get(Adapter.toClassic(context.getSystem())).start(),
          (uri, failure) -> failure == null ? new ManagementStarted(uri)
              : new ManagementFailed(failure));
    }
    ActorRef<RoomRegistry.Command> registry = context.spawn(RoomRegistry.create(), "rooms");
    this.directory = ShardedRooms.init(context.getSystem(), settings, registry);
    this.fanout = context.spawn(Fanout.create(directory, new Lines(settings.newline())), "fanout");
    context.spawn(ClusterEvents.create(), "cluster-events");
    Cluster cluster = Cluster.get(context.getSystem());
    context.spawn(Arrival.create(context.messageAdapter(Arrival.Arrived.class,
        arrived -> new NodeArrived())), Arrival.NAME);
    join(context, cluster, settings);
  }

  private static void join(ActorContext<Command> context, Cluster cluster,
      ChatSettings settings) {
    Address self = cluster.selfMember().address();
    List<String> seeds = settings.clusterSeeds();
    ManagementSettings management = settings.management();
    if (management.bootstrap()) {
      // What an operator checks when no cluster forms: where this node looks for the others
      // and how many it waits for. Akka's own bootstrap lines are at INFO every second, so
      // logback.xml shows only its decision (a new cluster, or joining one).
      context.getLog().info("joining a cluster at {} through bootstrap: {} discovery{}, waiting"
              + " for {} contact points (this node's: {}:{})", self, management.discovery(),
          management.discovery().equals("config") ? " of " + management.contactPoints() : "",
          management.requiredContactPoints(), self.getHost().orElse("?"), management.port());
      ClusterBootstrap.get(Adapter.toClassic(context.getSystem())).start();
      return;
    }
    if (seeds.isEmpty()) {
      context.getLog().info("starting a new cluster at {}", self);
      cluster.manager().tell(new Join(self));
      return;
    }
    List<Address> addresses = new ArrayList<>();
    for (String seed : seeds) {
      int colon = seed.lastIndexOf(':');
      addresses.add(new Address("akka", context.getSystem().name(), seed.substring(0, colon),
          Integer.parseInt(seed.substring(colon + 1))));
    }
    context.getLog().info("joining the cluster at {} through seed nodes {}", self, seeds);
    cluster.manager().tell(new JoinSeedNodes(addresses));
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(NodeArrived.class, this::onNodeArrived)
        .onMessage(GetAddress.class, g -> toServer(new ChatServer.GetAddress(g.replyTo())))
        .onMessage(GetTlsAddress.class, g -> toServer(new ChatServer.GetTlsAddress(g.replyTo())))
        .onMessage(GetHttpAddress.class, g -> toServer(new ChatServer.GetHttpAddress(g.replyTo())))
        .onMessage(Listening.class, l -> {
          listening = true;
          return this;
        })
        .onMessage(GetHealth.class, this::onGetHealth)
        .onMessage(ManagementStarted.class, this::onManagementStarted)
        .onMessage(ManagementFailed.class, this::onManagementFailed)
        .onMessage(ServerStopped.class, this::onServerStopped)
        .build();
  }

  private Behavior<Command> onGetHealth(GetHealth get) {
    ActorSystem<?> system = getContext().getSystem();
    boolean ready = listening
        && Cluster.get(system).selfMember().status() == MemberStatus.up()
        && CoordinatedShutdown.get(system).getShutdownReason().isEmpty();
    get.replyTo().tell(new Health(ready));
    return this;
  }

  private Behavior<Command> onManagementStarted(ManagementStarted started) {
    getContext().getLog().info("management on {}", started.uri());
    return this;
  }

  private Behavior<Command> onManagementFailed(ManagementFailed failed) {
    getContext().getLog().error(
        "cannot listen on {}:{} (management): {} (set MANAGEMENT_PORT, or MANAGEMENT_ENABLED=off)",
        settings.management().host(), settings.management().port(),
        BindFailure.reason(failed.cause()));
    CoordinatedShutdown.get(getContext().getSystem()).runAll(StartupFailed.INSTANCE);
    return this;
  }

  private Behavior<Command> onNodeArrived(NodeArrived arrived) {
    if (server == null) {
      server = getContext().spawn(ChatServer.create(settings, directory, fanout), "server");
      getContext().watchWith(server, new ServerStopped());
      server.tell(new ChatServer.GetAddress(getContext().messageAdapter(InetSocketAddress.class,
          address -> new Listening())));
      registerShutdown(getContext().getSystem(), server, settings.shutdownGrace(),
          settings.shutdownDrain());
      waiting.forEach(server::tell);
      waiting.clear();
    }
    return this;
  }

  /**
   * Shutdown, once it begins: the node reports not ready at once ({@link #onGetHealth}), goes on
   * serving for {@code drain}, stops listening, then tells every user and waits up to
   * {@code grace} for their connections to close.
   */
  private static void registerShutdown(ActorSystem<?> system, ActorRef<ChatServer.Command> server,
      Duration grace, Duration drain) {
    CoordinatedShutdown shutdown = CoordinatedShutdown.get(system);
    if (!drain.isZero()) {
      shutdown.addTask(CoordinatedShutdown.PhaseBeforeServiceUnbind(), "chat-drain", () -> {
        system.log().info("shutting down: not ready, draining for {}", drain);
        return Patterns.after(drain, system.classicSystem().scheduler(),
            system.executionContext(), () -> CompletableFuture.completedFuture(Done.getInstance()));
      });
    }
    shutdown.addTask(CoordinatedShutdown.PhaseServiceUnbind(), "chat-unbind", () ->
        AskPattern.<ChatServer.Command, Done>ask(server, ChatServer.Unbind::new, grace,
                system.scheduler())
            .exceptionally(t -> Done.getInstance()));
    shutdown.addTask(CoordinatedShutdown.PhaseServiceRequestsDone(), "chat-close-sessions", () ->
        AskPattern.<ChatServer.Command, Done>ask(server, ChatServer.CloseSessions::new, grace,
                system.scheduler())
            .exceptionally(t -> Done.getInstance()));
  }

  private Behavior<Command> toServer(ChatServer.Command command) {
    if (server == null) {
      waiting.add(command);
    } else {
      server.tell(command);
    }
    return this;
  }

  private Behavior<Command> onServerStopped(ServerStopped stopped) {
    CoordinatedShutdown.get(getContext().getSystem()).runAll(StartupFailed.INSTANCE);
    return this;
  }
}
