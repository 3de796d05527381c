package akkachat.session;

import akka.actor.typed.ActorRef;
import akkachat.room.ChatRoom;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What one node's {@link Fanout} knows of one room incarnation: the room's whole roster, kept up
 * to date by the room's {@link Fanout.Roster}, {@link Fanout.Enter} and {@link Fanout.Exit}
 * (in order with its lines), the members on this node, who get the lines, and the number of the
 * last line. Should the room stop with its node, the roster is what its next incarnation takes
 * over. Plain bookkeeping for {@link Fanout}.
 */
final class RoomCopy {
  final String name;
  private final ActorRef<Fanout.Command> here;
  private final Map<ActorRef<Session.Command>, ChatRoom.Member> roster = new HashMap<>();
  /** The members on this node, in the order they came. */
  final List<ActorRef<Session.Command>> local = new ArrayList<>();
  long lastNumber;

  /** A copy of room {@code name}, on the node whose fan-out is {@code here}. */
  RoomCopy(String name, ActorRef<Fanout.Command> here) {
    this.name = name;
    this.here = here;
  }

  /** {@code m} entered, or goes on under a new name (same session). */
  void enter(ChatRoom.Member m) {
    roster.put(m.session(), m);
    if (m.fanout().equals(here) && !local.contains(m.session())) {
      local.add(m.session());
    }
  }

  void exit(ActorRef<Session.Command> session) {
    roster.remove(session);
    local.remove(session);
  }

  /** Whether no member of the room is on this node: the room sends it nothing more. */
  boolean noneHere() {
    return local.isEmpty();
  }

  /** The room's members, for its next incarnation. */
  List<ChatRoom.Member> roster() {
    return List.copyOf(roster.values());
  }
}
