package akkachat.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValueType;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;

/**
 * {@code akka-chat.auth { }}: whether a login needs a signed token after the name, the secret
 * tokens are signed with, and how long a new token lasts. The secret is never shown.
 */
public record AuthSettings(Mode mode, Secret secret, Duration tokenTtl) {

  public enum Mode { NONE, TOKEN }

  /** HMAC-SHA256 wants a key at least as long as its output. */
  public static final int MIN_SECRET_BYTES = 32;

  public boolean tokens() {
    return mode == Mode.TOKEN;
  }

  /** Reads and checks {@code auth} from the {@code akka-chat} section {@code c}. */
  static AuthSettings read(Config c) {
    if (c.getValue("auth").valueType() != ConfigValueType.OBJECT) {
      throw ChatSettings.bad(c, "auth",
          "is a section: set auth.mode = token (or none) and auth.secret");
    }
    String typed = c.getString("auth.mode").trim().toLowerCase(Locale.ROOT);
    Mode mode = switch (typed) {
      case "none" -> Mode.NONE;
      case "token" -> Mode.TOKEN;
      default -> throw ChatSettings.bad(c, "auth.mode", "must be none or token, got '" + typed + "'");
    };
    Duration ttl = ChatSettings.positiveDuration(c, "auth.token-ttl");
    Secret secret = mode == Mode.TOKEN ? signingSecret(c) : new Secret(c.getString("auth.secret"));
    return new AuthSettings(mode, secret, ttl);
  }

  /**
   * The secret tokens are signed with, checked: set, and at least {@value #MIN_SECRET_BYTES}
   * bytes. The error names the key and the variable, never the value.
   */
  static Secret signingSecret(Config c) {
    String value = c.getString("auth.secret");
    if (value.isEmpty()) {
      throw ChatSettings.bad(c, "auth.secret",
          "must be set (env CHAT_AUTH_SECRET) to sign and check tokens");
    }
    int bytes = value.getBytes(StandardCharsets.UTF_8).length;
    if (bytes < MIN_SECRET_BYTES) {
      throw ChatSettings.bad(c, "auth.secret", "must be at least " + MIN_SECRET_BYTES
          + " bytes long, got " + bytes + " (e.g. openssl rand -base64 48)");
    }
    return new Secret(value);
  }

  /** For the {@code token} command: the settings with a checked secret, whatever the mode. */
  public static AuthSettings forIssuing(Config root) {
    Config c = root.getConfig(ChatSettings.PREFIX);
    AuthSettings read = read(c);
    return new AuthSettings(read.mode(), signingSecret(c), read.tokenTtl());
  }
}
