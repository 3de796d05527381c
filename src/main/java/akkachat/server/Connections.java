package akkachat.server;

import akka.actor.typed.ActorRef;
import akkachat.session.Session;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The open connections of one {@link ChatServer}, by id, and the limits over them: how many in
 * all and how many from one address. Owned by the server actor and used only inside it.
 */
final class Connections {

  /** One open connection: who it is, its socket's handles and the session speaking on it. */
  record Connection(String who, String ip, ConnectionFlow.Handles handles,
      ActorRef<Session.Command> session) {}

  private final int max;
  private final int maxPerIp;
  private final Map<Long, Connection> byId = new HashMap<>();
  private final Map<String, Integer> perIp = new HashMap<>();

  Connections(int max, int maxPerIp) {
    this.max = max;
    this.maxPerIp = maxPerIp;
  }

  /** Whether one more connection from {@code ip} would pass a limit. */
  boolean full(String ip) {
    return byId.size() >= max || perIp.getOrDefault(ip, 0) >= maxPerIp;
  }

  void add(long id, Connection connection) {
    byId.put(id, connection);
    perIp.merge(connection.ip(), 1, Integer::sum);
  }

  /** The connection with this id, or null once it has closed. */
  Connection get(long id) {
    return byId.get(id);
  }

  /** Forgets the connection and frees its place under the limits; null if already gone. */
  Connection remove(long id) {
    Connection gone = byId.remove(id);
    if (gone != null) {
      perIp.computeIfPresent(gone.ip(), (ip, n) -> n == 1 ? null : n - 1);
    }
    return gone;
  }

  boolean isEmpty() {
    return byId.isEmpty();
  }

  void forEach(Consumer<Connection> action) {
    byId.values().forEach(action);
  }
}
