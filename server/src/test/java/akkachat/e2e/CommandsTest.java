package akkachat.e2e;

import akkachat.support.ChatClient;
import akkachat.support.ServerPerTest;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * PROTOCOL.md section 3: /help, /who, /rooms, /me, /quit, unknown commands and usage errors
 * (/join, /msg and /nick have their own test classes).
 */
class CommandsTest extends ServerPerTest {
  @Test
  void helpNamesEveryCommandOnStarLines() {
    List<ChatClient> c = server.loginAll("alice", "bob");
    ChatClient alice = c.get(0);
    alice.send("/help");
    alice.send("end of help");
    List<String> help = alice.readUntil("[alice] end of help");
    assertFalse(help.isEmpty(), "/help sent no line");
    for (String line : help) {
      assertTrue(line.startsWith("*** "), "help line without '*** ': " + line);
    }
    String all = String.join("\n", help);
    for (String command : List.of("/help", "/who", "/rooms", "/join", "/msg", "/me", "/nick",
        "/quit")) {
      assertTrue(Pattern.compile("(?<![\\w/])" + command + "(?![\\w])").matcher(all).find(),
          "/help does not name " + command + ":\n" + all);
    }
    // Only the one who asked sees it.
    c.get(1).expectLine("[alice] end of help");
  }

  @Test
  void whoListsThisRoomSortedCaseInsensitively() {
    List<ChatClient> c = server.loginAll("carol", "Bob", "alice", "dave");
    ChatClient dave = c.get(3);
    dave.send("/join elsewhere");
    dave.readUntil("*** dave just joined the chatroom");
    for (ChatClient other : c.subList(0, 3)) {
      other.expectLine("*** dave left the chatroom");
    }
    ChatClient carol = c.get(0);
    carol.send("/who");
    carol.expectLine("*** Users online: alice, Bob, carol");
    dave.send("/who");
    dave.expectLine("*** Users online: dave");
    // Only the one who asked sees it.
    carol.send("marker");
    c.get(1).expectLine("[carol] marker");
  }

  @Test
  void roomsListsRoomsWithMembersSortedByNameWithCounts() {
    List<ChatClient> c = server.loginAll("u1", "u2", "u3", "u4", "u5", "u6", "u7");
    List<ChatClient> lobby = new ArrayList<>(c);
    List<ChatClient> dev = new ArrayList<>();
    move(c.get(5), "u6", lobby, dev, "dev");
    move(c.get(6), "u7", lobby, dev, "dev");
    ChatClient u1 = c.get(0);
    u1.send("/rooms");
    u1.expectLine("*** Rooms: dev (2), lobby (5)");

    // A room that became empty is not listed; rooms sort by name, not by count.
    List<ChatClient> tmp = new ArrayList<>();
    List<ChatClient> zoo = new ArrayList<>();
    move(c.get(4), "u5", lobby, tmp, "tmp");
    move(c.get(4), "u5", tmp, zoo, "zoo");
    c.get(4).send("/rooms");
    c.get(4).expectLine("*** Rooms: dev (2), lobby (4), zoo (1)");
    c.get(6).send("/rooms");
    c.get(6).expectLine("*** Rooms: dev (2), lobby (4), zoo (1)");
  }

  /** Moves {@code mover} from the room of {@code from} to the room of {@code to}. */
  private static void move(ChatClient mover, String name, List<ChatClient> from,
      List<ChatClient> to, String room) {
    from.remove(mover);
    mover.send("/join " + room);
    mover.readUntil("*** " + name + " just joined the chatroom");
    from.forEach(m -> m.expectLine("*** " + name + " left the chatroom"));
    to.forEach(m -> m.expectLine("*** " + name + " just joined the chatroom"));
    to.add(mover);
  }

  @Test
  void meSendsAnActionToEveryoneWithTheSender() {
    List<ChatClient> c = server.loginAll("alice", "bob", "carol");
    c.get(0).send("/me waves at everyone");
    for (ChatClient each : c) {
      each.expectLine("* alice waves at everyone");
    }
  }

  @Test
  void quitSaysByeThenCloses() {
    List<ChatClient> c = server.loginAll("alice", "bob");
    c.get(1).send("/quit");
    c.get(1).expectLine("*** Bye!");
    c.get(1).expectClosed();
    c.get(0).expectLine("*** bob has disconnected");
  }

  @Test
  void unknownCommandIsAnErrorToTheSenderOnly() {
    List<ChatClient> c = server.loginAll("alice", "bob");
    ChatClient alice = c.get(0);
    alice.send("/foo");
    alice.expectLine("*** error: unknown command /foo (try /help)");
    alice.send("/foo bar baz");
    alice.expectLine("*** error: unknown command /foo (try /help)");
    alice.send("marker");
    alice.expectLine("[alice] marker");
    c.get(1).expectLine("[alice] marker");
  }

  @Test
  void commandsWithMissingArgumentsGetTheirUsage() {
    List<ChatClient> c = server.loginAll("alice", "bob");
    ChatClient alice = c.get(0);
    String msgUsage = "*** error: usage: /msg NAME[,NAME...] TEXT";
    alice.send("/msg");
    alice.expectLine(msgUsage);
    alice.send("/msg bob");
    alice.expectLine(msgUsage);
    alice.send("/msg bob ");
    alice.expectLine(msgUsage);
    alice.send("/join");
    alice.expectLine("*** error: usage: /join ROOM");
    alice.send("/me");
    alice.expectLine("*** error: usage: /me TEXT");
    alice.send("/nick");
    alice.expectLine("*** error: usage: /nick NAME");
    alice.send("marker");
    alice.expectLine("[alice] marker");
    c.get(1).expectLine("[alice] marker");
  }
}
