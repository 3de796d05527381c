package akkachat.config;

import com.typesafe.config.Config;

import java.util.List;
import java.util.Locale;

/**
 * {@code akka-chat.management { }}, the operations port (health checks and metrics over HTTP),
 * and {@code akka-chat.cluster.bootstrap { }}, which forms the cluster through that port instead
 * of a seed list. {@link ChatConfig} hands both to Akka Management; this checks them, so a bad
 * combination stops start-up with one line.
 */
public record ManagementSettings(boolean enabled, String host, int port, boolean bootstrap,
    String discovery, List<String> contactPoints, int requiredContactPoints) {

  public ManagementSettings {
    contactPoints = List.copyOf(contactPoints);
  }

  /** Discovery methods that bootstrap can use, by their setting. */
  static final List<String> DISCOVERY = List.of("config", "kubernetes-api");

  /** Reads and checks both sections from the {@code akka-chat} section {@code c}. */
  static ManagementSettings read(Config c, List<String> seeds) {
    boolean enabled = c.getBoolean("management.enabled");
    String host = c.getString("management.host").trim();
    if (host.isEmpty()) {
      throw ChatSettings.bad(c, "management.host", "must not be empty");
    }
    int port = ChatSettings.port(c, "management.port");
    boolean bootstrap = c.getBoolean("cluster.bootstrap.enabled");
    String discovery = c.getString("cluster.bootstrap.discovery").trim().toLowerCase(Locale.ROOT);
    List<String> contactPoints = ChatSettings.hostPorts(c, "cluster.bootstrap.contact-points");
    int required = c.getInt("cluster.bootstrap.required-contact-points");
    if (bootstrap) {
      String when = "cluster.bootstrap.enabled is on";
      if (!enabled) {
        throw ChatSettings.bad(c, "management.enabled", "must be on when " + when
            + ": bootstrap talks to the other nodes through it");
      }
      if (port == 0) {
        throw ChatSettings.bad(c, "management.port", "must be a fixed port when " + when
            + ": the other nodes find this one there");
      }
      if (!seeds.isEmpty()) {
        throw ChatSettings.bad(c, "cluster.seeds", "must be empty when " + when);
      }
      if (!DISCOVERY.contains(discovery)) {
        throw ChatSettings.bad(c, "cluster.bootstrap.discovery", "must be one of " + DISCOVERY
            + ", got '" + discovery + "'");
      }
      if (discovery.equals("config") && contactPoints.isEmpty()) {
        throw ChatSettings.bad(c, "cluster.bootstrap.contact-points",
            "must list the nodes' management addresses (host:port) when " + when
                + " with discovery = config");
      }
      if (required < 1) {
        throw ChatSettings.bad(c, "cluster.bootstrap.required-contact-points", "must be at least 1");
      }
    }
    return new ManagementSettings(enabled, host, port, bootstrap, discovery, contactPoints,
        required);
  }
}
