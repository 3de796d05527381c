package akkachat.server;

import akka.actor.typed.ActorRef;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * The bound listeners of one {@link ChatServer}, and the requests for an address that wait for
 * its listener to be bound. Plain bookkeeping, used only inside the server actor.
 */
final class Listeners {

  /** A bound listener: where, and how to stop it. */
  record Binding(InetSocketAddress address, Supplier<CompletionStage<?>> unbind) {}

  private record Waiting(Listener listener, ActorRef<InetSocketAddress> replyTo) {}

  private final Map<Listener, Binding> bound = new EnumMap<>(Listener.class);
  private final List<Waiting> waiting = new ArrayList<>();

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
