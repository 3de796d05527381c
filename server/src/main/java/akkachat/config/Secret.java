package akkachat.config;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * A password or signing key from the settings. It never shows itself: {@code toString} (and so
 * every log line or error message that holds a settings record) prints a placeholder.
 */
public final class Secret {
  private final String value;

  public Secret(String value) {
    this.value = value;
  }

  public boolean isEmpty() {
    return value.isEmpty();
  }

  /** The secret as UTF-8 bytes (a fresh copy). */
  public byte[] bytes() {
    return value.getBytes(StandardCharsets.UTF_8);
  }

  /** The secret as characters (a fresh copy), as key stores want their passwords. */
  public char[] chars() {
    return value.toCharArray();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Secret s && MessageDigest.isEqual(bytes(), s.bytes());
  }

  @Override
  public int hashCode() {
    return 0; // no hint about the value, not even a hash
  }

  @Override
  public String toString() {
    return "<secret>";
  }
}
