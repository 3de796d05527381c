package akkachat.cluster;

import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.cluster.ClusterEvent;
import akka.cluster.typed.Cluster;
import akka.cluster.typed.Subscribe;

/** Logs the cluster's lifecycle at INFO: nodes up, unreachable, reachable again and removed. */
public final class ClusterEvents extends AbstractBehavior<ClusterEvent.ClusterDomainEvent> {

  public static Behavior<ClusterEvent.ClusterDomainEvent> create() {
    return Behaviors.setup(ClusterEvents::new);
  }

  private ClusterEvents(ActorContext<ClusterEvent.ClusterDomainEvent> context) {
    super(context);
    Cluster cluster = Cluster.get(context.getSystem());
    cluster.subscriptions().tell(Subscribe.create(
        context.getSelf().<ClusterEvent.MemberEvent>narrow(), ClusterEvent.MemberEvent.class));
    cluster.subscriptions().tell(Subscribe.create(
        context.getSelf().<ClusterEvent.ReachabilityEvent>narrow(),
        ClusterEvent.ReachabilityEvent.class));
  }

  @Override
  public Receive<ClusterEvent.ClusterDomainEvent> createReceive() {
    return newReceiveBuilder()
        .onMessage(ClusterEvent.MemberUp.class, e -> log("node up: {}", e.member()))
        .onMessage(ClusterEvent.MemberRemoved.class, e -> log("node down: {}", e.member()))
        .onMessage(ClusterEvent.UnreachableMember.class, e -> log("node unreachable: {}", e.member()))
        .onMessage(ClusterEvent.ReachableMember.class, e -> log("node reachable: {}", e.member()))
        .onMessage(ClusterEvent.ClusterDomainEvent.class, e -> this)
        .build();
  }

  private Behavior<ClusterEvent.ClusterDomainEvent> log(String format, Object member) {
    getContext().getLog().info(format, member);
    return this;
  }
}
