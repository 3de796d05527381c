package akkachat.cluster;

import akka.Done;
import akka.actor.CoordinatedShutdown;
import akkachat.cluster.ChatSteps.Transcript;
import akkachat.support.ChatClient;
import akkachat.support.TestCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import static akkachat.cluster.ChatSteps.login;
import static akkachat.cluster.ChatSteps.member;
import static akkachat.cluster.ChatSteps.moveTo;
import static akkachat.cluster.ChatSteps.moveToRoomHostedOn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * Node 2 of three shuts down the way Ctrl-C / SIGTERM does: its users are told and closed, the
 * others see them leave, the rooms it ran move to the other nodes without their members
 * noticing or losing a line, and node 2 leaves the cluster.
 */
class GracefulLeaveTest {
  private static final Set<Integer> REMAINING = Set.of(1, 3);

  private static TestCluster cluster;

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

  @Test
  void leavingNodeSaysGoodbyeAndItsRoomsMoveWithoutLosingALine() throws Exception {
    ChatClient gia = login(cluster, 1, "gia");
    ChatClient gus = login(cluster, 2, "gus");
    gia.expectLine("*** gus just joined the chatroom");
    ChatClient gil = login(cluster, 3, "gil");
    gia.expectLine("*** gil just joined the chatroom");
    gus.expectLine("*** gil just joined the chatroom");
    List<ChatClient> lobby = List.of(gia, gus, gil);

    // A room that runs on node 2, with a user on every node.
    ChatClient max = login(cluster, 1, "max");
    lobby.forEach(c -> c.expectLine("*** max just joined the chatroom"));
    String room = moveToRoomHostedOn(cluster, max, "max", "hall", Set.of(2));
    lobby.forEach(c -> c.expectLine("*** max left the chatroom"));
    ChatClient mia = member(cluster, 2, "mia", room, List.of(max), lobby);
    ChatClient mo = member(cluster, 3, "mo", room, List.of(max, mia), lobby);

    max.send("before the leave");
    for (ChatClient c : List.of(max, mia, mo)) {
      c.expectLine("[max] before the leave");
    }

    // max speaks at three moments of node 2's shutdown: as its sessions are closed, as its
    // rooms are handed off, and once they have stopped, as the node leaves the cluster; mo
    // speaks at the last one too.
    CoordinatedShutdown shutdown = CoordinatedShutdown.get(cluster.node(2).system);
    sayDuring(shutdown, CoordinatedShutdown.PhaseServiceRequestsDone(), max, "as sessions close");
    sayDuring(shutdown, CoordinatedShutdown.PhaseClusterShardingShutdownRegion(), max,
        "as rooms hand off");
    sayDuring(shutdown, CoordinatedShutdown.PhaseClusterLeave(), max, "as node 2 leaves");
    sayDuring(shutdown, CoordinatedShutdown.PhaseClusterLeave(), mo, "me too");
    CompletionStage<Done> done = shutdown.runAll(CoordinatedShutdown.unknownReason());

    // Node 2's users are told and closed.
    long closedBy = ChatSteps.deadline(Duration.ofSeconds(15));
    Transcript tGus = new Transcript("gus", gus);
    tGus.await(Set.of("*** server is shutting down"), Set.of("*** server is shutting down"),
        closedBy);
    gus.expectClosed();
    Transcript tMia = new Transcript("mia", mia);
    tMia.await(Set.of("*** server is shutting down"),
        Set.of("*** server is shutting down", "[max] as sessions close"), closedBy);
    mia.expectClosed();

    // The others see them leave, once.
    Transcript tGia = new Transcript("gia", gia);
    Transcript tGil = new Transcript("gil", gil);
    String gusGone = "*** gus has disconnected";
    for (Transcript t : List.of(tGia, tGil)) {
      t.await(Set.of(gusGone), Set.of(gusGone), closedBy);
    }

    done.toCompletableFuture().get(60, TimeUnit.SECONDS);
    cluster.awaitMembers(1, REMAINING);
    cluster.awaitMembers(3, REMAINING);

    max.send("after the leave");
    mo.send("mo is still here");

    // The room moved; its members lost no line (a line may come twice: at-least-once).
    List<String> maxLines = List.of("[max] as sessions close", "[max] as rooms hand off",
        "[max] as node 2 leaves", "[max] after the leave");
    String miaGone = "*** mia has disconnected";
    String moLine = "[mo] mo is still here";
    String moToo = "[mo] me too";
    Set<String> roomLines = Set.of(miaGone, moLine, moToo, maxLines.get(0), maxLines.get(1),
        maxLines.get(2), maxLines.get(3));
    long chatBy = ChatSteps.deadline(Duration.ofSeconds(15));
    Transcript tMax = new Transcript("max", max);
    Transcript tMo = new Transcript("mo", mo);
    for (Transcript t : List.of(tMax, tMo)) {
      t.await(roomLines, roomLines, chatBy);
      assertEquals(1, t.count(miaGone), t.who + " saw mia leave once: " + t.lines);
      assertEquals(maxLines, ChatSteps.firstSeen(t.lines).stream()
          .filter(maxLines::contains).toList(), t.who + " saw max's lines in order: " + t.lines);
    }

    String bothHere = "*** Users online: max, mo";
    Set<String> whoLines = Set.of(bothHere, moLine, moToo, maxLines.get(0), maxLines.get(1),
        maxLines.get(2), maxLines.get(3));
    mo.send("/who");
    tMo.await(Set.of(bothHere), whoLines, ChatSteps.deadline(Duration.ofSeconds(10)));
    assertNotEquals(0, cluster.hostOf(room, REMAINING), room + " runs on neither node 1 nor 3");

    // The lobby goes on too, and nobody hears of gus twice.
    gil.send("lobby goes on");
    for (Transcript t : List.of(tGia, tGil)) {
      t.await(Set.of("[gil] lobby goes on"), Set.of(gusGone, "[gil] lobby goes on"),
          ChatSteps.deadline(Duration.ofSeconds(10)));
      assertEquals(1, t.count(gusGone), t.who + " saw gus leave once: " + t.lines);
    }
  }

  private static void sayDuring(CoordinatedShutdown shutdown, String phase, ChatClient client,
      String text) {
    shutdown.addTask(phase, "test-say-" + text.replace(' ', '-'), () -> {
      client.send(text);
      return CompletableFuture.completedFuture(Done.getInstance());
    });
  }

}
