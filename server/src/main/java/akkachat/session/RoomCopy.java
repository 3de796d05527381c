package akkachat.session;

import akka.actor.Address;
import akka.actor.typed.ActorRef;
import akkachat.room.ChatRoom;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

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
  final List<Recipient> local = new ArrayList<>();
  private final Map<ActorRef<Session.Command>, Recipient> localBySession = new HashMap<>();
  long lastNumber;

  /** A copy of room {@code name}, on the node whose fan-out is {@code here}. */
  RoomCopy(String name, ActorRef<Fanout.Command> here) {
    this.name = name;
    this.here = here;
  }

  /**
   * {@code m} entered, or goes on under a new name (same session); if it is on this node,
   * {@code recipients} gives the way to its session.
   */
  void enter(ChatRoom.Member m, Function<ActorRef<Session.Command>, Recipient> recipients) {
    roster.put(m.session(), m);
    if (m.fanout().equals(here) && !localBySession.containsKey(m.session())) {
      Recipient r = recipients.apply(m.session());
      localBySession.put(m.session(), r);
      local.add(r);
    }
  }

  void exit(ActorRef<Session.Command> session) {
    roster.remove(session);
    Recipient r = localBySession.remove(session);
    if (r != null) {
      local.remove(r);
    }
  }

  /** Whether no member of the room is on this node: the room sends it nothing more. */
  boolean noneHere() {
    return local.isEmpty();
  }

  /** The members whose sessions are on the node at {@code node}. */
  List<ChatRoom.Member> membersOn(Address node) {
    return roster.values().stream()
        .filter(m -> m.session().path().address().equals(node)).toList();
  }

  /** The room's members, for its next incarnation. */
  List<ChatRoom.Member> roster() {
    return List.copyOf(roster.values());
  }
}
