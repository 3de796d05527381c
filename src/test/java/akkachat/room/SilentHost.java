package akkachat.room;

import akka.actor.typed.ActorRef;

import java.util.List;

/**
 * A room host for tests that hands a new room the members {@code earlier} and otherwise
 * remembers, reports and forwards nothing.
 */
record SilentHost(List<ChatRoom.Member> earlier) implements RoomHost {

  @Override
  public void membersChanged(String room, ActorRef<ChatRoom.Command> self, int count) {}

  @Override
  public void empty(String room, ActorRef<ChatRoom.Command> self) {}

  @Override
  public void remember(String room, String key, ChatRoom.Member member) {}

  @Override
  public void tell(String room, ChatRoom.Command command) {}

  @Override
  public void recall(String room, ActorRef<ChatRoom.Command> self) {
    self.tell(new ChatRoom.Recalled(earlier));
  }
}
