package akkachat.it;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The {@code java -jar} nodes of one process-level test: started on free ports (again with
 * others if a port is taken before its node binds it), stopped at the end, their logs kept only
 * for a failed run.
 */
final class ProcessCluster {

  /**
   * Starts nodes on {@code ports}: three chat ports, then three cluster ports, then (if nine
   * were asked for) three management ports.
   */
  interface Starter {
    void start(int[] ports) throws Exception;
  }

  private final List<NodeProcess> nodes = new ArrayList<>();

  /** Every node lists every seed, in the same order, as scripts/cluster-test.sh does. */
  static String allSeeds(int[] ports) {
    return "127.0.0.1:" + ports[3] + ",127.0.0.1:" + ports[4] + ",127.0.0.1:" + ports[5];
  }

  /**
   * Starts three nodes of {@code jar} at once, each listing all three as seeds (the first seed
   * forms the cluster as soon as the other two answer that they are not members yet), and waits
   * until each listens; returns the chat ports and then the cluster ports.
   */
  int[] startTogether(Path jar, List<String> flags, Duration within) throws Exception {
    return start(ports -> {
      for (int n = 1; n <= 3; n++) {
        add(NodeProcess.start(n, jar, ports[n - 1], ports[n + 2], allSeeds(ports), flags));
      }
      for (NodeProcess node : nodes) {
        node.awaitListening(within);
      }
    });
  }

  /**
   * The flags that have a node form the cluster through cluster bootstrap instead of seeds:
   * config discovery of {@code contactPoints} (management addresses, host:port, comma-separated),
   * waiting until {@code required} of them see each other.
   */
  static List<String> bootstrapFlags(String contactPoints, int required) {
    return List.of(
        "-Dakka-chat.cluster.bootstrap.enabled=on",
        "-Dakka-chat.cluster.bootstrap.discovery=config",
        "-Dakka-chat.cluster.bootstrap.contact-points=" + contactPoints,
        "-Dakka-chat.cluster.bootstrap.required-contact-points=" + required);
  }

  /** The management addresses of the nodes at {@code managementPorts}, as contact points. */
  static String contactPoints(int... managementPorts) {
    return Arrays.stream(managementPorts).mapToObj(p -> "127.0.0.1:" + p)
        .collect(Collectors.joining(","));
  }

  /**
   * Starts three nodes of {@code jar} at once with no seeds, each with its management port fixed
   * and listing all three management addresses as contact points, waiting for all three, so that
   * they form one cluster through bootstrap; waits until each listens. Returns the chat ports,
   * the cluster ports, then the management ports.
   */
  int[] startWithBootstrap(Path jar, List<String> flags, Duration within) throws Exception {
    return start(9, ports -> {
      List<String> all = new ArrayList<>(
          bootstrapFlags(contactPoints(ports[6], ports[7], ports[8]), 3));
      all.addAll(flags);
      for (int n = 1; n <= 3; n++) {
        add(NodeProcess.start(n, jar, ports[n - 1], ports[n + 2], ports[n + 5], "", all));
      }
      for (NodeProcess node : nodes) {
        node.awaitListening(within);
      }
    });
  }

  /** Runs {@code starter} on six free ports, up to three times; returns the ports it used. */
  int[] start(Starter starter) throws Exception {
    return start(6, starter);
  }

  /** Runs {@code starter} on {@code count} free ports, up to three times; returns them. */
  int[] start(int count, Starter starter) throws Exception {
    for (int attempt = 1; ; attempt++) {
      int[] ports = NodeProcess.freePorts(count);
      try {
        starter.start(ports);
        return ports;
      } catch (NodeProcess.PortTaken e) {
        for (NodeProcess node : nodes) {
          assertTrue(node.stop(), "node " + node.number() + " did not stop");
          node.deleteLog();
        }
        nodes.clear();
        if (attempt == 3) {
          throw e;
        }
      }
    }
  }

  void add(NodeProcess node) {
    nodes.add(node);
  }

  /** The node started {@code index}-th (0 for the first). */
  NodeProcess get(int index) {
    return nodes.get(index);
  }

  /** The last {@code lines} lines of every node's log, for a failure's message. */
  String tails(int lines) {
    return nodes.stream().map(n -> n.tail(lines)).collect(Collectors.joining());
  }

  /** Stops every node (fails if one does not stop); deletes their logs if the test passed. */
  void stop(boolean passed) throws Exception {
    List<String> running = new ArrayList<>();
    for (NodeProcess node : nodes) {
      if (!node.stop()) {
        running.add("node " + node.number() + " (pid " + node.process().pid() + ")");
      }
    }
    assertTrue(running.isEmpty(), "still running: " + running);
    if (passed) {
      for (NodeProcess node : nodes) {
        node.deleteLog();
      }
    }
  }
}
