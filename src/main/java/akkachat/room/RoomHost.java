package akkachat.room;

import akka.actor.typed.ActorRef;

/**
 * What a room tells whatever hosts it: Cluster Sharding (on one node or many), the node's room
 * registry and the cluster's memory of room members, or a test. Implementations only send
 * messages; they never block.
 */
public interface RoomHost {

  /** The room's member count changed (0 when the last member left). */
  void membersChanged(String room, ActorRef<ChatRoom.Command> self, int count);

  /** The room has no members left and asks to be stopped. */
  void empty(String room, ActorRef<ChatRoom.Command> self);

  /**
   * Answers {@code self} with a {@link ChatRoom.Remembered} once everything {@link #remember}ed
   * so far is where a later incarnation of the room will read it. A host that remembers
   * nothing answers at once.
   */
  default void whenRemembered(String room, ActorRef<ChatRoom.Command> self) {
    self.tell(new ChatRoom.Remembered());
  }

  /**
   * Remembers a member under its key, or forgets the key when {@code member} is null, so that a
   * later incarnation of the room (after its node was lost) can take the members over.
   */
  void remember(String room, String key, ChatRoom.Member member);

  /** Sends {@code command} to the room named {@code room}, whichever incarnation runs it now. */
  void tell(String room, ChatRoom.Command command);

  /** Asks for the members an earlier incarnation left; the answer is a {@link ChatRoom.Recalled}. */
  void recall(String room, ActorRef<ChatRoom.Command> self);
}
