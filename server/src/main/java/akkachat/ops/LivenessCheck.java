package akkachat.ops;

import akka.actor.ActorSystem;
import akka.actor.typed.javadsl.Adapter;

import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * {@code GET /alive} on the management port (an Akka Management liveness check): alive while
 * the node's root actor answers within the check timeout, so a node whose actors have stopped
 * running is restarted by its supervisor.
 */
public final class LivenessCheck implements Supplier<CompletionStage<Boolean>> {

  private final akka.actor.typed.ActorSystem<?> system;
  private final Duration timeout;

  public LivenessCheck(ActorSystem system) {
    this.system = Adapter.toTyped(system);
    this.timeout = system.settings().config()
        .getDuration("akka.management.health-checks.check-timeout");
  }

  @Override
  public CompletionStage<Boolean> get() {
    return ReadinessCheck.health(system, timeout).thenApply(health -> true);
  }
}
