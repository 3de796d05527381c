package akkachat.support;

import akka.actor.Address;
import akka.actor.testkit.typed.javadsl.FishingOutcomes;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Adapter;
import akka.actor.typed.javadsl.AskPattern;
import akka.actor.typed.receptionist.Receptionist;
import akka.cluster.ClusterEvent;
import akka.cluster.MemberStatus;
import akka.cluster.sharding.ShardRegion;
import akka.cluster.sharding.typed.GetClusterShardingStats;
import akka.cluster.sharding.typed.GetShardRegionState;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.cluster.typed.Cluster;
import akka.cluster.typed.Subscribe;
import akka.cluster.typed.Unsubscribe;
import akkachat.Guardian;
import akkachat.cluster.RoomRegistry;
import akkachat.cluster.ShardedRooms;
import akkachat.session.Fanout;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.stream.Collectors;

/**
 * Several chat nodes of one Akka cluster inside this JVM, on loopback: the same actor system
 * name on all, Artery ports picked up front, node 1 seeds itself and the others seed node 1.
 * {@link #start} returns once every node sees every node Up, every node's room registry is known
 * to all (so /rooms covers the whole cluster) and the shard coordinator knows every node's room
 * region (so a new room may be placed on any node). Nodes are numbered from 1.
 */
public final class TestCluster implements AutoCloseable {
  public static final String SYSTEM_NAME = "chat-cluster";
  /** The split brain resolver's stable-after: a lost node is downed about this long after. */
  public static final Duration STABLE_AFTER = Duration.ofSeconds(3);
  private static final Duration FORM_WITHIN = Duration.ofSeconds(40);
  private static final Duration ASK = Duration.ofSeconds(10);

  private static final String CLUSTER_HOCON = String.join("\n",
      "akka-chat.cluster.stable-after = " + STABLE_AFTER.toSeconds() + "s",
      "akka.cluster.failure-detector.heartbeat-interval = 500ms",
      "akka.cluster.failure-detector.acceptable-heartbeat-pause = 3s",
      // Closing a test cluster just stops its nodes; a test that wants a node to leave
      // gracefully runs its CoordinatedShutdown itself.
      "akka.coordinated-shutdown.run-by-actor-system-terminate = off",
      "");

  private final List<TestServer> nodes;
  private final List<Address> addresses;

  private TestCluster(List<TestServer> nodes) {
    this.nodes = List.copyOf(nodes);
    this.addresses = nodes.stream()
        .map(n -> Cluster.get(n.system).selfMember().address()).toList();
  }

  /** Starts {@code size} nodes with the cluster test settings. */
  public static TestCluster start(int size) {
    return start(size, n -> "");
  }

  /** As {@link #start(int)}, with {@code extra.apply(n)} added to node n's settings. */
  public static TestCluster start(int size, IntFunction<String> extra) {
    for (int attempt = 1; ; attempt++) {
      try {
        return startOnce(size, extra);
      } catch (RuntimeException e) {
        // A port picked up front can be taken before its node binds it (by any process, or as
        // the local port of an outgoing connection): then try again with other ports.
        if (attempt == 3 || !isBindFailure(e)) {
          throw e;
        }
      }
    }
  }

  private static TestCluster startOnce(int size, IntFunction<String> extra) {
    int[] ports = freePorts(size);
    String seeds = "akka-chat.cluster.seeds = \"127.0.0.1:" + ports[0] + "\"\n";
    List<TestServer> started = new ArrayList<>();
    try {
      started.add(startNode(ports[0], seeds + extra.apply(1)));
      List<CompletableFuture<TestServer>> joining = new ArrayList<>();
      for (int n = 2; n <= size; n++) {
        String hocon = seeds + extra.apply(n);
        int port = ports[n - 1];
        joining.add(CompletableFuture.supplyAsync(() -> startNode(port, hocon)));
      }
      Throwable failed = null;
      for (CompletableFuture<TestServer> f : joining) {
        try {
          started.add(f.get(FORM_WITHIN.toSeconds() + 10, TimeUnit.SECONDS));
        } catch (ExecutionException e) {
          failed = e.getCause();
        } catch (Exception e) {
          failed = e;
        }
      }
      if (failed != null) {
        throw new IllegalStateException("a node did not start: " + failed, failed);
      }
      TestCluster cluster = new TestCluster(started);
      for (int n = 1; n <= size; n++) {
        cluster.awaitMembers(n, allNodes(size));
      }
      for (int n = 1; n <= size; n++) {
        cluster.awaitRegistries(n, size);
      }
      cluster.awaitShardRegions(size);
      return cluster;
    } catch (RuntimeException | Error e) {
      started.forEach(s -> s.system.terminate());
      started.forEach(s -> s.system.getWhenTerminated().toCompletableFuture()
          .completeOnTimeout(null, 30, TimeUnit.SECONDS).join());
      throw e;
    }
  }

  private static boolean isBindFailure(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof BindException
          || String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT).contains("bind")) {
        return true;
      }
    }
    return false;
  }

  private static TestServer startNode(int clusterPort, String hocon) {
    return TestServer.start(SYSTEM_NAME,
        CLUSTER_HOCON + "akka-chat.cluster.port = " + clusterPort + "\n" + hocon, FORM_WITHIN);
  }

  /** Free loopback ports, ascending, so node 1 has the lowest address (and leads the cluster). */
  private static int[] freePorts(int count) {
    List<ServerSocket> sockets = new ArrayList<>();
    try {
      for (int i = 0; i < count; i++) {
        sockets.add(new ServerSocket(0, 1, InetAddress.getLoopbackAddress()));
      }
      int[] ports = sockets.stream().mapToInt(ServerSocket::getLocalPort).toArray();
      Arrays.sort(ports);
      return ports;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      for (ServerSocket s : sockets) {
        try {
          s.close();
        } catch (IOException ignored) {
          // the port is released either way
        }
      }
    }
  }

  private static Set<Integer> allNodes(int size) {
    Set<Integer> all = new HashSet<>();
    for (int n = 1; n <= size; n++) {
      all.add(n);
    }
    return all;
  }

  /**
   * Starts one more node of this cluster, joining through node 1, on cluster port
   * {@code clusterPort} (0: any free one); returns it once it listens. It is not numbered and
   * {@link #close} does not stop it: the test does.
   */
  public TestServer startJoiner(int clusterPort) {
    int seed = address(1).getPort().orElseThrow();
    return startNode(clusterPort, "akka-chat.cluster.seeds = \"127.0.0.1:" + seed + "\"\n");
  }

  public TestServer node(int n) {
    return nodes.get(n - 1);
  }

  public int size() {
    return nodes.size();
  }

  public Address address(int n) {
    return addresses.get(n - 1);
  }

  /**
   * Waits until node {@code observer} sees exactly the nodes {@code expected} as members, all of
   * them Up (so a node that left or was downed is gone from its view). Driven by cluster events.
   */
  public void awaitMembers(int observer, Set<Integer> expected) {
    awaitMembers(observer, expected, FORM_WITHIN);
  }

  public void awaitMembers(int observer, Set<Integer> expected, Duration within) {
    ActorSystem<?> system = node(observer).system;
    Cluster cluster = Cluster.get(system);
    Set<Address> want = expected.stream().map(this::address).collect(Collectors.toSet());
    TestProbe<ClusterEvent.ClusterDomainEvent> probe = TestProbe.create(system);
    // The subscription starts with the current state as events; the view is built from them
    // alone, as the cluster's own read view may lag behind the events this probe receives.
    cluster.subscriptions().tell(Subscribe.create(probe.getRef(),
        ClusterEvent.ClusterDomainEvent.class));
    Map<Address, MemberStatus> members = new HashMap<>();
    Set<Address> unreachable = new HashSet<>();
    long deadline = System.nanoTime() + within.toNanos();
    try {
      while (!members.keySet().equals(want) || !unreachable.isEmpty()
          || members.values().stream().anyMatch(s -> s != MemberStatus.up())) {
        long left = deadline - System.nanoTime();
        ClusterEvent.ClusterDomainEvent event;
        try {
          event = probe.receiveMessage(Duration.ofNanos(Math.max(left, 1)));
        } catch (AssertionError timeout) {
          throw new AssertionError("node " + observer + " sees members " + members
              + ", unreachable " + unreachable + "; expected " + want + " all Up", timeout);
        }
        if (event instanceof ClusterEvent.MemberRemoved removed) {
          members.remove(removed.member().address());
          unreachable.remove(removed.member().address());
        } else if (event instanceof ClusterEvent.MemberEvent e) {
          members.put(e.member().address(), e.member().status());
        } else if (event instanceof ClusterEvent.UnreachableMember u) {
          unreachable.add(u.member().address());
        } else if (event instanceof ClusterEvent.ReachableMember r) {
          unreachable.remove(r.member().address());
        }
      }
    } finally {
      cluster.subscriptions().tell(new Unsubscribe<>(probe.getRef()));
      probe.stop();
    }
  }

  /** Waits until node n's receptionist lists {@code count} room registries. */
  public void awaitRegistries(int n, int count) {
    ActorSystem<?> system = node(n).system;
    TestProbe<Receptionist.Listing> probe = TestProbe.create(system);
    system.receptionist().tell(Receptionist.subscribe(RoomRegistry.KEY, probe.getRef()));
    try {
      probe.fishForMessage(FORM_WITHIN, "node " + n + " to know " + count + " room registries",
          listing -> listing.getServiceInstances(RoomRegistry.KEY).size() == count
              ? FishingOutcomes.complete()
              : FishingOutcomes.continueAndIgnore());
    } finally {
      probe.stop();
    }
  }

  /**
   * Waits until the shard coordinator knows the rooms' shard region of {@code count} nodes, so
   * new rooms can be placed on any of them (a region registers a moment after its node is Up).
   */
  public void awaitShardRegions(int count) {
    ActorSystem<?> system = node(1).system;
    TestProbe<ShardRegion.ClusterShardingStats> probe = TestProbe.create(system);
    try {
      probe.awaitAssert(FORM_WITHIN, Duration.ofMillis(200), () -> {
        ClusterSharding.get(system).shardState().tell(new GetClusterShardingStats(
            ShardedRooms.TYPE_KEY, Duration.ofSeconds(2), probe.getRef()));
        Set<Address> regions = probe.receiveMessage(Duration.ofSeconds(5)).getRegions().keySet();
        if (regions.size() != count) {
          throw new AssertionError("shard regions known to the coordinator: " + regions);
        }
        return null;
      });
    } finally {
      probe.stop();
    }
  }

  /** Node n's fan-out actor, found by its path: the guardian spawns it as "fanout". */
  public ActorRef<Fanout.Command> fanout(int n) {
    ActorSystem<Guardian.Command> system = node(n).system;
    akka.actor.ActorRef classic = await(system.classicSystem().actorSelection("/user/fanout")
        .resolveOne(ASK));
    return Adapter.toTyped(classic);
  }

  /** The rooms node n hosts (running sharded ChatRoom entities). */
  public Set<String> hostedRooms(int n) {
    ActorSystem<?> system = node(n).system;
    TestProbe<ShardRegion.CurrentShardRegionState> probe = TestProbe.create(system);
    try {
      ClusterSharding.get(system).shardState()
          .tell(new GetShardRegionState(ShardedRooms.TYPE_KEY, probe.getRef()));
      ShardRegion.CurrentShardRegionState state = probe.receiveMessage(ASK);
      Set<String> rooms = new HashSet<>();
      state.getShards().forEach(s -> rooms.addAll(s.getEntityIds()));
      return rooms;
    } finally {
      probe.stop();
    }
  }

  /** The node (among {@code candidates}) that hosts {@code room}, or 0 if none does. */
  public int hostOf(String room, Set<Integer> candidates) {
    for (int n : candidates) {
      if (hostedRooms(n).contains(room)) {
        return n;
      }
    }
    return 0;
  }

  /** The member counts of the rooms node n hosts, from its room registry. */
  public Map<String, Integer> hostedCounts(int n) {
    ActorSystem<?> system = node(n).system;
    TestProbe<Receptionist.Listing> listing = TestProbe.create(system);
    TestProbe<RoomRegistry.Counts> counts = TestProbe.create(system);
    try {
      system.receptionist().tell(Receptionist.find(RoomRegistry.KEY, listing.getRef()));
      Set<ActorRef<RoomRegistry.Command>> registries =
          listing.receiveMessage(ASK).getServiceInstances(RoomRegistry.KEY);
      ActorRef<RoomRegistry.Command> local = registries.stream()
          .filter(r -> r.path().address().hasLocalScope()).findFirst()
          .orElseThrow(() -> new AssertionError("node " + n + " has no local room registry"));
      local.tell(new RoomRegistry.GetCounts(counts.getRef()));
      return counts.receiveMessage(ASK).counts();
    } finally {
      listing.stop();
      counts.stop();
    }
  }

  /** Rooms with members on the given nodes, added up, sorted by name. */
  public Map<String, Integer> roomCounts(Set<Integer> liveNodes) {
    Map<String, Integer> all = new TreeMap<>();
    for (int n : liveNodes) {
      hostedCounts(n).forEach((room, c) -> all.merge(room, c, Integer::sum));
    }
    return all;
  }

  /**
   * Waits (polling, bounded by {@code within}) until no room on the given nodes has members, so
   * one test's departing users cannot show up in the next test's rooms.
   */
  public void awaitNoMembers(Set<Integer> liveNodes, Duration within) {
    TestProbe<Object> probe = TestProbe.create(node(liveNodes.iterator().next()).system);
    try {
      probe.awaitAssert(within, Duration.ofMillis(100), () -> {
        Map<String, Integer> counts = roomCounts(liveNodes);
        if (!counts.isEmpty()) {
          throw new AssertionError("rooms still have members: " + counts);
        }
        return null;
      });
    } finally {
      probe.stop();
    }
  }

  private static <T> T await(java.util.concurrent.CompletionStage<T> stage) {
    try {
      return stage.toCompletableFuture().get(ASK.toMillis() + 1000, TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      throw new AssertionError("no answer", e);
    }
  }

  /** Terminates every node that is still running, all at once, and waits for them. */
  @Override
  public void close() {
    nodes.forEach(TestServer::closeClients);
    nodes.forEach(n -> n.system.terminate());
    Map<Integer, Throwable> failures = new HashMap<>();
    for (int i = 0; i < nodes.size(); i++) {
      try {
        nodes.get(i).system.getWhenTerminated().toCompletableFuture().get(60, TimeUnit.SECONDS);
      } catch (Exception e) {
        failures.put(i + 1, e);
      }
    }
    if (!failures.isEmpty()) {
      throw new IllegalStateException("nodes did not stop: " + failures.keySet());
    }
  }
}
