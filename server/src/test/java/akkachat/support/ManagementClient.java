package akkachat.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;

/** GETs from a node's management port over real HTTP: health checks and metrics. */
public final class ManagementClient {
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

  private final URI base;
  private final HttpClient http = HttpClient.newBuilder()
      .connectTimeout(REQUEST_TIMEOUT).build();

  public ManagementClient(URI base) {
    this.base = base;
  }

  /** The status code of {@code GET path}, or -1 if nothing listens there (yet). */
  public int status(String path) {
    try {
      return get(path).statusCode();
    } catch (IOException e) {
      return -1;
    }
  }

  public HttpResponse<String> get(String path) throws IOException {
    HttpRequest request = HttpRequest.newBuilder(base.resolve(path)).timeout(REQUEST_TIMEOUT)
        .GET().build();
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }

  /** One scrape of {@code /metrics}. */
  public Metrics scrape() {
    try {
      HttpResponse<String> response = get("/metrics");
      if (response.statusCode() != 200) {
        throw new AssertionError("GET /metrics: " + response.statusCode() + " " + response.body());
      }
      return Metrics.parse(response.body());
    } catch (IOException e) {
      throw new AssertionError("GET /metrics failed", e);
    }
  }

  /** Scrapes until {@code until} holds, or fails after {@code within} showing the last scrape. */
  public Metrics awaitMetrics(Duration within, String what, Predicate<Metrics> until) {
    long deadline = System.nanoTime() + within.toNanos();
    Metrics last = scrape();
    while (!until.test(last)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("within " + within + ": " + what + "\n" + last.text());
      }
      pause();
      last = scrape();
    }
    return last;
  }

  /** Waits until {@code GET path} answers {@code status}; fails after {@code within}. */
  public void awaitStatus(String path, int status, Duration within) {
    long deadline = System.nanoTime() + within.toNanos();
    int last;
    while ((last = status(path)) != status) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("GET " + path + " still answers " + last + ", not " + status
            + ", after " + within);
      }
      pause();
    }
  }

  /** Between two polls of the node's HTTP port; every loop that calls it has a deadline. */
  private static void pause() {
    LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
  }

  /**
   * A scrape in the Prometheus text format: each sample by its name and labels exactly as
   * written ({@code akkachat_logins_total}, {@code akkachat_rooms},
   * {@code akkachat_clients_closed_total{reason="slow_reader"}}).
   */
  public record Metrics(Map<String, Double> samples, String text) {

    static Metrics parse(String text) {
      Map<String, Double> samples = new LinkedHashMap<>();
      for (String line : text.split("\n")) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        int space = line.lastIndexOf(' ');
        samples.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
      }
      return new Metrics(samples, text);
    }

    /** The sample's value; fails if the scrape has no such sample. */
    public double get(String sample) {
      Double value = samples.get(sample);
      if (value == null) {
        throw new AssertionError("no sample " + sample + " in\n" + text);
      }
      return value;
    }

    public boolean has(String sample) {
      return samples.containsKey(sample);
    }
  }
}
