package akkachat.protocol;

/**
 * Removes from a decoded line everything that could reach another terminal as control:
 * C0 controls except TAB (which becomes a space), DEL, C1 controls and the bidirectional
 * overrides U+202A-U+202E and U+2066-U+2069 (PROTOCOL.md section 5).
 */
public final class Sanitizer {
  private Sanitizer() {}

  public static String clean(String line) {
    int n = line.length();
    int i = 0;
    while (i < n && keep(line.charAt(i)) && line.charAt(i) != '\t') {
      i++;
    }
    if (i == n) {
      return line; // the common case: nothing to change, no copy
    }
    StringBuilder sb = new StringBuilder(n);
    sb.append(line, 0, i);
    for (; i < n; i++) {
      char c = line.charAt(i);
      if (c == '\t') {
        sb.append(' ');
      } else if (keep(c)) {
        sb.append(c);
      }
    }
    return sb.toString();
  }

  private static boolean keep(char c) {
    if (c < 0x20) {
      return c == '\t';
    }
    if (c >= 0x7F && c <= 0x9F) {
      return false;
    }
    return !((c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069));
  }
}
