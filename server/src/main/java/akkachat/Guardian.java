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
import akka.cluster.typed.Cluster;
import akka.cluster.typed.Join;
import akka.cluster.typed.JoinSeedNodes;
import akkachat.cluster.Arrival;
import akkachat.cluster.ClusterEvents;
import akkachat.cluster.RoomRegistry;
import akkachat.cluster.ShardedRooms;
import akkachat.config.ChatSettings;
import akkachat.room.RoomDirectory;
import akkachat.protocol.Lines;
import akkachat.server.ChatServer;
import akkachat.session.Fanout;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The root actor: joins the cluster (alone, or through the seed nodes), starts the sharded rooms
 * and this node's fan-out, and once every member sees the node Up ({@link Arrival}) starts the
 * TCP server and ties it to the coordinated shutdown. If the server cannot start, the whole node
 * stops.
 */
public final class Guardian extends AbstractBehavior<Guardian.Command> {

  public sealed interface Command {}

  /** The address the chat server listens on, once it is bound (the TLS one if plaintext is off). */
  public record GetAddress(ActorRef<InetSocketAddress> replyTo) implements Command {}

  /** The address of the chat server's TLS listener, once it is bound (never if TLS is off). */
  public record GetTlsAddress(ActorRef<InetSocketAddress> replyTo) implements Command {}


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

  private Guardian(ActorContext<Command> context, ChatSettings settings) {
    super(context);
    this.settings = settings;
    ActorRef<RoomRegistry.Command> registry = context.spawn(RoomRegistry.create(), "rooms");
    this.directory = ShardedRooms.init(context.getSystem(), settings, registry);
    this.fanout = context.spawn(Fanout.create(directory, new Lines(settings.newline())), "fanout");
    context.spawn(ClusterEvents.create(), "cluster-events");
    Cluster cluster = Cluster.get(context.getSystem());
    context.spawn(Arrival.create(context.messageAdapter(Arrival.Arrived.class,
        arrived -> new NodeArrived())), Arrival.NAME);
    join(context, cluster, settings.clusterSeeds());
  }

  private static void join(ActorContext<Command> context, Cluster cluster, List<String> seeds) {
    Address self = cluster.selfMember().address();
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
        .onMessage(ServerStopped.class, this::onServerStopped)
        .build();
  }

  private Behavior<Command> onNodeArrived(NodeArrived arrived) {
    if (server == null) {
      server = getContext().spawn(ChatServer.create(settings, directory, fanout), "server");
      getContext().watchWith(server, new ServerStopped());
      registerShutdown(getContext().getSystem(), server, settings.shutdownGrace());
      waiting.forEach(server::tell);
      waiting.clear();
    }
    return this;
  }

  private static void registerShutdown(ActorSystem<?> system, ActorRef<ChatServer.Command> server,
      Duration grace) {
    CoordinatedShutdown shutdown = CoordinatedShutdown.get(system);
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
