package akkachat.protocol;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;

/**
 * One line from a logged-in user, parsed (PROTOCOL.md sections 2 and 3). Parsing is pure:
 * the session decides what each command does.
 */
public sealed interface ClientCommand {

  /** Blank line: not sent to anyone, but counts as activity. */
  record Blank() implements ClientCommand {}

  record Say(String text) implements ClientCommand {}

  record Help() implements ClientCommand {}

  record Who() implements ClientCommand {}

  record Rooms() implements ClientCommand {}

  /** {@code room} is the raw argument; the session validates it. */
  record Join(String room) implements ClientCommand {}

  record Msg(List<String> recipients, String text) implements ClientCommand {
    public Msg {
      recipients = List.copyOf(recipients);
    }
  }

  record Me(String text) implements ClientCommand {}

  /** {@code name} is everything after {@code /nick }; the session validates it. */
  record Nick(String name) implements ClientCommand {}

  record Quit() implements ClientCommand {}

  /** A command with missing arguments; {@code usage} is the command's usage text. */
  record Usage(String usage) implements ClientCommand {}

  record Unknown(String command) implements ClientCommand {}

  String USAGE_JOIN = "/join ROOM";
  String USAGE_MSG = "/msg NAME[,NAME...] TEXT";
  String USAGE_ME = "/me TEXT";
  String USAGE_NICK = "/nick NAME";

  static ClientCommand parse(String line) {
    if (line.isBlank()) {
      return new Blank();
    }
    if (!line.startsWith("/")) {
      return new Say(line);
    }
    if (line.startsWith("//")) {
      return new Say(line.substring(1));
    }
    int space = indexOfWhitespace(line);
    String word = (space < 0 ? line : line.substring(0, space)).toLowerCase(Locale.ROOT);
    String rest = space < 0 ? "" : line.substring(space + 1);
    return switch (word) {
      case "/help" -> new Help();
      case "/who" -> new Who();
      case "/rooms" -> new Rooms();
      case "/quit" -> new Quit();
      case "/join" -> rest.isBlank() ? new Usage(USAGE_JOIN) : new Join(rest.strip());
      case "/me" -> rest.isBlank() ? new Usage(USAGE_ME) : new Me(rest.stripLeading());
      case "/nick" -> rest.isEmpty() ? new Usage(USAGE_NICK) : new Nick(rest);
      case "/msg" -> parseMsg(rest.stripLeading());
      default -> new Unknown(space < 0 ? line : line.substring(0, space));
    };
  }

  private static ClientCommand parseMsg(String rest) {
    int space = indexOfWhitespace(rest);
    if (space < 0) {
      return new Usage(USAGE_MSG);
    }
    String text = rest.substring(space + 1).stripLeading();
    if (text.isBlank()) {
      return new Usage(USAGE_MSG);
    }
    LinkedHashSet<String> names = new LinkedHashSet<>();
    for (String n : rest.substring(0, space).split(",")) {
      if (!n.isEmpty()) {
        names.add(n);
      }
    }
    if (names.isEmpty()) {
      return new Usage(USAGE_MSG);
    }
    return new Msg(new ArrayList<>(names), text);
  }

  private static int indexOfWhitespace(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (Character.isWhitespace(s.charAt(i))) {
        return i;
      }
    }
    return -1;
  }
}
