package akkachat.protocol;

import java.util.Locale;
import java.util.Optional;

/** Rules for user and room names (PROTOCOL.md sections 1 and 3). */
public final class Names {
  public static final int MAX_USER = 24;
  public static final int MAX_ROOM = 32;

  private Names() {}

  /** 1 to 24 of A-Z, a-z, 0-9, '_' or '-'. */
  public static boolean isValidUsername(String name) {
    int n = name.length();
    if (n < 1 || n > MAX_USER) {
      return false;
    }
    for (int i = 0; i < n; i++) {
      char c = name.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '_' || c == '-';
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /** The key a name is compared by: names are unique case-insensitively. */
  public static String key(String name) {
    return name.toLowerCase(Locale.ROOT);
  }

  /**
   * The canonical room name for what a user typed: a leading '#' dropped, lower case, then
   * 1 to 32 of a-z, 0-9, '_' or '-'; empty if it is not a valid room name.
   */
  public static Optional<String> roomName(String typed) {
    String s = typed.startsWith("#") ? typed.substring(1) : typed;
    s = s.toLowerCase(Locale.ROOT);
    int n = s.length();
    if (n < 1 || n > MAX_ROOM) {
      return Optional.empty();
    }
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
      if (!ok) {
        return Optional.empty();
      }
    }
    return Optional.of(s);
  }
}
