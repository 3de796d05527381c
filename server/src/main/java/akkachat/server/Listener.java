package akkachat.server;

import akkachat.config.ChatSettings;
import akkachat.ops.NodeMetrics;

/** The listeners of a node: the plain and the TLS chat ports, and the browsers' HTTP port. */
enum Listener {
  PLAIN(NodeMetrics.Transport.PLAIN), TLS(NodeMetrics.Transport.TLS),
  HTTP(NodeMetrics.Transport.WEBSOCKET);

  /** How its connections are counted. */
  final NodeMetrics.Transport transport;

  Listener(NodeMetrics.Transport transport) {
    this.transport = transport;
  }

  String host(ChatSettings settings) {
    return this == HTTP ? settings.http().host() : settings.host();
  }

  /** The configured port (0: any free one). */
  int port(ChatSettings settings) {
    return switch (this) {
      case PLAIN -> settings.port();
      case TLS -> settings.tls().port();
      case HTTP -> settings.http().port();
    };
  }

  /** After the address in the log: which listener this is ("" for the plain chat port). */
  String label(ChatSettings settings) {
    return switch (this) {
      case PLAIN -> "";
      case TLS -> " (tls)";
      case HTTP -> settings.tls().enabled() ? " (https)" : " (http)";
    };
  }

  /** How the operator moves or switches off a listener whose port is taken ("" if no hint). */
  String hint() {
    return this == HTTP ? " (set CHAT_HTTP_PORT, or CHAT_HTTP=off)" : "";
  }
}
