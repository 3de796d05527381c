package akkachat.config;

import com.typesafe.config.Config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code akka-chat.http { }}: the browser listener, the chat page at {@code /} and the WebSocket
 * at {@code /ws}, and which other sites' pages may open a chat session through it.
 */
public record HttpSettings(boolean enabled, String host, int port, List<String> allowedOrigins) {

  public HttpSettings {
    allowedOrigins = List.copyOf(allowedOrigins);
  }

  /** Reads and checks {@code http} from the {@code akka-chat} section {@code c}. */
  static HttpSettings read(Config c, int chatPort, TlsSettings tls) {
    boolean enabled = c.getBoolean("http.enabled");
    String host = c.getString("http.host").trim();
    if (host.isEmpty()) {
      throw ChatSettings.bad(c, "http.host", "must not be empty");
    }
    int port = ChatSettings.port(c, "http.port");
    if (enabled && port != 0 && (port == chatPort || (tls.enabled() && port == tls.port()))) {
      throw ChatSettings.bad(c, "http.port", "must differ from the chat ports, got " + port);
    }
    List<String> origins = new ArrayList<>();
    for (String origin : c.getStringList("http.allowed-origins")) {
      origins.add(normalizeOrigin(origin).orElseThrow(() -> ChatSettings.bad(c,
          "http.allowed-origins", "must be origins such as https://chat.example.com or"
              + " http://localhost:3000, got '" + origin.trim() + "'")));
    }
    return new HttpSettings(enabled, host, port, origins);
  }

  /**
   * An origin as browsers send it, normalized: scheme://host[:port] in lower case, no path, the
   * scheme's default port left out; empty if {@code origin} is not an http(s) origin.
   */
  public static Optional<String> normalizeOrigin(String origin) {
    try {
      URI uri = new URI(origin.trim());
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      boolean bare = uri.getRawPath() == null || uri.getRawPath().isEmpty();
      if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null && bare
          && uri.getQuery() == null && uri.getFragment() == null && uri.getUserInfo() == null) {
        int port = uri.getPort();
        boolean defaultPort = port == -1 || port == (scheme.equals("http") ? 80 : 443);
        return Optional.of(scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT)
            + (defaultPort ? "" : ":" + port));
      }
    } catch (URISyntaxException e) {
      // not an origin
    }
    return Optional.empty();
  }
}
