package akkachat.protocol;

import akka.util.ByteString;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Every line the server sends, word for word as in PROTOCOL.md, and their encoding to bytes
 * with the configured line ending. A room encodes each line once and shares the bytes with
 * every recipient.
 */
public final class Lines {
  public static final String PROMPT = "Please enter your username: ";
  public static final String TOKEN_PROMPT = "Please enter your token: ";
  public static final String INVALID_TOKEN = "*** error: invalid token";
  public static final String TOKEN_EXPIRED = "*** error: token expired";
  public static final String INVALID_USERNAME =
      "*** error: invalid username (use 1-24 letters, digits, '_' or '-')";
  public static final String INVALID_ROOM =
      "*** error: invalid room name (use 1-32 letters, digits, '_' or '-')";
  public static final String BYE = "*** Bye!";
  public static final String SHUTTING_DOWN = "*** server is shutting down";
  public static final String SERVER_FULL = "*** error: server is full, try again later";
  public static final String TRY_AGAIN = "*** error: the room did not answer, try again";

  public static final List<String> HELP = List.of(
      "*** Commands:",
      "***   /help                     this list",
      "***   /who                      who is in this room",
      "***   /rooms                    every room with its member count",
      "***   /join ROOM                leave this room and enter ROOM",
      "***   /msg NAME[,NAME...] TEXT  private message to members of this room",
      "***   /me TEXT                  an action: * yourname TEXT",
      "***   /nick NAME                change your name",
      "***   /quit                     leave the chat",
      "***   //text                    send a line that starts with /");

  private final byte[] newline;

  public Lines(String newline) {
    this.newline = newline.getBytes(StandardCharsets.US_ASCII);
  }

  /** One server line as bytes, with the line ending. */
  public ByteString encode(String line) {
    byte[] text = line.getBytes(StandardCharsets.UTF_8);
    byte[] out = new byte[text.length + newline.length];
    System.arraycopy(text, 0, out, 0, text.length);
    System.arraycopy(newline, 0, out, text.length, newline.length);
    return ByteString.fromArrayUnsafe(out);
  }

  /** Text without a line ending (the username prompt). */
  public static ByteString raw(String text) {
    return ByteString.fromString(text, StandardCharsets.UTF_8);
  }

  public static String welcome(String name) {
    return "Welcome, " + name;
  }

  /** Names must already be sorted case-insensitively. */
  public static String usersOnline(Collection<String> names) {
    return "*** Users online: " + String.join(", ", names);
  }

  public static String joined(String name) {
    return "*** " + name + " just joined the chatroom";
  }

  public static String left(String name) {
    return "*** " + name + " left the chatroom";
  }

  public static String disconnected(String name) {
    return "*** " + name + " has disconnected";
  }

  public static String said(String name, String text) {
    return "[" + name + "] " + text;
  }

  public static String emote(String name, String text) {
    return "* " + name + " " + text;
  }

  public static String privateMessage(String from, List<String> to, String text) {
    return "[" + from + " -> " + String.join(",", to) + "] " + text;
  }

  public static String renamed(String from, String to) {
    return "*** " + from + " is now known as " + to;
  }

  public static String nowChattingIn(String room) {
    return "*** Now chatting in room " + room;
  }

  /** Rooms with their member counts, already sorted by name. */
  public static String rooms(Map<String, Integer> counts) {
    StringBuilder sb = new StringBuilder("*** Rooms: ");
    boolean first = true;
    for (Map.Entry<String, Integer> e : counts.entrySet()) {
      if (!first) {
        sb.append(", ");
      }
      first = false;
      sb.append(e.getKey()).append(" (").append(e.getValue()).append(')');
    }
    return sb.toString();
  }

  public static String nameTaken(String name) {
    return "*** error: username " + name + " is already taken";
  }

  public static String nameTakenInRoom(String name, String room) {
    return "*** error: username " + name + " is already taken in room " + room;
  }

  public static String alreadyInRoom(String room) {
    return "*** error: you are already in room " + room;
  }

  public static String noSuchUser(String name) {
    return "*** error: no such user in this room: " + name;
  }

  public static String unknownCommand(String command) {
    return "*** error: unknown command " + command + " (try /help)";
  }

  public static String usage(String usage) {
    return "*** error: usage: " + usage;
  }

  public static String lineTooLong(int max) {
    return "*** error: line too long (max " + max + " bytes)";
  }

  public static String idleTimeout(String duration) {
    return "*** disconnected: idle for " + duration;
  }

  public static String loginTimeout(String duration) {
    return "*** disconnected: no username within " + duration;
  }
}
