package akkachat.cluster;

import akkachat.support.ChatClient;
import akkachat.support.TestCluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** What the cluster tests do again and again through a client's socket, with deadlines. */
final class ChatSteps {

  private ChatSteps() {}

  /** What a room may still say about others just before one leaves it. */
  private static final Pattern NOTICE = Pattern.compile(
      "\\*\\*\\* \\S+ (just joined the chatroom|left the chatroom|has disconnected)");

  /**
   * {@code /join room}, line by line as PROTOCOL.md has it: before the move only notices of the
   * old room may arrive; after the users-online line the mover's own join notice, which other
   * notices of the new room may precede (the new room announces the mover once the old room
   * has let it go).
   */
  static void moveTo(ChatClient c, String name, String room) {
    c.send("/join " + room);
    for (String before : c.readUntil("*** Now chatting in room " + room)) {
      assertTrue(NOTICE.matcher(before).matches(), name + " got before moving: " + before);
    }
    String online = c.readLine();
    assertTrue(online.startsWith("*** Users online: "), "users-online line, got: " + online);
    for (String before : c.readUntil("*** " + name + " just joined the chatroom")) {
      assertTrue(NOTICE.matcher(before).matches(), name + " got before its notice: " + before);
    }
  }

  /**
   * Connects to node {@code node} and logs in as {@code name} with {@link #loginSettled}; the
   * cluster closes the client when it closes.
   */
  static ChatClient login(TestCluster cluster, int node, String name) {
    ChatClient c = cluster.node(node).connect();
    loginSettled(c, name);
    return c;
  }

  /**
   * Logs {@code name} in on {@code node} and moves it to {@code room}: {@code lobby} members see
   * it come and go, {@code members} (already in {@code room}) see it join.
   */
  static ChatClient member(TestCluster cluster, int node, String name, String room,
      List<ChatClient> members, List<ChatClient> lobby) {
    ChatClient c = login(cluster, node, name);
    lobby.forEach(l -> l.expectLine("*** " + name + " just joined the chatroom"));
    moveTo(c, name, room);
    lobby.forEach(l -> l.expectLine("*** " + name + " left the chatroom"));
    members.forEach(m -> m.expectLine("*** " + name + " just joined the chatroom"));
    return c;
  }

  /**
   * Logs in without checking that the newcomer sees its own join notice (ClusterChatTest
   * does): asks /who and reads up to its answer, so the notice, if it comes, is read too.
   * For tests about something else, so that they are not stopped by that one bug.
   */
  static void loginSettled(ChatClient c, String name) {
    c.expectLine("Welcome to akka-chat!");
    c.expectPrompt();
    c.send(name);
    c.expectLine("Welcome, " + name);
    String online = c.readLine();
    assertTrue(online.startsWith("*** Users online: "), "users-online line, got: " + online);
    settle(c, name);
  }

  /**
   * After a login: asks /who and reads up to its answer, and the newcomer's own join notice
   * before it if that comes (the room answers /who on the same path as its notices).
   */
  static void settle(ChatClient c, String name) {
    c.send("/who");
    String line = c.readLine();
    if (line.equals("*** " + name + " just joined the chatroom")) {
      line = c.readLine();
    }
    assertTrue(line.startsWith("*** Users online: "), name + " expected /who, got: " + line);
  }

  /**
   * Moves {@code scout} through rooms {@code prefix-0}, {@code prefix-1}, ... until it is in one
   * that sharding runs on a node of {@code wanted}; returns that room's name.
   */
  static String moveToRoomHostedOn(TestCluster cluster, ChatClient scout, String name,
      String prefix, Set<Integer> wanted) {
    Set<Integer> all = new LinkedHashSet<>();
    for (int n = 1; n <= cluster.size(); n++) {
      all.add(n);
    }
    List<String> tried = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      String room = prefix + "-" + i;
      moveTo(scout, name, room);
      int host = cluster.hostOf(room, all);
      if (wanted.contains(host)) {
        return room;
      }
      tried.add(room + "@" + host);
    }
    return fail("sharding put none of these rooms on nodes " + wanted + ": " + tried);
  }

  static long deadline(Duration within) {
    return System.nanoTime() + within.toNanos();
  }

  /** The order in which lines first appear (duplicates of an earlier line dropped). */
  static List<String> firstSeen(List<String> lines) {
    return new ArrayList<>(new LinkedHashSet<>(lines));
  }

  /** Everything one client has read, so a test can wait for lines and count them at the end. */
  static final class Transcript {
    final String who;
    final ChatClient client;
    final List<String> lines = new ArrayList<>();

    Transcript(String who, ChatClient client) {
      this.who = who;
      this.client = client;
    }

    /**
     * Reads until every line of {@code required} is in the transcript (read now or before), by
     * the deadline; a line outside {@code allowed} fails at once.
     */
    void await(Set<String> required, Set<String> allowed, long deadline) {
      while (!lines.containsAll(required)) {
        long nanos = deadline - System.nanoTime();
        Set<String> missing = new LinkedHashSet<>(required);
        missing.removeAll(lines);
        if (nanos <= 0) {
          fail(who + " never saw " + missing + "; saw " + lines);
        }
        String line;
        try {
          line = client.readLine(Duration.ofNanos(nanos));
        } catch (AssertionError e) {
          throw new AssertionError(who + " never saw " + missing + "; saw " + lines, e);
        }
        lines.add(line);
        if (!allowed.contains(line)) {
          fail(who + " got an unexpected line: " + line + "; saw " + lines);
        }
      }
    }

    int count(String line) {
      return (int) lines.stream().filter(line::equals).count();
    }
  }
}
