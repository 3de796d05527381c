package akkachat.cluster;

import akka.actor.Address;
import akka.remote.RARP;
import akka.remote.transport.ThrottlerTransportAdapter;
import akkachat.cluster.ChatSteps.Transcript;
import akkachat.support.ChatClient;
import akkachat.support.ManagementClient;
import akkachat.support.TestCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import scala.jdk.javaapi.FutureConverters;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static akkachat.cluster.ChatSteps.login;
import static akkachat.cluster.ChatSteps.moveTo;
import static akkachat.cluster.ChatSteps.moveToRoomHostedOn;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Node 3 crashes as with {@code kill -9}: cut off from the others first, so nothing it does
 * while its actor system stops reaches them. The users of a room that ran on node 3 still see
 * its user disconnect, once, and the room they are moved to does not list that user.
 */
class NodeCrashTest {
  private static final Set<Integer> SURVIVORS = Set.of(1, 2);

  private static TestCluster cluster;

  @BeforeAll
  static void startCluster() {
    // test-mode lets a test drop all traffic between two nodes (a blackhole)
    cluster = TestCluster.start(3, n -> "akka.remote.artery.advanced.test-mode = on\n"
        + (n == 3 ? "akka.coordinated-shutdown.run-by-actor-system-terminate = off\n" : ""));
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void survivorsOfARoomThatRanOnTheCrashedNodeSeeItsUsersDisconnect() throws Exception {
    ChatClient cleo = login(cluster, 1, "cleo");
    String room = moveToRoomHostedOn(cluster, cleo, "cleo", "crash", Set.of(3));
    ChatClient cody = login(cluster, 2, "cody");
    moveTo(cody, "cody", room);
    cleo.expectLine("*** cody just joined the chatroom");
    ChatClient cole = login(cluster, 3, "cole");
    moveTo(cole, "cole", room);
    cleo.expectLine("*** cole just joined the chatroom");
    cody.expectLine("*** cole just joined the chatroom");

    long crashedAt = System.nanoTime();
    for (int survivor : SURVIVORS) {
      cutOff(survivor, 3);
      cutOff(3, survivor);
    }
    cluster.node(3).system.terminate();

    String coleGone = "*** cole has disconnected";
    String bothHere = "*** Users online: cleo, cody";
    long noticeBy = crashedAt + TestCluster.STABLE_AFTER.plusSeconds(10).toNanos();
    Transcript tCleo = new Transcript("cleo", cleo);
    Transcript tCody = new Transcript("cody", cody);
    for (Transcript t : List.of(tCleo, tCody)) {
      t.await(Set.of(coleGone), Set.of(coleGone), noticeBy);
    }
    cluster.awaitMembers(1, SURVIVORS);

    cody.send("/who");
    tCody.await(Set.of(bothHere), Set.of(coleGone, bothHere),
        ChatSteps.deadline(Duration.ofSeconds(20)));
    for (Transcript t : List.of(tCleo, tCody)) {
      assertEquals(1, t.count(coleGone), t.who + " saw cole leave once: " + t.lines);
    }

    // The survivors' metrics: two members Up, none unreachable, and the room's fail-over
    // counted once, on the node that took its members over.
    double failovers = 0;
    for (int survivor : SURVIVORS) {
      ManagementClient.Metrics m = new ManagementClient(cluster.node(survivor).managementUri())
          .awaitMetrics(Duration.ofSeconds(20), "node " + survivor + " sees two members Up",
              x -> x.get("akkachat_cluster_members{status=\"up\"}") == 2
                  && x.get("akkachat_cluster_unreachable_members") == 0);
      failovers += m.get("akkachat_room_failovers_total");
    }
    assertEquals(1, failovers, "room fail-overs counted on the survivors");
  }

  /** From now on node {@code from} drops everything to and from node {@code to}. */
  private static void cutOff(int from, int to) throws Exception {
    Address other = cluster.address(to);
    RARP rarp = (RARP) RARP.get(cluster.node(from).system.classicSystem());
    FutureConverters.asJava(rarp.provider().transport().managementCommand(
            new ThrottlerTransportAdapter.SetThrottle(other,
                ThrottlerTransportAdapter.bothDirection(),
                ThrottlerTransportAdapter.blackholeThrottleMode())))
        .toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
