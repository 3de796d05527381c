package akkachat.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every {@code akka-chat { }} setting, read and checked once at start-up and passed down to the
 * actors. A bad value throws {@link ConfigException.BadValue} naming the key, so {@code Main} can
 * print one clear line instead of a stack trace.
 */
public record ChatSettings(
    String host,
    int port,
    List<String> banner,
    String defaultRoom,
    Duration loginTimeout,
    String loginTimeoutText,
    Duration idleTimeout,
    String idleTimeoutText,
    int maxLineBytes,
    int sendQueueLimit,
    Duration slowReaderTimeout,
    long sendQueueMaxBytes,
    int nodeLagLimit,
    int rateLimit,
    int maxConnections,
    int maxConnectionsPerIp,
    String lineEnding,
    Duration requestTimeout,
    Duration shutdownGrace,
    Duration shutdownDrain,
    List<String> clusterSeeds,
    TlsSettings tls,
    AuthSettings auth,
    ManagementSettings management,
    HttpSettings http) {

  public static final String PREFIX = "akka-chat";
  private static final Pattern ROOM = Pattern.compile("[a-z0-9_-]{1,32}");
  /** Below this, a reading client would be closed for a burst of a few long lines. */
  private static final long MIN_QUEUE_BYTES = 1024 * 1024;

  public ChatSettings {
    banner = List.copyOf(banner);
    clusterSeeds = List.copyOf(clusterSeeds);
  }

  /** Reads {@code akka-chat { }} from a resolved config (the whole config, not the sub-tree). */
  public static ChatSettings fromConfig(Config root) {
    Config c = root.getConfig(PREFIX);
    String host = c.getString("host").trim();
    if (host.isEmpty()) {
      throw bad(c, "host", "must not be empty");
    }
    int port = port(c, "port");
    List<String> banner = c.getStringList("banner");
    String defaultRoom = c.getString("default-room").toLowerCase(Locale.ROOT);
    if (!ROOM.matcher(defaultRoom).matches()) {
      throw bad(c, "default-room", "must be 1 to 32 of a-z, 0-9, '_' or '-', got '" + defaultRoom + "'");
    }
    Duration login = positiveDuration(c, "login-timeout");
    Duration idle = positiveDuration(c, "idle-timeout");
    int maxLine = atLeast(c, "max-line-bytes", 16);
    int queue = atLeast(c, "send-queue-limit", 1);
    Duration slowReader = positiveDuration(c, "slow-reader-timeout");
    long queueBytes = bytesAtLeast(c, "send-queue-max-bytes", MIN_QUEUE_BYTES, "1 MiB");
    int nodeLag = atLeast(c, "node-lag-limit", 1);
    int rate = atLeast(c, "rate-limit", 1);
    int maxConn = atLeast(c, "max-connections", 1);
    int perIp = atLeast(c, "max-connections-per-ip", 1);
    String ending = c.getString("line-ending").trim().toLowerCase(Locale.ROOT);
    if (!ending.equals("lf") && !ending.equals("crlf")) {
      throw bad(c, "line-ending", "must be lf or crlf, got '" + ending + "'");
    }
    Duration request = positiveDuration(c, "request-timeout");
    Duration grace = positiveDuration(c, "shutdown-grace");
    Duration drain = c.getDuration("shutdown-drain");
    if (drain.isNegative()) {
      throw bad(c, "shutdown-drain",
          "must not be negative, got " + c.getValue("shutdown-drain").unwrapped());
    }
    List<String> seeds = hostPorts(c, "cluster.seeds");
    TlsSettings tls = TlsSettings.read(c, port);
    TlsSettings.checkCluster(c);
    AuthSettings auth = AuthSettings.read(c);
    ManagementSettings management = ManagementSettings.read(c, seeds);
    HttpSettings http = HttpSettings.read(c, port, tls);
    return new ChatSettings(host, port, banner, defaultRoom,
        login, describe(c, "login-timeout", login), idle, describe(c, "idle-timeout", idle),
        maxLine, queue, slowReader, queueBytes, nodeLag, rate, maxConn, perIp, ending, request,
        grace, drain, seeds, tls, auth, management, http);
  }

  /** The bytes every server line ends with. */
  public String newline() {
    return lineEnding.equals("crlf") ? "\r\n" : "\n";
  }

  private static final Pattern HOST_PORT = Pattern.compile("[^\\s:,]+:\\d{1,5}");

  /**
   * A comma-separated host:port list such as {@code cluster.seeds}; empty (for the seeds: this
   * node starts alone) is allowed.
   */
  static List<String> hostPorts(Config c, String key) {
    List<String> all = new java.util.ArrayList<>();
    for (String s : c.getString(key).split(",")) {
      String one = s.trim();
      if (one.isEmpty()) {
        continue;
      }
      if (!HOST_PORT.matcher(one).matches()) {
        throw bad(c, key, "must be comma-separated host:port, got '" + one + "'");
      }
      all.add(one);
    }
    return all;
  }

  static int port(Config c, String key) {
    int port = c.getInt(key);
    if (port < 0 || port > 65535) {
      throw bad(c, key, "must be between 0 and 65535, got " + port);
    }
    return port;
  }

  static Duration positiveDuration(Config c, String key) {
    Duration d = c.getDuration(key);
    if (d.isZero() || d.isNegative()) {
      throw bad(c, key, "must be a positive duration, got " + c.getValue(key).unwrapped());
    }
    return d;
  }

  /** A size such as {@code 8 MiB} or {@code 8388608}, at least {@code min} ({@code shown}). */
  private static long bytesAtLeast(Config c, String key, long min, String shown) {
    long v;
    try {
      v = c.getBytes(key);
    } catch (ConfigException.BadValue | ConfigException.WrongType e) {
      throw bad(c, key, "must be a size in bytes such as 8 MiB, got "
          + c.getValue(key).unwrapped());
    }
    if (v < min) {
      throw bad(c, key, "must be at least " + shown + ", got " + c.getValue(key).unwrapped());
    }
    return v;
  }

  private static int atLeast(Config c, String key, int min) {
    int v = c.getInt(key);
    if (v < min) {
      throw bad(c, key, "must be at least " + min + ", got " + v);
    }
    return v;
  }

  static ConfigException.BadValue bad(Config c, String key, String why) {
    return new ConfigException.BadValue(c.getValue(key).origin(), PREFIX + "." + key, why);
  }

  private static final Pattern AMOUNT = Pattern.compile("\\s*(\\d+)\\s*([a-zA-Z]*)\\s*");

  /**
   * A duration as users see it, in the whole unit the operator wrote: {@code 60s} is
   * "60 seconds", {@code 5m} is "5 minutes", {@code 1 minute} is "1 minute".
   */
  static String describe(Config c, String key, Duration d) {
    Object raw = c.getValue(key).unwrapped();
    Matcher m = AMOUNT.matcher(String.valueOf(raw));
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      String unit = unitName(m.group(2));
      if (unit != null) {
        return n + " " + unit + (n == 1 ? "" : "s");
      }
    }
    return describe(d);
  }

  /** A duration in the largest whole unit that expresses it exactly. */
  public static String describe(Duration d) {
    long ms = d.toMillis();
    long[] sizes = {86_400_000L, 3_600_000L, 60_000L, 1_000L, 1L};
    String[] names = {"day", "hour", "minute", "second", "millisecond"};
    for (int i = 0; i < sizes.length; i++) {
      if (ms % sizes[i] == 0) {
        long n = ms / sizes[i];
        return n + " " + names[i] + (n == 1 ? "" : "s");
      }
    }
    return ms + " milliseconds";
  }

  private static String unitName(String unit) {
    return switch (unit.toLowerCase(Locale.ROOT)) {
      case "", "ms", "milli", "millis", "millisecond", "milliseconds" -> "millisecond";
      case "s", "second", "seconds" -> "second";
      case "m", "minute", "minutes" -> "minute";
      case "h", "hour", "hours" -> "hour";
      case "d", "day", "days" -> "day";
      default -> null;
    };
  }
}
