package akkachat.cluster;

import akkachat.cluster.ChatSteps.Transcript;
import akkachat.support.ChatClient;
import akkachat.support.TestCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static akkachat.cluster.ChatSteps.login;
import static akkachat.cluster.ChatSteps.member;
import static akkachat.cluster.ChatSteps.moveTo;
import static akkachat.cluster.ChatSteps.moveToRoomHostedOn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * Node 3 of three dies without a goodbye. The users on nodes 1 and 2 see each of its users
 * disconnect exactly once, once the split brain resolver has downed it, and keep chatting, also
 * in a room that ran on node 3 and now runs on a survivor: no notice, nothing to do, and a line
 * sent while the room moves still reaches everyone.
 */
class NodeLossTest {
  private static final Set<Integer> SURVIVORS = Set.of(1, 2);
  /** How long after the crash the survivors may wait for the "has disconnected" notices. */
  private static final Duration NOTICE_WITHIN = TestCluster.STABLE_AFTER.plusSeconds(10);

  private static TestCluster cluster;

  @BeforeAll
  static void startCluster() {
    // Node 3's actor system is terminated without running the coordinated shutdown: no leave,
    // no goodbye to its users, as if the process had died.
    cluster = TestCluster.start(3, n -> n == 3
        ? "akka.coordinated-shutdown.run-by-actor-system-terminate = off" : "");
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void survivorsSeeTheLostUsersLeaveOnceAndKeepChattingInRoomsThatMoved() throws Exception {
    // The lobby (wherever it runs) has a user on every node.
    ChatClient lena = login(cluster, 1, "lena");
    ChatClient leo = login(cluster, 2, "leo");
    lena.expectLine("*** leo just joined the chatroom");
    ChatClient lou = login(cluster, 3, "lou");
    lena.expectLine("*** lou just joined the chatroom");
    leo.expectLine("*** lou just joined the chatroom");

    // A room that runs on node 3, with a user on every node.
    ChatClient rita = login(cluster, 1, "rita");
    lena.expectLine("*** rita just joined the chatroom");
    leo.expectLine("*** rita just joined the chatroom");
    lou.expectLine("*** rita just joined the chatroom");
    String moving = moveToRoomHostedOn(cluster, rita, "rita", "moving", Set.of(3));
    for (ChatClient c : List.of(lena, leo, lou)) {
      c.expectLine("*** rita left the chatroom");
    }
    ChatClient ray = member(cluster, 2, "ray", moving, List.of(rita), List.of(lena, leo, lou));
    member(cluster, 3, "rex", moving, List.of(rita, ray), List.of(lena, leo, lou));

    // A room that runs on a survivor, with a user on node 3.
    ChatClient sam = login(cluster, 1, "sam");
    for (ChatClient c : List.of(lena, leo, lou)) {
      c.expectLine("*** sam just joined the chatroom");
    }
    String staying = moveToRoomHostedOn(cluster, sam, "sam", "staying", SURVIVORS);
    for (ChatClient c : List.of(lena, leo, lou)) {
      c.expectLine("*** sam left the chatroom");
    }
    member(cluster, 3, "sue", staying, List.of(sam), List.of(lena, leo, lou));

    long crashedAt = System.nanoTime();
    cluster.node(3).system.terminate();
    rita.send("around the failover");
    // Node 3 is gone, but nodes 1 and 2 do not know it yet: these lines reach no room.
    cluster.node(3).system.getWhenTerminated().toCompletableFuture().get(20, TimeUnit.SECONDS);
    rita.send("while the room is gone");
    ray.send("me too");

    Transcript tLena = new Transcript("lena", lena);
    Transcript tLeo = new Transcript("leo", leo);
    Transcript tSam = new Transcript("sam", sam);
    Transcript tRita = new Transcript("rita", rita);
    Transcript tRay = new Transcript("ray", ray);
    String louGone = "*** lou has disconnected";
    String sueGone = "*** sue has disconnected";
    String rexGone = "*** rex has disconnected";
    String around = "[rita] around the failover";
    String ritaGone = "[rita] while the room is gone";
    String rayGone = "[ray] me too";
    String rayAfter = "[ray] after the failover";
    String lobbyAfter = "[lena] the lobby lives";
    String samAfter = "[sam] still here";
    Set<String> lobbyLines = Set.of(louGone, lobbyAfter);
    Set<String> stayingLines = Set.of(sueGone, samAfter);
    Set<String> movingLines = Set.of(rexGone, around, ritaGone, rayGone, rayAfter);

    long noticeBy = crashedAt + NOTICE_WITHIN.toNanos();
    tLena.await(Set.of(louGone), lobbyLines, noticeBy);
    tLeo.await(Set.of(louGone), lobbyLines, noticeBy);
    tSam.await(Set.of(sueGone), stayingLines, noticeBy);
    tRita.await(Set.of(rexGone), movingLines, noticeBy);
    tRay.await(Set.of(rexGone), movingLines, noticeBy);
    cluster.awaitMembers(1, SURVIVORS);
    cluster.awaitMembers(2, SURVIVORS);

    // Everyone keeps chatting, the moved room's members included, with nothing to do first.
    lena.send("the lobby lives");
    sam.send("still here");
    ray.send("after the failover");
    long chatBy = ChatSteps.deadline(Duration.ofSeconds(20));
    tLena.await(Set.of(lobbyAfter), lobbyLines, chatBy);
    tLeo.await(Set.of(lobbyAfter), lobbyLines, chatBy);
    tSam.await(Set.of(samAfter), stayingLines, chatBy);
    // Lines sent while the room moved reach both survivors (a repeat is allowed).
    tRita.await(Set.of(around, ritaGone, rayGone, rayAfter), movingLines, chatBy);
    tRay.await(Set.of(around, ritaGone, rayGone, rayAfter), movingLines, chatBy);

    // The moved room knows both survivors, and it now runs on one of them.
    String bothHere = "*** Users online: ray, rita";
    Set<String> whoLines = Set.of(rexGone, around, ritaGone, rayGone, rayAfter, bothHere);
    rita.send("/who");
    tRita.await(Set.of(bothHere), whoLines, ChatSteps.deadline(Duration.ofSeconds(10)));
    assertNotEquals(0, cluster.hostOf(moving, SURVIVORS), moving + " runs on no survivor");

    // Exactly one notice per lost user.
    for (Transcript t : List.of(tLena, tLeo)) {
      assertEquals(1, t.count(louGone), t.who + " saw lou leave once: " + t.lines);
    }
    assertEquals(1, tSam.count(sueGone), "sam saw sue leave once: " + tSam.lines);
    for (Transcript t : List.of(tRita, tRay)) {
      assertEquals(1, t.count(rexGone), t.who + " saw rex leave once: " + t.lines);
    }
    for (ChatClient c : List.of(lena, leo, sam)) {
      c.expectNothing(Duration.ofMillis(500));
    }
  }

}
