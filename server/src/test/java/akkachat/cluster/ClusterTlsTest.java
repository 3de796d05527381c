package akkachat.cluster;

import akka.actor.Address;
import akka.cluster.Member;
import akka.cluster.typed.Cluster;
import akkachat.support.ChatClient;
import akkachat.support.TestCluster;
import akkachat.support.TestKeys;
import akkachat.support.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * {@code akka-chat.cluster.tls}: nodes talk over Artery TLS with mutual authentication, so
 * nodes with trusted certificates form a cluster and a node with a foreign one cannot join.
 */
class ClusterTlsTest {
  /** Long enough for a trusted node to join (it takes about a second); bounded. */
  private static final Duration STRANGER_WAIT = Duration.ofSeconds(6);

  @TempDir
  static Path dir;

  @Test
  void nodesWithTrustedCertificatesFormAClusterAndAForeignNodeCannotJoin() {
    TestKeys ours = TestKeys.generate(dir, "cluster");
    TestKeys foreign = TestKeys.generate(dir, "foreign");
    try (TestCluster cluster = TestCluster.start(2, n -> ours.clusterHocon())) {
      assertEquals("tls-tcp", cluster.node(1).system.settings().config()
          .getString("akka.remote.artery.transport"));
      // Chat crosses the TLS link: a room on one node, users on both.
      ChatClient alice = cluster.node(1).login("alice");
      ChatClient bob = cluster.node(2).login("bob");
      alice.expectLine("*** bob just joined the chatroom");
      bob.send("over tls");
      alice.expectLine("[bob] over tls");
      bob.expectLine("[bob] over tls");

      int seedPort = cluster.address(1).getPort().orElseThrow();
      String stranger = foreign.clusterHocon()
          + "akka-chat.cluster.seeds = \"127.0.0.1:" + seedPort + "\"\n";
      IllegalStateException notUp = assertThrows(IllegalStateException.class,
          () -> TestServer.start(TestCluster.SYSTEM_NAME, stranger, STRANGER_WAIT));
      assertEquals("test server did not start", notUp.getMessage());

      Set<Address> members = new HashSet<>();
      for (Member m : Cluster.get(cluster.node(1).system).state().getMembers()) {
        members.add(m.address());
      }
      assertEquals(Set.of(cluster.address(1), cluster.address(2)), members);
      bob.send("still two");
      alice.expectLine("[bob] still two");
    }
  }
}
