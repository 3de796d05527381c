package akkachat.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Builds a node's whole configuration, highest priority first: {@code -D} system properties,
 * the given overrides (the operator's application.conf, or a test's settings), the node's Akka
 * settings from {@code akka-chat-node.conf} in the jar, and every {@code reference.conf}.
 * Resolved as one, so {@code akka-chat.cluster.*} given anywhere reaches the Akka settings;
 * {@code akka-chat.cluster.tls.enabled = on} switches Artery to its TLS transport;
 * {@code akka-chat.cluster.bootstrap.contact-points} become the endpoints of Akka's config
 * discovery; {@code akka-chat.shutdown-drain} lengthens the shutdown phase it runs in.
 */
public final class ChatConfig {
  public static final String NODE_DEFAULTS = "akka-chat-node.conf";

  private ChatConfig() {}

  private static final Config CLUSTER_TLS =
      ConfigFactory.parseString("akka.remote.artery.transport = tls-tcp");

  /** Time the before-service-unbind phase has beyond the drain (Akka's default: 5 s in all). */
  private static final Duration DRAIN_MARGIN = Duration.ofSeconds(5);

  public static Config load(Config overrides) {
    Config node = ConfigFactory.parseResources(ChatConfig.class.getClassLoader(), NODE_DEFAULTS);
    Config config = ConfigFactory.load(overrides.withFallback(node));
    // Below the operator's settings, so an explicit Akka setting still wins.
    Config derived = derived(config);
    if (derived.isEmpty()) {
      return config;
    }
    return ConfigFactory.load(overrides.withFallback(derived).withFallback(node));
  }

  /** The Akka settings that follow from akka-chat's own, beyond plain substitutions. */
  private static Config derived(Config config) {
    Config derived = ConfigFactory.empty();
    if (config.getBoolean("akka-chat.cluster.tls.enabled")) {
      derived = derived.withFallback(CLUSTER_TLS);
    }
    Duration drain = config.getDuration("akka-chat.shutdown-drain");
    if (!drain.isZero() && !drain.isNegative()) {
      derived = derived.withValue("akka.coordinated-shutdown.phases.before-service-unbind.timeout",
          ConfigValueFactory.fromAnyRef(drain.plus(DRAIN_MARGIN).toMillis() + "ms"));
    }
    List<Map<String, Object>> endpoints = new ArrayList<>();
    for (String point : ChatSettings.hostPorts(config.getConfig(ChatSettings.PREFIX),
        "cluster.bootstrap.contact-points")) {
      int colon = point.lastIndexOf(':');
      endpoints.add(Map.of("host", point.substring(0, colon),
          "port", Integer.parseInt(point.substring(colon + 1))));
    }
    if (!endpoints.isEmpty()) {
      String service = config.getString("akka-chat.cluster.bootstrap.service-name");
      derived = derived.withValue(
          "akka.discovery.config.services." + com.typesafe.config.ConfigUtil.quoteString(service) + ".endpoints",
          ConfigValueFactory.fromIterable(endpoints));
    }
    return derived;
  }
}
