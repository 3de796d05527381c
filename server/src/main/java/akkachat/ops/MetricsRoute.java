package akkachat.ops;

import akka.actor.ExtendedActorSystem;
import akka.actor.typed.javadsl.Adapter;
import akka.http.javadsl.model.ContentType;
import akka.http.javadsl.model.ContentTypes;
import akka.http.javadsl.model.HttpEntities;
import akka.http.javadsl.server.AllDirectives;
import akka.http.javadsl.server.Route;
import akka.management.javadsl.ManagementRouteProvider;
import akka.management.javadsl.ManagementRouteProviderSettings;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * {@code GET /metrics} on the management port: the node's {@link NodeMetrics} in the
 * Prometheus text format, written by the Prometheus client. Akka Management loads it by name
 * ({@code akka.management.http.routes}).
 */
public final class MetricsRoute extends AllDirectives implements ManagementRouteProvider {

  private static final PrometheusTextFormatWriter WRITER = PrometheusTextFormatWriter.create();
  private static final ContentType TEXT_FORMAT =
      ContentTypes.parse(PrometheusTextFormatWriter.CONTENT_TYPE);

  private final NodeMetrics metrics;

  public MetricsRoute(ExtendedActorSystem system) {
    this.metrics = NodeMetrics.get(Adapter.toTyped(system));
  }

  @Override
  public Route routes(ManagementRouteProviderSettings settings) {
    return path("metrics", () -> get(() -> complete(HttpEntities.create(TEXT_FORMAT, scrape()))));
  }

  /** Every metric of the node, now, in the text format. */
  byte[] scrape() {
    ByteArrayOutputStream out = new ByteArrayOutputStream(16 * 1024);
    try {
      WRITER.write(out, metrics.registry().scrape());
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
    }
    return out.toByteArray();
  }
}
