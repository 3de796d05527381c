package akkachat.session;

import akka.actor.Address;
import akka.actor.typed.ActorSystem;
import akka.cluster.Member;
import akka.cluster.MemberStatus;
import akka.cluster.typed.Cluster;
import akkachat.room.ChatRoom;
import akkachat.room.RoomDirectory;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a node's {@link Fanout} does when a room incarnation with members here stops: it hands
 * the room's roster to the next incarnation, again with each rejoin of a session here until
 * that incarnation sends a roster of its own (a message sent through sharding while it still
 * places the room on a lost node is lost); and it tells whether the room stopped because its
 * node was lost, so that the members lost with it are reported at once and not handed over.
 * Plain bookkeeping for {@link Fanout}.
 */
final class Succession {
  private final RoomDirectory directory;
  /** By room name, the roster handed to a room's next incarnation, until it answers. */
  private final Map<String, List<ChatRoom.Member>> handedOver = new HashMap<>();

  Succession(RoomDirectory directory) {
    this.directory = directory;
  }

  /**
   * The incarnation of {@code copy} stopped: its next one takes the members over, but for
   * {@code lost}, the members lost with its node.
   */
  void stopped(RoomCopy copy, List<ChatRoom.Member> lost) {
    List<ChatRoom.Member> roster = copy.roster().stream().filter(m -> !lost.contains(m)).toList();
    handedOver.put(copy.name, roster);
    directory.tell(copy.name, new ChatRoom.TakeOver(roster));
  }

  /** The roster first (if this node handed one over), then the session's join. */
  void rejoin(String room, ChatRoom.Join join) {
    List<ChatRoom.Member> roster = handedOver.get(room);
    if (roster != null) {
      directory.tell(room, new ChatRoom.TakeOver(roster));
    }
    directory.tell(room, join);
  }

  /** An incarnation of {@code room} sent this node its roster: it has taken the members over. */
  void answered(String room) {
    handedOver.remove(room);
  }

  /**
   * Whether the node at {@code node} is lost: downed, or no longer a member. Not a node that
   * leaves in good order (its rooms are handed off while it is still a member), nor this one.
   */
  static boolean lost(ActorSystem<?> system, Address node) {
    if (!node.hasGlobalScope()) {
      return false; // a reference to an actor of this node
    }
    for (Member m : Cluster.get(system).state().getMembers()) {
      if (m.address().equals(node)) {
        return m.status() == MemberStatus.down();
      }
    }
    return true;
  }
}
