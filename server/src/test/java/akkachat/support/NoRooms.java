package akkachat.support;

import akka.actor.typed.ActorRef;
import akkachat.room.ChatRoom;
import akkachat.room.RoomDirectory;

/** A room directory for a fan-out under test that reaches no room: it drops what it is given. */
public final class NoRooms implements RoomDirectory {
  public static final NoRooms INSTANCE = new NoRooms();

  private NoRooms() {}

  @Override
  public void tell(String room, ChatRoom.Command command) {}

  @Override
  public void listRooms(ActorRef<RoomList> replyTo) {}
}
