package akkachat.server;

import akka.actor.typed.ActorRef;
import akka.util.ByteString;
import akkachat.ops.NodeMetrics;
import akkachat.ops.Traffic;
import akkachat.session.Outbound;
import akkachat.session.Session;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The open connections of one {@link ChatServer}, by id, and the limits over them: how many in
 * all and how many from one address. Owned by the server actor and used only inside it.
 *
 * <p>A connection counts against {@code max-connections} until its socket has closed (it holds
 * an open file until then), but frees its place under {@code max-connections-per-ip} as soon as
 * its session has ended or decided to close: its client may see the close, and connect again,
 * before the server has noticed that the socket is gone.
 */
final class Connections {

  /**
   * One open connection: who it is, the listener it came in on, its stream's handles (null until
   * its stream runs), the session speaking on it and where its traffic is counted.
   */
  record Connection(String who, String ip, NodeMetrics.Transport transport,
      ConnectionFlow.Handles handles, ActorRef<Session.Command> session, Traffic.Tally tally) {}

  private final int max;
  private final int maxPerIp;
  private final Map<Long, Connection> byId = new HashMap<>();
  private final Map<String, Integer> perIp = new HashMap<>();
  /** Open connections that no longer hold their place under the per-address limit. */
  private final Set<Long> released = new HashSet<>();

  Connections(int max, int maxPerIp) {
    this.max = max;
    this.maxPerIp = maxPerIp;
  }

  /**
   * Why one more connection from {@code ip} would pass a limit: the node's or the address's;
   * null if it would not.
   */
  NodeMetrics.Refusal full(String ip) {
    if (byId.size() >= max) {
      return NodeMetrics.Refusal.FULL;
    }
    return perIp.getOrDefault(ip, 0) >= maxPerIp ? NodeMetrics.Refusal.PER_ADDRESS : null;
  }

  void add(long id, Connection connection) {
    byId.put(id, connection);
    perIp.merge(connection.ip(), 1, Integer::sum);
  }

  /** The connection's stream runs: its handles, from now on in its record. */
  Connection attach(long id, ConnectionFlow.Handles handles) {
    Connection c = byId.get(id);
    Connection running = new Connection(c.who(), c.ip(), c.transport(), handles, c.session(),
        c.tally());
    byId.put(id, running);
    return running;
  }

  /** The connection with this id, or null once it has closed. */
  Connection get(long id) {
    return byId.get(id);
  }

  /**
   * Frees the connection's place under the per-address limit, if it still holds it: its session
   * has ended or is closing it. It still counts under the overall limit until {@link #remove}.
   */
  void release(long id) {
    Connection c = byId.get(id);
    if (c != null && released.add(id)) {
      perIp.computeIfPresent(c.ip(), (ip, n) -> n == 1 ? null : n - 1);
    }
  }

  /** Forgets the connection and frees its places under the limits; null if already gone. */
  Connection remove(long id) {
    release(id);
    released.remove(id);
    return byId.remove(id);
  }

  /**
   * {@code queue} as the session is given it: closing it first tells {@code server}
   * {@code closing}, so the server frees the connection's place (with {@link #release}) before
   * the client can see the close and connect again.
   */
  static <T> Outbound tellingOnClose(Outbound queue, ActorRef<T> server, T closing) {
    return new TellingOnClose<>(queue, server, closing);
  }

  boolean isEmpty() {
    return byId.isEmpty();
  }

  void forEach(Consumer<Connection> action) {
    byId.values().forEach(action);
  }

  private static final class TellingOnClose<T> implements Outbound {
    private final Outbound queue;
    private final ActorRef<T> server;
    private final T closing;

    TellingOnClose(Outbound queue, ActorRef<T> server, T closing) {
      this.queue = queue;
      this.server = server;
      this.closing = closing;
    }

    @Override
    public void send(ByteString line) {
      queue.send(line);
    }

    @Override
    public boolean sendLater(ByteString lines, int count) {
      return queue.sendLater(lines, count);
    }

    @Override
    public void wake() {
      queue.wake();
    }

    @Override
    public void close() {
      server.tell(closing);
      queue.close();
    }
  }
}
