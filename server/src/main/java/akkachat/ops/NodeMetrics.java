package akkachat.ops;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.Extension;
import akka.actor.typed.ExtensionId;
import akka.actor.typed.javadsl.Adapter;
import akka.cluster.ClusterEvent;
import akka.cluster.Member;
import akka.cluster.MemberStatus;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * A node's metrics, served at {@code GET /metrics} on the management port
 * ({@link MetricsRoute}); docs/OPERATIONS.md says what each means. One per actor system (so nodes
 * started side by side in one JVM, as tests do, keep their own), with the JVM's and the
 * process's figures from the Prometheus client's standard collectors.
 *
 * <p>Events that happen once per connection or login count here directly. The busiest ones,
 * lines in and out, are counted per connection ({@link Traffic}) and the rooms' figures per room
 * ({@link RoomGauges}), and summed only at a scrape.
 */
public final class NodeMetrics implements Extension {

  /** The Akka extension id: {@code NodeMetrics.get(system)}. */
  public static final ExtensionId<NodeMetrics> ID = new ExtensionId<>() {
    @Override
    public NodeMetrics createExtension(ActorSystem<?> system) {
      return new NodeMetrics(system);
    }
  };

  public static NodeMetrics get(ActorSystem<?> system) {
    return ID.apply(system);
  }

  /** How a connection came in: the plain or the TLS chat port, or a browser's WebSocket. */
  public enum Transport { PLAIN, TLS, WEBSOCKET }

  /** Why a connection was turned away before a session got it. */
  public enum Refusal { FULL, PER_ADDRESS, SHUTTING_DOWN, TLS_HANDSHAKE }

  /** Why a login attempt was refused (the connection goes on unless it gave up). */
  public enum LoginFailure { INVALID_NAME, NAME_TAKEN, INVALID_TOKEN, EXPIRED_TOKEN, NO_ANSWER }

  /** Why the server closed a client's connection (not counted: the client's own leaving). */
  public enum Closed { SLOW_READER, IDLE_TIMEOUT, LOGIN_TIMEOUT, NODE_LAG }

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final Traffic traffic = new Traffic();
  private final RoomGauges rooms = new RoomGauges();

  private final Gauge open;
  private final Counter accepted;
  private final Counter refused;
  private final Gauge loggingIn;
  private final Counter logins;
  private final Counter loginFailures;
  private final Histogram loginSeconds;
  private final Counter closed;
  private final Counter failovers;

  private NodeMetrics(ActorSystem<?> system) {
    open = Gauge.builder().name("akkachat_connections_open")
        .help("Client connections open now, by listener").labelNames("transport")
        .register(registry);
    accepted = Counter.builder().name("akkachat_connections_accepted_total")
        .help("Client connections accepted, by listener").labelNames("transport")
        .register(registry);
    refused = Counter.builder().name("akkachat_connections_refused_total")
        .help("Client connections turned away: node full (max-connections), too many from one"
            + " address (max-connections-per-ip), shutting down, failed TLS handshake")
        .labelNames("reason").register(registry);
    loggingIn = Gauge.builder().name("akkachat_logins_in_progress")
        .help("Connections that have not logged in yet").register(registry);
    logins = Counter.builder().name("akkachat_logins_total")
        .help("Users logged in").register(registry);
    loginFailures = Counter.builder().name("akkachat_login_failures_total")
        .help("Login attempts refused, by reason").labelNames("reason").register(registry);
    loginSeconds = Histogram.builder().name("akkachat_login_seconds")
        .help("Time from a valid name (and token) to the welcome: the default room's answer")
        .classicOnly()
        .classicUpperBounds(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)
        .register(registry);
    closed = Counter.builder().name("akkachat_clients_closed_total")
        .help("Connections the server closed: too slow to read, idle, no login in time, or on a"
            + " node too far behind a room").labelNames("reason").register(registry);
    failovers = Counter.builder().name("akkachat_room_failovers_total")
        .help("Rooms started on this node with the members of an incarnation that was lost")
        .register(registry);
    CounterWithCallback.builder().name("akkachat_lines_received_total")
        .help("Lines read from clients").callback(c -> c.call(traffic.received()))
        .register(registry);
    CounterWithCallback.builder().name("akkachat_deliveries_total")
        .help("Lines written to clients (taken for their sockets)")
        .callback(c -> c.call(traffic.delivered())).register(registry);
    CounterWithCallback.builder().name("akkachat_bytes_written_total")
        .help("Bytes written to clients").callback(c -> c.call(traffic.written()))
        .register(registry);
    GaugeWithCallback.builder().name("akkachat_rooms").help("Rooms hosted on this node")
        .callback(c -> c.call(rooms.rooms())).register(registry);
    GaugeWithCallback.builder().name("akkachat_room_members")
        .help("Members of the rooms hosted on this node")
        .callback(c -> c.call(rooms.members())).register(registry);
    GaugeWithCallback.builder().name("akkachat_fanout_lag_lines")
        .help("Lines the furthest-behind node's fan-out was behind a room hosted here, at its"
            + " last report (node-lag-limit closes that node's members)")
        .callback(c -> c.call(rooms.worstLag())).register(registry);
    if (Adapter.toClassic(system).settings().ProviderSelectionType().hasCluster()) {
      clusterGauges(akka.cluster.Cluster.get(Adapter.toClassic(system)));
    }
    JvmMetrics.builder().register(registry);
    for (Transport t : Transport.values()) {
      open.labelValues(label(t)).set(0);
      accepted.labelValues(label(t));
    }
    for (Refusal r : Refusal.values()) {
      refused.labelValues(label(r));
    }
    for (LoginFailure f : LoginFailure.values()) {
      loginFailures.labelValues(label(f));
    }
    for (Closed c : Closed.values()) {
      closed.labelValues(label(c));
    }
  }

  /** Members by status and unreachable ones, read from the cluster's view at each scrape. */
  private void clusterGauges(akka.cluster.Cluster cluster) {
    GaugeWithCallback.builder().name("akkachat_cluster_members")
        .help("Cluster members by status, as this node sees them").labelNames("status")
        .callback(c -> membersByStatus(cluster.state())
            .forEach((status, n) -> c.call(n, status)))
        .register(registry);
    GaugeWithCallback.builder().name("akkachat_cluster_unreachable_members")
        .help("Cluster members this node sees as unreachable")
        .callback(c -> c.call(cluster.state().unreachable().size())).register(registry);
  }

  private static final MemberStatus[] STATUSES = {MemberStatus.joining(),
      MemberStatus.weaklyUp(), MemberStatus.up(), MemberStatus.leaving(), MemberStatus.exiting(),
      MemberStatus.down()};

  private static Map<String, Integer> membersByStatus(ClusterEvent.CurrentClusterState state) {
    Map<String, Integer> counts = new java.util.LinkedHashMap<>();
    for (MemberStatus s : STATUSES) {
      counts.put(statusLabel(s), 0);
    }
    for (Member m : state.getMembers()) {
      counts.merge(statusLabel(m.status()), 1, Integer::sum);
    }
    return counts;
  }

  private static String statusLabel(MemberStatus status) {
    return status.toString().replaceAll("([a-z])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
  }

  private static String label(Enum<?> e) {
    return e.name().toLowerCase(Locale.ROOT);
  }

  /** The registry {@link MetricsRoute} scrapes. */
  PrometheusRegistry registry() {
    return registry;
  }

  public Traffic traffic() {
    return traffic;
  }

  public RoomGauges rooms() {
    return rooms;
  }

  public void accepted(Transport transport) {
    accepted.labelValues(label(transport)).inc();
    open.labelValues(label(transport)).inc();
  }

  public void connectionClosed(Transport transport) {
    open.labelValues(label(transport)).dec();
  }

  public void refused(Refusal why) {
    refused.labelValues(label(why)).inc();
  }

  public void loginStarted() {
    loggingIn.inc();
  }

  /** A login phase ended, in a login or not. */
  public void loginEnded() {
    loggingIn.dec();
  }

  public void loggedIn(Duration took) {
    logins.inc();
    loginSeconds.observe(took.toNanos() / 1e9);
  }

  public void loginFailed(LoginFailure why) {
    loginFailures.labelValues(label(why)).inc();
  }

  public void closed(Closed why) {
    closed.labelValues(label(why)).inc();
  }

  public void failover() {
    failovers.inc();
  }
}
