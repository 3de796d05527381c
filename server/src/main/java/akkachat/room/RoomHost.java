package akkachat.room;

import akka.actor.typed.ActorRef;

/**
 * What a room tells whatever hosts it: Cluster Sharding (on one node or many) and the node's
 * room registry, or a test. Implementations only send messages; they never block.
 */
public interface RoomHost {

  /** The room's member count changed (0 when the last member left). */
  void membersChanged(String room, ActorRef<ChatRoom.Command> self, int count);

  /** The room has no members left and asks to be stopped. */
  void empty(String room, ActorRef<ChatRoom.Command> self);

  /** Sends {@code command} to the room named {@code room}, whichever incarnation runs it now. */
  void tell(String room, ChatRoom.Command command);
}
