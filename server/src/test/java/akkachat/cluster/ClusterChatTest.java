package akkachat.cluster;

import akka.actor.testkit.typed.javadsl.TestProbe;
import akkachat.support.ChatClient;
import akkachat.support.TestCluster;
import akkachat.support.WsClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.TreeMap;

import static akkachat.cluster.ChatSteps.loginSettled;
import static akkachat.cluster.ChatSteps.moveTo;
import static akkachat.cluster.ChatSteps.settle;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Users of one three-node cluster, each connected to its own node's TCP listener (or, one of
 * them, its browser listener), chat as if
 * there were one server: one order of lines, one set of names, one list of rooms, and each line
 * crosses to a node once however many of its users are in the room.
 */
class ClusterChatTest {
  private static final Set<Integer> ALL = Set.of(1, 2, 3);

  private static TestCluster cluster;
  private final List<ChatClient> clients = new ArrayList<>();

  @BeforeAll
  static void startCluster() {
    cluster = TestCluster.start(3);
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @AfterEach
  void closeClients() {
    clients.forEach(ChatClient::close);
    clients.clear();
    // The next test starts in an empty cluster: no departure of this one reaches it.
    cluster.awaitNoMembers(ALL, Duration.ofSeconds(15));
  }

  private ChatClient connect(int node) {
    ChatClient c = cluster.node(node).connect();
    clients.add(c);
    return c;
  }

  /**
   * Logs in on {@code node}. Only {@link #everyNewcomerSeesItsOwnJoinNotice} insists that the
   * newcomer sees its own join notice; the other tests are about other things.
   */
  private ChatClient login(int node, String name) {
    ChatClient c = connect(node);
    loginSettled(c, name);
    return c;
  }

  /** Logs in on {@code node}, moves to {@code room}; the members already there see it. */
  private ChatClient member(int node, String name, String room, List<ChatClient> already) {
    ChatClient c = login(node, name);
    moveTo(c, name, room);
    already.forEach(m -> m.expectLine("*** " + name + " just joined the chatroom"));
    return c;
  }

  @Test
  void everyNewcomerSeesItsOwnJoinNotice() {
    // Many joins, most of them to a room on another node: each newcomer must see its own notice.
    for (int i = 0; i < 60; i++) {
      String name = "newcomer" + i;
      ChatClient c = connect(i % 3 + 1);
      c.login(name); // the lobby's notice, to the newcomer too
      moveTo(c, name, "welcome"); // and the notice of the room it moves to
      c.send("/quit");
      for (String before : c.readUntil("*** Bye!")) {
        assertTrue(before.matches("\\*\\*\\* newcomer\\d+ has disconnected"), before);
      }
      c.close();
    }
  }

  @Test
  void usersOnDifferentNodesSeeTheSameLinesInTheSameOrder() {
    List<ChatClient> members = new ArrayList<>();
    ChatClient ann = member(1, "ann", "order", members);
    members.add(ann);
    ChatClient bob = member(2, "bob", "order", members);
    members.add(bob);
    ChatClient cat = member(3, "Cat", "order", members);
    cat.send("/who");
    cat.expectLine("*** Users online: ann, bob, Cat");

    int perSender = 6;
    List<String> sent = new ArrayList<>();
    for (int i = 1; i <= perSender; i++) {
      ann.send("from ann " + i);
      bob.send("from bob " + i);
      cat.send("from cat " + i);
      sent.add("[ann] from ann " + i);
      sent.add("[bob] from bob " + i);
      sent.add("[Cat] from cat " + i);
    }
    List<String> byAnn = readLines(ann, sent.size());
    List<String> byBob = readLines(bob, sent.size());
    List<String> byCat = readLines(cat, sent.size());

    assertEquals(new HashSet<>(sent), new HashSet<>(byAnn), "ann sees every line once");
    assertEquals(byAnn, byBob, "bob (node 2) sees the lines in ann's (node 1) order");
    assertEquals(byAnn, byCat, "Cat (node 3) sees the lines in ann's (node 1) order");
    for (String sender : List.of("[ann] ", "[bob] ", "[Cat] ")) {
      List<String> own = sent.stream().filter(l -> l.startsWith(sender)).toList();
      assertEquals(own, byAnn.stream().filter(l -> l.startsWith(sender)).toList(),
          "each sender's lines stay in the order they were sent");
    }
    ann.expectNothing(Duration.ofMillis(300));
    bob.expectNothing(Duration.ofMillis(300));
    cat.expectNothing(Duration.ofMillis(300));
  }

  private static List<String> readLines(ChatClient c, int count) {
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      lines.add(c.readLine());
    }
    return lines;
  }

  @Test
  void aNameTakenOnOneNodeIsTakenOnEveryNode() {
    ChatClient alice = login(1, "alice");

    ChatClient onNode2 = connect(2);
    onNode2.expectLine("Welcome to akka-chat!");
    onNode2.expectPrompt();
    onNode2.send("ALICE");
    onNode2.expectLine("*** error: username ALICE is already taken");
    onNode2.expectPrompt();

    ChatClient onNode3 = connect(3);
    onNode3.expectLine("Welcome to akka-chat!");
    onNode3.expectPrompt();
    onNode3.send("Alice");
    onNode3.expectLine("*** error: username Alice is already taken");
    onNode3.expectPrompt();
    onNode3.send("alicia");
    onNode3.expectLine("Welcome, alicia");
    onNode3.expectLine("*** Users online: alice, alicia");
    settle(onNode3, "alicia");
    alice.expectLine("*** alicia just joined the chatroom");

    alice.send("/quit");
    alice.expectLine("*** Bye!");
    alice.expectClosed();
    onNode3.expectLine("*** alice has disconnected");
    onNode2.send("ALICE");
    onNode2.expectLine("Welcome, ALICE");
    onNode2.expectLine("*** Users online: ALICE, alicia");
    onNode3.expectLine("*** ALICE just joined the chatroom");
  }

  @Test
  void aNameIsFreeOnEveryNodeAsSoonAsItsOwnerHasQuit() {
    ChatClient owner = login(1, "reuse");
    for (int i = 1; i <= 9; i++) {
      owner.send("/quit");
      owner.expectLine("*** Bye!");
      owner.expectClosed();
      // at once, on another node, in another letter case
      String name = i % 2 == 0 ? "reuse" : "REUSE";
      ChatClient next = connect(i % 3 + 1);
      next.expectLine("Welcome to akka-chat!");
      next.expectPrompt();
      next.send(name);
      next.expectLine("Welcome, " + name);
      next.expectLine("*** Users online: " + name);
      settle(next, name);
      owner = next;
    }
  }

  @Test
  void roomsListsTheRoomsHostedOnEveryNodeWithTheirCounts() {
    ChatClient lobbyist = login(2, "lobbyist");
    Map<String, Integer> hostOf = new LinkedHashMap<>();
    List<ChatClient> firstMembers = new ArrayList<>();
    // Rooms are placed by sharding: open rooms until every node hosts at least one.
    for (int i = 0; new HashSet<>(hostOf.values()).size() < 3; i++) {
      if (i == 15) {
        fail("sharding did not place a room on every node: " + hostOf);
      }
      String room = "hall-" + i;
      String name = "opener" + i;
      ChatClient c = login(i % 3 + 1, name);
      lobbyist.expectLine("*** " + name + " just joined the chatroom");
      moveTo(c, name, room);
      lobbyist.expectLine("*** " + name + " left the chatroom");
      hostOf.put(room, cluster.hostOf(room, ALL));
      assertNotEquals(0, hostOf.get(room), room + " runs on no node");
      firstMembers.add(c);
    }
    // Two more members for hall-0, from the nodes its opener is not on.
    for (int node : List.of(2, 3)) {
      String name = "guest" + node;
      ChatClient guest = login(node, name);
      lobbyist.expectLine("*** " + name + " just joined the chatroom");
      moveTo(guest, name, "hall-0");
      lobbyist.expectLine("*** " + name + " left the chatroom");
      firstMembers.get(0).expectLine("*** " + name + " just joined the chatroom");
    }

    Map<String, Integer> expected = new TreeMap<>();
    hostOf.keySet().forEach(room -> expected.put(room, 1));
    expected.put("hall-0", 3);
    expected.put("lobby", 1);
    StringJoiner rooms = new StringJoiner(", ", "*** Rooms: ", "");
    expected.forEach((room, n) -> rooms.add(room + " (" + n + ")"));

    lobbyist.send("/rooms");
    lobbyist.expectLine(rooms.toString());
    for (int node = 1; node <= 3; node++) {
      ChatClient member = firstMembers.get(node - 1); // opener i is on node i % 3 + 1
      member.send("/rooms");
      member.expectLine(rooms.toString());
    }
  }

  /**
   * Six readers on three nodes each get a line once, and nothing more. That the room sends a
   * line once per node with members, and to no other node, is ChatRoomTest's.
   */
  @Test
  void aLineReachesEveryReaderOnEveryNodeOnce() {
    List<ChatClient> members = new ArrayList<>();
    int[] nodes = {1, 2, 2, 3, 3, 3};
    for (int i = 0; i < nodes.length; i++) {
      members.add(member(nodes[i], "fan" + i, "fans", members));
    }
    awaitCounts(Map.of("fans", 6));

    members.get(0).send("one line, six readers");
    members.get(5).expectLine("[fan0] one line, six readers");
    members.get(5).send("and a second"); // a second copy of the first would come before it
    for (ChatClient m : members) {
      if (m != members.get(5)) {
        m.expectLine("[fan0] one line, six readers");
      }
      m.expectLine("[fan5] and a second");
    }
  }

  /** Waits until the rooms' own counts (on whichever node hosts them) are exactly these. */
  /**
   * A browser's session on node 2 and nc users on nodes 1 and 3 in one room: lines both ways,
   * and the browser's vanishing is one departure for the others (issue 20).
   */
  @Test
  void aBrowserOnOneNodeChatsWithNcUsersOnTheOthers() {
    ChatClient ann = member(1, "ann", "web", List.of());
    ChatClient bob = member(3, "bob", "web", List.of(ann));
    WsClient cat = cluster.node(2).connectWs();
    try {
      cat.login("cat");
      cat.send("/join web");
      cat.expectFrame("*** Now chatting in room web");
      cat.expectFrame("*** Users online: ann, bob, cat");
      cat.awaitFrame("*** cat just joined the chatroom");
      List.of(ann, bob).forEach(c -> c.expectLine("*** cat just joined the chatroom"));
      cat.send("hello from a browser");
      cat.awaitFrame("[cat] hello from a browser");
      List.of(ann, bob).forEach(c -> c.expectLine("[cat] hello from a browser"));
      bob.send("hello from nc");
      bob.expectLine("[bob] hello from nc");
      ann.expectLine("[bob] hello from nc");
      cat.expectFrame("[bob] hello from nc");
    } finally {
      cat.abort();
    }
    List.of(ann, bob).forEach(c -> c.expectLine("*** cat has disconnected"));
  }

  private static void awaitCounts(Map<String, Integer> expected) {
    TestProbe<Object> probe = TestProbe.create(cluster.node(1).system);
    try {
      probe.awaitAssert(Duration.ofSeconds(10), Duration.ofMillis(100), () -> {
        assertEquals(new TreeMap<>(expected), cluster.roomCounts(ALL));
        return null;
      });
    } finally {
      probe.stop();
    }
  }
}
