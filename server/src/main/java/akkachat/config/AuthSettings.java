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

  /** How long a token issued without --ttl lasts when {@code auth} is given as a plain word. */
  static final Duration DEFAULT_TTL = Duration.ofHours(24);

  /**
   * Reads and checks {@code auth} from the {@code akka-chat} section {@code c}. It may be a
   * section ({@code auth { mode = token, secret = ... }}) or, as PROTOCOL.md writes it, a plain
   * word ({@code auth = token}, the secret then from CHAT_AUTH_SECRET). A
   * {@code -Dakka-chat.auth=token} next to {@code -Dakka-chat.auth.secret=...} is honoured too,
   * although the two cannot both be kept in one config tree.
   */
  static AuthSettings read(Config c) {
    boolean section = c.getValue("auth").valueType() == ConfigValueType.OBJECT;
    String modeKey = section ? "auth.mode" : "auth";
    String secretKey = section ? "auth.secret" : "auth";
    String typed;
    String secretValue;
    Duration ttl;
    if (section) {
      String word = System.getProperty(ChatSettings.PREFIX + ".auth");
      typed = word != null ? word : c.getString("auth.mode");
      secretValue = c.getString("auth.secret");
      ttl = ChatSettings.positiveDuration(c, "auth.token-ttl");
    } else {
      typed = c.getString("auth");
      String env = System.getenv("CHAT_AUTH_SECRET");
      secretValue = env == null ? "" : env;
      ttl = DEFAULT_TTL;
    }
    typed = typed.trim().toLowerCase(Locale.ROOT);
    Mode mode = switch (typed) {
      case "none" -> Mode.NONE;
      case "token" -> Mode.TOKEN;
      default -> throw ChatSettings.bad(c, modeKey, "must be none or token, got '" + typed + "'");
    };
    Secret secret = mode == Mode.TOKEN
        ? signingSecret(c, secretKey, secretValue) : new Secret(secretValue);
    return new AuthSettings(mode, secret, ttl);
  }

  /**
   * The secret tokens are signed with, checked: set, and at least {@value #MIN_SECRET_BYTES}
   * bytes. The error names the key and the variable, never the value.
   */
  static Secret signingSecret(Config c, String key, String value) {
    if (value.isEmpty()) {
      throw ChatSettings.bad(c, key,
          "the secret must be set (env CHAT_AUTH_SECRET) to sign and check tokens");
    }
    int bytes = value.getBytes(StandardCharsets.UTF_8).length;
    if (bytes < MIN_SECRET_BYTES) {
      throw ChatSettings.bad(c, key, "the secret must be at least " + MIN_SECRET_BYTES
          + " bytes long, got " + bytes + " (e.g. openssl rand -base64 48)");
    }
    return new Secret(value);
  }

  /** For the {@code token} command: the settings with a checked secret, whatever the mode. */
  public static AuthSettings forIssuing(Config root) {
    Config c = root.getConfig(ChatSettings.PREFIX);
    AuthSettings read = read(c);
    return new AuthSettings(read.mode(),
        signingSecret(c, c.getValue("auth").valueType() == ConfigValueType.OBJECT
            ? "auth.secret" : "auth", new String(read.secret().bytes(), StandardCharsets.UTF_8)),
        read.tokenTtl());
  }
}
