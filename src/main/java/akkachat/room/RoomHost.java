package akkachat.room;

import akka.actor.typed.ActorRef;

/**
 * What a room tells whatever hosts it: a local room manager on one node, Cluster Sharding in a
 * cluster. Implementations only send messages; they never block.
 */
public interface RoomHost {

  /** The room's member count changed (0 when the last member left). */
  void membersChanged(String room, int count);

  /** The room has no members left and asks to be stopped. */
  void empty(String room, ActorRef<ChatRoom.Command> self);
}
