package akkachat.config;

import com.typesafe.config.Config;

/**
 * {@code akka-chat.tls { }}: the optional TLS listener for clients, and whether the plain port
 * stays open. Also checks {@code akka-chat.cluster.tls { }}, which {@link ChatConfig} hands to
 * Akka's TLS transport between nodes, so a bad key store stops start-up with one line.
 */
public record TlsSettings(boolean enabled, int port, String keyStore, Secret keyStorePassword,
    boolean plaintext) {

  /** Reads and checks {@code tls} from the {@code akka-chat} section {@code c}. */
  static TlsSettings read(Config c, int plainPort) {
    boolean enabled = c.getBoolean("tls.enabled");
    int port = ChatSettings.port(c, "tls.port");
    boolean plaintext = c.getBoolean("tls.plaintext");
    Secret password = new Secret(c.getString("tls.key-store-password"));
    if (!enabled && !plaintext) {
      throw ChatSettings.bad(c, "tls.plaintext",
          "cannot be off while tls.enabled is off: no port would be open");
    }
    if (enabled) {
      KeyStores.check(c, "tls.key-store", password, true, "tls.enabled is on");
      if (plaintext && port != 0 && port == plainPort) {
        throw ChatSettings.bad(c, "tls.port", "must differ from akka-chat.port, both are " + port);
      }
    }
    return new TlsSettings(enabled, port, c.getString("tls.key-store").trim(), password, plaintext);
  }

  /** Checks {@code cluster.tls}: with it on, both stores must open with their passwords. */
  static void checkCluster(Config c) {
    if (!c.getBoolean("cluster.tls.enabled")) {
      return;
    }
    String when = "cluster.tls.enabled is on";
    KeyStores.check(c, "cluster.tls.key-store",
        new Secret(c.getString("cluster.tls.key-store-password")), true, when);
    KeyStores.check(c, "cluster.tls.trust-store",
        new Secret(c.getString("cluster.tls.trust-store-password")), false, when);
    if (c.getStringList("cluster.tls.enabled-algorithms").isEmpty()) {
      throw ChatSettings.bad(c, "cluster.tls.enabled-algorithms", "must name at least one");
    }
  }
}
