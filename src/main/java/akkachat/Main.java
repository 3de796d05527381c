package akkachat;

import akka.actor.CoordinatedShutdown;
import akka.actor.typed.ActorSystem;
import akkachat.config.ChatConfig;
import akkachat.config.ChatSettings;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;

import org.slf4j.LoggerFactory;

import java.io.File;

/**
 * Starts one akka-chat node: reads the settings (the jar's defaults, then the operator's
 * {@code application.conf} in the working directory, then {@code -D} system properties),
 * checks them, and starts the actor system.
 */
public final class Main {

  private Main() {}

  public static void main(String[] args) {
    // Start logback before Akka logs anything, so no early line is held back and replayed.
    LoggerFactory.getLogger(Main.class).debug("starting");
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
    ActorSystem<Guardian.Command> system =
        ActorSystem.create(Guardian.create(settings), "akka-chat", config);
    system.getWhenTerminated().toCompletableFuture().join();
    boolean failed = CoordinatedShutdown.get(system).getShutdownReason()
        .map(r -> r instanceof Guardian.StartupFailed).orElse(false);
    if (failed) {
      System.exit(1);
    }
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
