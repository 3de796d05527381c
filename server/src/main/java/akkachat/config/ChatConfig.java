package akkachat.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;

/**
 * Builds a node's whole configuration, highest priority first: {@code -D} system properties,
 * the given overrides (the operator's application.conf, or a test's settings), the node's Akka
 * settings from {@code akka-chat-node.conf} in the jar, and every {@code reference.conf}.
 * Resolved as one, so {@code akka-chat.cluster.*} given anywhere reaches the Akka settings;
 * {@code akka-chat.cluster.tls.enabled = on} switches Artery to its TLS transport.
 */
public final class ChatConfig {
  public static final String NODE_DEFAULTS = "akka-chat-node.conf";

  private ChatConfig() {}

  private static final Config CLUSTER_TLS =
      ConfigFactory.parseString("akka.remote.artery.transport = tls-tcp");

  public static Config load(Config overrides) {
    Config node = ConfigFactory.parseResources(ChatConfig.class.getClassLoader(), NODE_DEFAULTS);
    Config config = ConfigFactory.load(overrides.withFallback(node));
    if (!config.getBoolean("akka-chat.cluster.tls.enabled")) {
      return config;
    }
    // Below the operator's settings, so an explicit akka.remote.artery.transport still wins.
    return ConfigFactory.load(overrides.withFallback(CLUSTER_TLS).withFallback(node));
  }
}
