package akkachat.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;

/**
 * Builds a node's whole configuration, highest priority first: {@code -D} system properties,
 * the given overrides (the operator's application.conf, or a test's settings), the node's Akka
 * settings from {@code akka-chat-node.conf} in the jar, and every {@code reference.conf}.
 * Resolved as one, so {@code akka-chat.cluster.*} given anywhere reaches the Akka settings.
 */
public final class ChatConfig {
  public static final String NODE_DEFAULTS = "akka-chat-node.conf";

  private ChatConfig() {}

  public static Config load(Config overrides) {
    Config node = ConfigFactory.parseResources(ChatConfig.class.getClassLoader(), NODE_DEFAULTS);
    return ConfigFactory.load(overrides.withFallback(node));
  }
}
