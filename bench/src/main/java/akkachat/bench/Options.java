package akkachat.bench;

import akkachat.protocol.Names;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** One benchmark scenario, as given on the command line; {@link #parse} checks it whole. */
record Options(String protocol, String transport, String path, String host, List<Integer> ports,
    int clients, int rooms, int senders, long lines, double rate, int window, int nonReaders,
    double duration, boolean holdIdle, List<Long> serverPids, boolean serverHeap, boolean jsonOnly,
    int sourceIps, int threads, int connectWindow, String namePrefix, double loginTimeout,
    double drainTimeout, double maxTime) {

  /** Whether clients connect over a WebSocket (--transport ws). */
  boolean websocket() {
    return transport.equals("ws");
  }

  static final String USAGE = String.join("\n",
      "usage: java -jar bench/target/akka-chat-bench.jar [flags]",
      "",
      "Start akka-chat with its per-client rate limit (default 20 lines/s) and connection limits",
      "raised, or it slows the senders down and refuses the clients:",
      "  java -Dakka-chat.rate-limit=1000000 -Dakka-chat.max-connections=100000 \\",
      "       -Dakka-chat.max-connections-per-ip=100000 -jar server/target/akka-chat.jar",
      "",
      "  --protocol akka|irc|gochat  the server's protocol (akka): akka-chat; an IRC server such",
      "                       as ngIRCd (NICK/USER, JOIN #lobby or #rN, PRIVMSG); or the chat",
      "                       server of gopl.io ch8/chat (one room, no names). Setting up",
      "                       the peers: docs/BENCHMARKS.md",
      "  --transport tcp|ws   how clients connect (tcp): ws = akka-chat's WebSocket, the browsers'",
      "                       transport (one text frame per line); --port is then the HTTP",
      "                       listener's (8080). ws only with --protocol akka",
      "  --path P             the WebSocket's path on the HTTP listener (/ws)",
      "  --host H             server address (127.0.0.1)",
      "  --port P[,P...]      server port (akka 6677, irc 6667, gochat 8000; ws 8080); several:",
      "                       clients spread over them (cluster)",
      "  --clients N          connections, each logs in as PREFIX<i> (100)",
      "  --rooms N            rooms r1..rN, clients spread evenly; 1 = stay in the default room",
      "                       (irc: #lobby); gochat has one room only (1)",
      "  --senders N          clients that send, spread over the rooms (10)",
      "  --lines N            lines per sender (1000; ignored with --duration)",
      "  --duration S         send for S seconds instead of --lines; with --hold-idle: hold time",
      "  --rate R             lines/s per sender; 0 = as fast as --window allows (0)",
      "  --window N           lines a sender may have sent but not yet seen echoed (50); IRC does",
      "                       not echo: there it bounds only the lines waiting in the bench's",
      "                       own send buffer, and with --rate 0 the socket alone paces senders",
      "  --non-readers N      clients that never read after login (0)",
      "  --hold-idle          only log everyone in and hold them idle for --duration",
      "  --server-pid PID[,PID...]  report the server's RSS and CPU time from /proc/PID",
      "                       (summed over several PIDs, e.g. the nodes of a local cluster)",
      "  --server-heap        with --server-pid: also its heap after a full GC (runs jcmd)",
      "  --source-ips N       bind clients to 127.0.0.1 .. 127.0.0.N (loopback only) to get past",
      "                       the ephemeral-port limit per source address (1 = no bind)",
      "  --threads N          selector threads in the bench (1)",
      "  --connect-window N   logins in progress at once (200); ngIRCd: at most 10, as it",
      "                       listens with a backlog of 10 and more connections get reset",
      "  --name-prefix S      user name prefix (b); irc: must start with a letter",
      "  --login-timeout S    give up on clients not logged in after S seconds (300)",
      "  --drain-timeout S    after sending, wait at most S seconds without a delivery (10)",
      "  --max-time S         hard limit on the whole run (1800)",
      "  --json-only          print only the JSON line: no progress, no table",
      "",
      "Exit status: 0 ok, 1 lines lost/out of order/corrupt or nobody logged in, 2 bad flags.");

  private static final List<String> SWITCHES = List.of("hold-idle", "server-heap", "json-only");
  private static final Map<String, String> DEFAULT_PORTS =
      Map.of("akka", "6677", "irc", "6667", "gochat", "8000");
  /** akka-chat's HTTP listener, where the WebSocket is. */
  private static final String WS_PORT = "8080";

  static Options parse(String... args) {
    Map<String, String> flags = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (!arg.startsWith("--")) {
        throw new IllegalArgumentException("unexpected argument: " + arg);
      }
      String key = arg.substring(2);
      String value;
      int eq = key.indexOf('=');
      if (eq >= 0) {
        value = key.substring(eq + 1);
        key = key.substring(0, eq);
      } else if (SWITCHES.contains(key)) {
        value = "true";
      } else if (i + 1 < args.length) {
        value = args[++i];
      } else {
        throw new IllegalArgumentException("--" + key + " needs a value");
      }
      flags.put(key, value);
    }
    return from(new Flags(flags));
  }

  private static Options from(Flags f) {
    boolean holdIdle = f.bool("hold-idle");
    int clients = f.integer("clients", 100, 1);
    int senders = f.integer("senders", Math.min(10, clients), 0);
    String protocol = f.text("protocol", "akka");
    String transport = f.text("transport", "tcp");
    String defaultPort =
        transport.equals("ws") ? WS_PORT : DEFAULT_PORTS.getOrDefault(protocol, "6677");
    Options o = new Options(protocol, transport, f.text("path", "/ws"),
        f.text("host", "127.0.0.1"),
        f.list("port", defaultPort).stream()
            .map(Integer::valueOf).toList(),
        clients, f.integer("rooms", 1, 1), holdIdle ? 0 : senders,
        f.integer("lines", 1000, 1), f.decimal("rate", 0), f.integer("window", 50, 1),
        f.integer("non-readers", 0, 0), f.decimal("duration", 0), holdIdle,
        f.list("server-pid", "").stream().map(Long::valueOf).toList(),
        f.bool("server-heap"), f.bool("json-only"), f.integer("source-ips", 1, 1),
        f.integer("threads", 1, 1), f.integer("connect-window", 200, 1),
        f.text("name-prefix", "b"), f.decimal("login-timeout", 300),
        f.decimal("drain-timeout", 10), f.decimal("max-time", 1800));
    f.rejectUnknown();
    o.check();
    return o;
  }

  private void check() {
    require(DEFAULT_PORTS.containsKey(protocol), "--protocol must be akka, irc or gochat");
    require(transport.equals("tcp") || transport.equals("ws"), "--transport must be tcp or ws");
    require(transport.equals("tcp") || protocol.equals("akka"),
        "--transport ws only with --protocol akka");
    require(path.startsWith("/") && path.chars().allMatch(ch -> ch > ' ' && ch < 127),
        "--path must start with / and hold no spaces");
    require(rooms == 1 || !protocol.equals("gochat"), "gochat has one room only: --rooms 1");
    require(namePrefix.matches("[A-Za-z].*") || !protocol.equals("irc"),
        "irc: --name-prefix must start with a letter (an IRC nick cannot start with a digit)");
    require(!ports.isEmpty() && ports.stream().allMatch(p -> p > 0 && p <= 65535),
        "--port must be 1-65535");
    require(serverPids.stream().allMatch(p -> p > 0), "--server-pid must be positive");
    require(rooms <= clients, "--rooms must not exceed --clients");
    require(senders + nonReaders <= clients, "--senders plus --non-readers must not exceed --clients");
    require(!holdIdle || duration > 0, "--hold-idle needs --duration");
    require(!serverHeap || !serverPids.isEmpty(), "--server-heap needs --server-pid");
    require(rate >= 0 && duration >= 0, "--rate and --duration must not be negative");
    require(sourceIps <= 65_000, "--source-ips must be at most 65000");
    require(Names.isValidUsername(namePrefix + (clients - 1)),
        "--name-prefix plus a number must be a valid user name (1-24 letters, digits, '_' or '-')");
    require(loginTimeout > 0 && drainTimeout > 0 && maxTime > 0, "timeouts must be positive");
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }

  /** The flags as typed, read once each so that a misspelt one is reported. */
  private static final class Flags {
    private final Map<String, String> values;

    Flags(Map<String, String> values) {
      this.values = new HashMap<>(values);
    }

    String text(String key, String fallback) {
      String v = values.remove(key);
      return v == null ? fallback : v;
    }

    boolean bool(String key) {
      return Boolean.parseBoolean(text(key, "false"));
    }

    int integer(String key, int fallback, int min) {
      String v = values.remove(key);
      try {
        int n = v == null ? fallback : Integer.parseInt(v.replace("_", "").replace(",", ""));
        if (n < min) {
          throw new IllegalArgumentException("--" + key + " must be at least " + min);
        }
        return n;
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("--" + key + " needs a whole number, got " + v);
      }
    }

    /** Comma-separated whole numbers; none for an empty text. */
    List<String> list(String key, String fallback) {
      String v = text(key, fallback).replace(" ", "");
      if (!v.isEmpty() && !v.matches("[0-9]{1,10}(,[0-9]{1,10})*")) {
        throw new IllegalArgumentException("--" + key + " needs numbers separated by commas, got " + v);
      }
      return v.isEmpty() ? List.of() : List.of(v.split(","));
    }

    double decimal(String key, double fallback) {
      String v = values.remove(key);
      try {
        return v == null ? fallback : Double.parseDouble(v);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("--" + key + " needs a number, got " + v);
      }
    }

    void rejectUnknown() {
      if (!values.isEmpty()) {
        throw new IllegalArgumentException("unknown flag: --" + values.keySet().iterator().next());
      }
    }
  }
}
