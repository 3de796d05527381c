package akkachat.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The figures of one run, by name in a fixed order, with the warnings about them; printed as a
 * table for people and as one JSON line for scripts. A figure that was not measured is absent.
 */
public final class Report {
  private final Map<String, Object> figures = new LinkedHashMap<>();
  private final List<String> warnings = new ArrayList<>();

  void put(String key, Object value) {
    figures.put(key, value);
  }

  void warn(String warning) {
    warnings.add(warning);
  }

  public List<String> warnings() {
    return List.copyOf(warnings);
  }

  public boolean has(String key) {
    return figures.containsKey(key);
  }

  /** A whole-number figure, e.g. {@code count("lost")}. */
  public long count(String key) {
    return ((Number) require(key)).longValue();
  }

  /** Any numeric figure, e.g. {@code number("latency_p99_us")}. */
  public double number(String key) {
    return ((Number) require(key)).doubleValue();
  }

  /** True when nobody logged in, or a line was lost, out of order or damaged. */
  public boolean failed() {
    return count("logged_in") == 0 || positive("lost") || positive("out_of_order")
        || positive("corrupt");
  }

  private boolean positive(String key) {
    return has(key) && count(key) > 0;
  }

  private Object require(String key) {
    Object v = figures.get(key);
    if (v == null) {
      throw new IllegalArgumentException("no figure " + key);
    }
    return v;
  }

  public String json() {
    StringBuilder b = new StringBuilder("{");
    for (Map.Entry<String, Object> e : figures.entrySet()) {
      b.append('"').append(e.getKey()).append("\":").append(jsonValue(e.getValue())).append(',');
    }
    b.append("\"warnings\":[");
    for (int i = 0; i < warnings.size(); i++) {
      b.append(i == 0 ? "" : ",").append(jsonValue(warnings.get(i)));
    }
    return b.append("],\"ok\":").append(!failed()).append('}').toString();
  }

  private static String jsonValue(Object v) {
    if (v instanceof Double d) {
      return Double.isFinite(d) ? String.format(Locale.ROOT, "%.3f", d) : "null";
    }
    if (v instanceof Number || v instanceof Boolean) {
      return v.toString();
    }
    StringBuilder b = new StringBuilder("\"");
    for (char c : v.toString().toCharArray()) {
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        default -> {
          if (c < 0x20) {
            b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.append('"').toString();
  }

  public String table() {
    StringBuilder b = new StringBuilder();
    b.append(String.format(Locale.ROOT, "akka-chat bench: %s%n", figures.get("scenario")));
    row(b, "logins", "%,d ok, %,d failed, in %.2f s = %,.0f logins/s (p50 %s, p99 %s, max %s)",
        count("logged_in"), count("login_failed"), number("login_s"), number("logins_per_s"),
        ms("login_p50_us"), ms("login_p99_us"), ms("login_max_us"));
    if (has("deliveries")) {
      row(b, "sent", "%,d lines in %.2f s = %,.0f lines/s", count("sent"), number("send_s"),
          number("sent_per_s"));
      row(b, "deliveries", "%,d of %,d expected in %.2f s = %,.0f deliveries/s",
          count("deliveries"), count("expected_deliveries"), number("run_s"),
          number("deliveries_per_s"));
      row(b, "latency", "p50 %s  p99 %s  p99.9 %s  max %s  (mean %s)", ms("latency_p50_us"),
          ms("latency_p99_us"), ms("latency_p999_us"), ms("latency_max_us"),
          ms("latency_mean_us"));
      if (has("send_lag_p99_us")) {
        row(b, "send lag", "p99 %s  max %s behind the --rate schedule", ms("send_lag_p99_us"),
            ms("send_lag_max_us"));
      }
      row(b, "lost", "%,d", count("lost"));
      row(b, "out of order", "%,d (of them duplicates: %,d)", count("out_of_order"),
          count("duplicates"));
      row(b, "corrupt", "%,d", count("corrupt"));
    } else {
      row(b, "held idle", "%.2f s", number("run_s"));
    }
    row(b, "disconnected", "%,d during the run (senders: %,d); non-readers closed by server: %,d",
        count("disconnected"), count("senders_disconnected"), count("non_readers_closed"));
    if (has("server_rss_kb_before")) {
      row(b, "server RSS", "%,d kB before, %,d kB logged in, %,d kB at the end%s",
          count("server_rss_kb_before"), count("server_rss_kb_logged_in"),
          count("server_rss_kb_after"), has("server_rss_bytes_per_conn")
              ? String.format(Locale.ROOT, " (%,d bytes/connection)",
                  count("server_rss_bytes_per_conn")) : "");
      row(b, "server CPU", "%.2f s logging in, %.2f s in the run = %.2f cores",
          number("server_cpu_s_login"), number("server_cpu_s_run"),
          number("server_cores_run"));
    }
    if (has("server_heap_kb_before")) {
      row(b, "server heap", "%,d kB before, %,d kB at the end (%,d bytes/connection)",
          count("server_heap_kb_before"), count("server_heap_kb_after"),
          count("server_heap_bytes_per_conn"));
    }
    row(b, "bench CPU", "%.2f cores of %d, busiest thread %.0f%%", number("bench_cores"),
        count("machine_cores"), 100 * number("bench_busiest_thread"));
    for (String w : warnings) {
      b.append("WARNING: ").append(w).append(System.lineSeparator());
    }
    return b.toString();
  }

  private String ms(String microsKey) {
    double us = number(microsKey);
    return us < 1000 ? String.format(Locale.ROOT, "%.0f us", us)
        : String.format(Locale.ROOT, "%.2f ms", us / 1000);
  }

  private static void row(StringBuilder b, String label, String format, Object... args) {
    b.append(String.format(Locale.ROOT, "  %-14s", label))
        .append(String.format(Locale.ROOT, format, args)).append(System.lineSeparator());
  }
}
