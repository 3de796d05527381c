package akkachat.ops;

import akka.actor.ActorSystem;
import akka.actor.CoordinatedShutdown;
import akka.actor.typed.ActorRef;
import akka.actor.typed.javadsl.Adapter;
import akka.actor.typed.javadsl.AskPattern;
import akkachat.Guardian;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * {@code GET /ready} on the management port (an Akka Management readiness check): ready while
 * the chat server listens, this node is Up in its cluster and shutdown has not begun. Not ready
 * from the moment shutdown begins, so that a load balancer stops sending new users here while
 * the node still serves the ones it has ({@code shutdown-drain}).
 */
public final class ReadinessCheck implements Supplier<CompletionStage<Boolean>> {

  private final akka.actor.typed.ActorSystem<?> system;
  private final Duration timeout;

  public ReadinessCheck(ActorSystem system) {
    this.system = Adapter.toTyped(system);
    this.timeout = system.settings().config()
        .getDuration("akka.management.health-checks.check-timeout");
  }

  @Override
  public CompletionStage<Boolean> get() {
    if (CoordinatedShutdown.get(system).getShutdownReason().isPresent()) {
      return CompletableFuture.completedFuture(false);
    }
    return health(system, timeout).thenApply(Guardian.Health::ready);
  }

  /** The node's health from its root actor, which an akka-chat actor system is. */
  @SuppressWarnings("unchecked")
  static CompletionStage<Guardian.Health> health(akka.actor.typed.ActorSystem<?> system,
      Duration timeout) {
    ActorRef<Guardian.Command> guardian = (ActorRef<Guardian.Command>) (ActorRef<?>) system;
    return AskPattern.ask(guardian, Guardian.GetHealth::new, timeout, system.scheduler());
  }
}
