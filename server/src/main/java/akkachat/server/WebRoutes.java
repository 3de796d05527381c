package akkachat.server;

import akka.NotUsed;
import akka.http.javadsl.model.AttributeKeys;
import akka.http.javadsl.model.ContentTypes;
import akka.http.javadsl.model.HttpHeader;
import akka.http.javadsl.model.HttpRequest;
import akka.http.javadsl.model.RemoteAddress;
import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.model.ws.Message;
import akka.http.javadsl.server.AllDirectives;
import akka.http.javadsl.server.Route;
import akka.stream.javadsl.Flow;
import akkachat.config.HttpSettings;

import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * What the browser listener serves: the chat page at {@code /} (static files from the jar's
 * {@code web/} folder) and the chat itself at {@code /ws}, as a WebSocket whose messages are
 * protocol lines ({@link WebSocketFlow}). The upgrade is refused (403) if its {@code Origin} is
 * neither the page's own origin nor one of {@code http.allowed-origins}: another site's page
 * cannot open a chat session in a visitor's browser.
 */
final class WebRoutes extends AllDirectives {

  private final HttpSettings settings;
  private final String scheme;
  /** Asks the server to let a connection from the given address in: its WebSocket flow. */
  private final Function<InetSocketAddress, CompletionStage<Flow<Message, Message, NotUsed>>> open;

  WebRoutes(HttpSettings settings, boolean tls,
      Function<InetSocketAddress, CompletionStage<Flow<Message, Message, NotUsed>>> open) {
    this.settings = settings;
    this.scheme = tls ? "https" : "http";
    this.open = open;
  }

  Route route() {
    return concat(
        path("ws", () -> get(() -> extractRequest(this::webSocket))),
        pathSingleSlash(() -> get(() -> getFromResource("web/index.html",
            ContentTypes.TEXT_HTML_UTF8))),
        get(() -> getFromResourceDirectory("web")));
  }

  private Route webSocket(HttpRequest request) {
    if (request.getAttribute(AttributeKeys.webSocketUpgrade).isEmpty()) {
      return complete(StatusCodes.BAD_REQUEST, "Expected a WebSocket upgrade (the chat page is at /)");
    }
    if (!originAllowed(request)) {
      return complete(StatusCodes.FORBIDDEN, "This page's origin may not open a chat session here");
    }
    return onSuccess(open.apply(remote(request)), this::handleWebSocketMessages);
  }

  /**
   * No {@code Origin} (not a browser), the page's own (scheme and the {@code Host} the browser
   * asked for), or an allowed one.
   */
  boolean originAllowed(HttpRequest request) {
    Optional<HttpHeader> origin = request.getHeader("Origin");
    if (origin.isEmpty()) {
      return true;
    }
    Optional<String> given = HttpSettings.normalizeOrigin(origin.get().value());
    if (given.isEmpty()) {
      return false;
    }
    if (settings.allowedOrigins().contains(given.get())) {
      return true;
    }
    return request.getHeader("Host")
        .flatMap(host -> HttpSettings.normalizeOrigin(scheme + "://" + host.value()))
        .map(given.get()::equals)
        .orElse(false);
  }

  private static InetSocketAddress remote(HttpRequest request) {
    Optional<RemoteAddress> remote = request.getAttribute(AttributeKeys.remoteAddress);
    return remote.flatMap(r -> r.getAddress().map(a -> new InetSocketAddress(a, r.getPort())))
        .orElseGet(() -> new InetSocketAddress(0));
  }
}
