package akkachat.ops;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The rooms hosted on a node, their members and how far behind them the nodes' fan-outs are,
 * read when metrics are scraped. Each room writes only its own {@link Room}, when its membership
 * changes or a fan-out reports progress, so rooms never contend on a shared counter.
 */
public final class RoomGauges {

  /** One room incarnation's figures; written by that room only. */
  public static final class Room {
    private volatile int members;
    private volatile long lag;

    /** The room has {@code count} members now. */
    public void members(int count) {
      members = count;
    }

    /** The fan-out that reported last is {@code lines} lines behind this room. */
    public void lag(long lines) {
      lag = lines;
    }
  }

  private final Set<Room> rooms = ConcurrentHashMap.newKeySet();

  /** A room has started on this node. */
  public Room open() {
    Room room = new Room();
    rooms.add(room);
    return room;
  }

  /** The room has stopped. */
  public void close(Room room) {
    rooms.remove(room);
  }

  int rooms() {
    return rooms.size();
  }

  long members() {
    long sum = 0;
    for (Room r : rooms) {
      sum += r.members;
    }
    return sum;
  }

  long worstLag() {
    long worst = 0;
    for (Room r : rooms) {
      worst = Math.max(worst, r.lag);
    }
    return worst;
  }
}
