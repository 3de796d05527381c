package akkachat.bench;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/**
 * Who is who in a scenario, fixed before any thread starts and read by all of them: client i is
 * named PREFIX i and lives in room i % rooms; clients 0 .. senders-1 send (so a sender's index
 * is its client index and senders spread over the rooms); the last non-readers never read.
 */
final class Plan {
  final Options options;
  final Dialect dialect;
  /** Whether a sender receives its own lines (see {@link Dialect#echoes}). */
  final boolean echoes;
  /** Whether clients speak through a {@link WebSocket} (--transport ws). */
  final boolean websocket;
  private final InetSocketAddress[] servers;
  final int clients;
  final int rooms;
  final int senders;
  final long intervalNanos;
  private final int[] sendersInRoom;
  private final InetAddress[] sources;

  Plan(Options options) throws UnknownHostException {
    this.options = options;
    this.dialect = Dialect.of(options);
    this.echoes = dialect.echoes();
    this.websocket = options.websocket();
    InetAddress host = InetAddress.getByName(options.host());
    this.servers = options.ports().stream().map(p -> new InetSocketAddress(host, p))
        .toArray(InetSocketAddress[]::new);
    this.clients = options.clients();
    this.rooms = options.rooms();
    this.senders = options.senders();
    this.intervalNanos = options.rate() > 0 ? Math.max(1, (long) (1e9 / options.rate())) : 0;
    this.sendersInRoom = new int[rooms];
    for (int s = 0; s < senders; s++) {
      sendersInRoom[s % rooms]++;
    }
    this.sources = new InetAddress[options.sourceIps() > 1 ? options.sourceIps() : 0];
    for (int k = 0; k < sources.length; k++) {
      int n = k + 1;
      sources[k] = InetAddress.getByAddress(
          new byte[] {127, (byte) (n >>> 16), (byte) (n >>> 8), (byte) n});
    }
  }

  int roomOf(int client) {
    return client % rooms;
  }

  boolean isSender(int client) {
    return client < senders;
  }

  boolean isNonReader(int client) {
    return client >= clients - options.nonReaders();
  }

  /** Index of sender {@code s} among the senders of its room. */
  int localIndex(int s) {
    return s / rooms;
  }

  /** Sender with index {@code local} among the senders of room {@code room}. */
  int senderAt(int room, int local) {
    return room + local * rooms;
  }

  int sendersInRoom(int room) {
    return sendersInRoom[room];
  }

  String name(int client) {
    return options.namePrefix() + client;
  }

  /** The server (node) client {@code i} talks to. */
  InetSocketAddress server(int client) {
    return servers[client % servers.length];
  }

  /** What a client sends to open its WebSocket, with {@code key}. */
  byte[] upgradeRequest(int client, String key) {
    return WebSocket.upgradeRequest(options.host(), server(client).getPort(), options.path(), key);
  }

  /** Local address to bind client {@code i} to, or null to let the system choose. */
  InetAddress source(int client) {
    return sources.length == 0 ? null : sources[client % sources.length];
  }

  /** Whether this sender has sent its last line, given its count and the clock. */
  boolean lastLine(long seq) {
    return options.duration() <= 0 && seq >= options.lines();
  }
}
