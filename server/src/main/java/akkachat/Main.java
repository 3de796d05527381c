package akkachat;

import akka.actor.CoordinatedShutdown;
import akka.actor.typed.ActorSystem;
import akkachat.auth.Tokens;
import akkachat.config.AuthSettings;
import akkachat.config.ChatConfig;
import akkachat.config.ChatSettings;
import akkachat.protocol.Names;
import akkachat.server.BindFailure;
import akkachat.server.ListenerLost;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;

import org.slf4j.LoggerFactory;

import java.io.File;
import java.io.PrintStream;
import java.net.BindException;
import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

/**
 * Starts one akka-chat node: reads the settings (the jar's defaults, then the operator's
 * {@code application.conf} in the working directory, then {@code -D} system properties),
 * checks them, and starts the actor system. {@code token NAME [--ttl 24h]} instead prints a
 * login token for NAME, signed with the same settings' {@code auth.secret}; {@code selftest}
 * runs a node of its own for a moment and checks that a user can chat on it
 * ({@link SelfTest}).
 */
public final class Main {

  private Main() {}

  private static final String TOKEN_USAGE = "usage: java -jar akka-chat.jar token NAME [--ttl 24h]";

  public static void main(String[] args) {
    if (args.length > 0 && args[0].equals("token")) {
      int code;
      try {
        code = issueToken(List.of(args).subList(1, args.length), loadConfig(), Clock.systemUTC(),
            System.out, System.err);
      } catch (ConfigException e) {
        System.err.println("akka-chat: bad setting: " + e.getMessage());
        code = 2;
      }
      System.exit(code);
      return;
    }
    // Start logback before Akka logs anything, so no early line is held back and replayed.
    LoggerFactory.getLogger(Main.class).debug("starting");
    if (args.length == 1 && args[0].equals("selftest")) {
      System.exit(SelfTest.run(System.out, System.err));
      return;
    }
    Config config;
    ChatSettings settings;
    try {
      config = loadConfig();
      settings = ChatSettings.fromConfig(config);
    } catch (ConfigException e) {
      System.err.println("akka-chat: bad setting: " + e.getMessage());
      System.exit(2);
      return;
    }
    ActorSystem<Guardian.Command> system;
    try {
      system = ActorSystem.create(Guardian.create(settings), "akka-chat", config);
    } catch (ConfigException e) {
      System.err.println("akka-chat: bad setting: " + e.getMessage());
      System.exit(2);
      return;
    } catch (RuntimeException e) {
      System.err.println(startFailure(e, config));
      System.exit(1);
      return;
    }
    system.getWhenTerminated().toCompletableFuture().join();
    int status = CoordinatedShutdown.get(system).getShutdownReason().map(Main::exitStatus).orElse(0);
    if (status != 0) {
      System.exit(status);
    }
  }

  /**
   * The exit status for the reason the node stopped: 1 if it could not start, or lost a
   * listener while running; 3 if it is out of
   * the cluster against its will (downed by the split brain resolver, e.g. after being cut off
   * or frozen past {@code stable-after}; or refused when joining), so that a supervisor starts
   * it again as a new node; 0 otherwise (SIGTERM, a graceful leave). Akka's own
   * {@code coordinated-shutdown.exit-jvm} is not used: it would also end the JVM of
   * {@code selftest} and of tests that run nodes in-process.
   */
  static int exitStatus(CoordinatedShutdown.Reason reason) {
    if (reason instanceof Guardian.StartupFailed || reason instanceof ListenerLost) {
      return 1;
    }
    if (reason == CoordinatedShutdown.clusterDowningReason()
        || reason == CoordinatedShutdown.clusterJoinUnsuccessfulReason()
        || reason == CoordinatedShutdown.incompatibleConfigurationDetectedReason()) {
      return 3;
    }
    return 0;
  }

  /**
   * The {@code token} command: {@code args} are what follows the word {@code token}. Prints the
   * token alone on {@code out} (and when it expires on {@code err}); returns the exit code: 0,
   * or 2 with one line on {@code err} for bad arguments or a missing or short secret.
   */
  static int issueToken(List<String> args, Config config, Clock clock, PrintStream out,
      PrintStream err) {
    String name = null;
    String ttlText = null;
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if (arg.equals("--ttl") && i + 1 < args.size() && ttlText == null) {
        ttlText = args.get(++i);
      } else if (arg.startsWith("--ttl=") && ttlText == null) {
        ttlText = arg.substring("--ttl=".length());
      } else if (name == null && !arg.startsWith("-")) {
        name = arg;
      } else {
        err.println("akka-chat: " + TOKEN_USAGE);
        return 2;
      }
    }
    if (name == null) {
      err.println("akka-chat: " + TOKEN_USAGE);
      return 2;
    }
    if (!Names.isValidUsername(name)) {
      err.println("akka-chat: invalid username '" + name + "' (use 1-24 letters, digits, '_' or '-')");
      return 2;
    }
    AuthSettings auth;
    try {
      auth = AuthSettings.forIssuing(config);
    } catch (ConfigException e) {
      err.println("akka-chat: bad setting: " + e.getMessage());
      return 2;
    }
    Duration ttl = auth.tokenTtl();
    if (ttlText != null) {
      try {
        ttl = ConfigFactory.parseMap(Map.of("ttl", ttlText)).getDuration("ttl");
      } catch (ConfigException e) {
        ttl = Duration.ZERO;
      }
      if (ttl.isZero() || ttl.isNegative()) {
        err.println("akka-chat: bad --ttl '" + ttlText + "': use a positive duration, e.g. 24h, 30m, 7d");
        return 2;
      }
    }
    out.println(new Tokens(auth.secret().bytes(), clock).issue(name, ttl));
    err.println("akka-chat: token for " + name + " (in any letter case), valid until "
        + clock.instant().plus(ttl).truncatedTo(ChronoUnit.SECONDS));
    return 0;
  }

  /**
   * The one line for an actor system that did not start: a cluster port it could not bind
   * (Akka's {@code RemoteTransportException} caused by a {@link BindException}) names the
   * cluster address and the fix; anything else its message.
   */
  static String startFailure(RuntimeException e, Config config) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof BindException) {
        String reason = BindFailure.reason(t);
        String hint = reason.contains("in use")
            ? "is another akka-chat running? set CLUSTER_PORT"
            : "check CLUSTER_HOST and CLUSTER_PORT";
        return "akka-chat: cannot start the cluster node on "
            + config.getString("akka.remote.artery.canonical.hostname") + ":"
            + config.getInt("akka.remote.artery.canonical.port") + ": " + reason + " (" + hint + ")";
      }
    }
    return "akka-chat: cannot start: " + (e.getMessage() != null ? e.getMessage() : e.toString());
  }

  /** Defaults from the jar, overridden by ./application.conf, overridden by -D properties. */
  static Config loadConfig() {
    Config operator = ConfigFactory.empty();
    if (System.getProperty("config.file") == null && System.getProperty("config.resource") == null
        && System.getProperty("config.url") == null) {
      File file = new File("application.conf");
      if (file.isFile()) {
        operator = ConfigFactory.parseFile(file);
      }
    } else {
      operator = ConfigFactory.defaultApplication();
    }
    return ChatConfig.load(operator);
  }
}
