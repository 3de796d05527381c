package akkachat.room;

import akka.actor.typed.ActorRef;

import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * How sessions find rooms by name: through Cluster Sharding in production, or anything else in
 * a test. Neither {@link ChatRoom} nor the session knows which.
 */
public interface RoomDirectory {

  /** Sends a command to the room of that name, starting the room if it is not running. */
  void tell(String room, ChatRoom.Command command);

  /** Asks for every room that has members; the answer goes to {@code replyTo}. */
  void listRooms(ActorRef<RoomList> replyTo);

  /** Rooms with members, sorted by name, with their member counts. */
  record RoomList(SortedMap<String, Integer> counts) {
    public RoomList {
      counts = Collections.unmodifiableSortedMap(new TreeMap<>(counts));
    }
  }
}
