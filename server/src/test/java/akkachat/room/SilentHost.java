package akkachat.room;

import akka.actor.typed.ActorRef;

/** A room host for tests that reports, forwards and stops nothing. */
record SilentHost() implements RoomHost {

  @Override
  public void membersChanged(String room, ActorRef<ChatRoom.Command> self, int count) {}

  @Override
  public void empty(String room, ActorRef<ChatRoom.Command> self) {}

  @Override
  public void tell(String room, ChatRoom.Command command) {}
}
