package akkachat.config;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;

/** What the settings tests share: settings over the defaults, and a refused setting. */
final class Settings {

  private Settings() {}

  /** The defaults with {@code hocon} (keys under akka-chat) laid over them. */
  static ChatSettings with(String hocon) {
    Config config = ConfigFactory.parseString("akka-chat { " + hocon + " }")
        .withFallback(ConfigFactory.load())
        .resolve();
    return ChatSettings.fromConfig(config);
  }

  /** Expects {@code hocon} refused in one line naming {@code key}; returns the message. */
  static String refused(String hocon, String key) {
    ConfigException.BadValue e =
        assertThrows(ConfigException.BadValue.class, () -> with(hocon));
    assertTrue(e.getMessage().contains("akka-chat." + key), e.getMessage());
    assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
    return e.getMessage();
  }
}
