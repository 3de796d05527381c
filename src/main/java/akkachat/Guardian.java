package akkachat;

import akka.Done;
import akka.actor.CoordinatedShutdown;
import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.AskPattern;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akkachat.config.ChatSettings;
import akkachat.room.RoomManager;
import akkachat.server.ChatServer;

import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * The root actor: starts the rooms and the TCP server, and ties the server to the actor
 * system's coordinated shutdown. If the server cannot start, the whole node stops.
 */
public final class Guardian extends AbstractBehavior<Guardian.Command> {

  public sealed interface Command {}

  /** The address the chat server listens on, once it is bound. */
  public record GetAddress(ActorRef<InetSocketAddress> replyTo) implements Command {}

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

  private final ActorRef<ChatServer.Command> server;

  private Guardian(ActorContext<Command> context, ChatSettings settings) {
    super(context);
    ActorRef<RoomManager.Command> rooms = context.spawn(RoomManager.create(settings), "rooms");
    server = context.spawn(ChatServer.create(settings, RoomManager.directory(rooms)), "server");
    context.watchWith(server, new ServerStopped());
    registerShutdown(context.getSystem(), server, settings.shutdownGrace());
  }

  private static void registerShutdown(ActorSystem<?> system, ActorRef<ChatServer.Command> server,
      Duration grace) {
    CoordinatedShutdown shutdown = CoordinatedShutdown.get(system);
    shutdown.addTask(CoordinatedShutdown.PhaseServiceUnbind(), "chat-unbind", () ->
        AskPattern.<ChatServer.Command, Done>ask(server, ChatServer.Unbind::new, grace,
            system.scheduler()));
    shutdown.addTask(CoordinatedShutdown.PhaseServiceRequestsDone(), "chat-close-sessions", () ->
        AskPattern.<ChatServer.Command, Done>ask(server, ChatServer.CloseSessions::new, grace,
                system.scheduler())
            .exceptionally(t -> Done.getInstance()));
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(GetAddress.class, this::onGetAddress)
        .onMessage(ServerStopped.class, this::onServerStopped)
        .build();
  }

  private Behavior<Command> onGetAddress(GetAddress get) {
    server.tell(new ChatServer.GetAddress(get.replyTo()));
    return this;
  }

  private Behavior<Command> onServerStopped(ServerStopped stopped) {
    CoordinatedShutdown.get(getContext().getSystem()).runAll(StartupFailed.INSTANCE);
    return this;
  }
}
