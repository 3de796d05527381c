package akkachat.session;

import akka.actor.typed.ActorRef;
import akka.actor.typed.javadsl.ActorContext;
import akkachat.room.ChatRoom;
import akkachat.session.Session.Command;
import akkachat.session.Session.Deliver;
import akkachat.session.Session.Joined;
import akkachat.session.Session.Ping;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Who and where a logged-in session is: its name, its room (none while that room is being
 * restarted) and the room a /join is taking it to; and what goes between the session and its
 * room: the lines it sends, kept until their echo comes back, and the room's lines it shows its
 * client. The phases, the timers and the death watch stay in {@link Session}, which calls this
 * from its own message handling only, so it may use the session's context there.
 */
final class Place {
  private final ActorContext<Command> context;
  private final Link link;
  private final Unechoed unechoed = new Unechoed();

  private String name;
  private String roomName;
  private String movingTo; // the target of a /join under way
  private String arriving; // a room that has taken the session in but not yet announced it
  private ActorRef<ChatRoom.Command> room;
  /** The room the session was in when it stopped, until the session is in a room again. */
  private ActorRef<ChatRoom.Command> stopped;
  /** Rooms left by a /join lately, still watched, and the room each was left for. */
  private final Map<ActorRef<ChatRoom.Command>, String> left = new HashMap<>(2);
  private long seq;

  Place(ActorContext<Command> context, Link link, String name) {
    this.context = context;
    this.link = link;
    this.name = name;
  }

  String name() {
    return name;
  }

  String roomName() {
    return roomName;
  }

  /** The room the session is in; null while it is being restarted. */
  ActorRef<ChatRoom.Command> room() {
    return room;
  }

  /** Whether the session counts itself a member of {@code room}, or is on its way into it. */
  boolean isIn(String room) {
    return room.equals(roomName) || room.equals(movingTo);
  }

  /**
   * In the room of {@code joined} now; {@link Session} watches it. Unless it came back silently
   * after a restart of the room, the room is still to announce it.
   */
  void enter(Joined joined) {
    room = joined.roomRef();
    stopped = null;
    roomName = joined.room();
    left.remove(room);
    if (!joined.rejoin()) {
      arriving = roomName;
    }
  }

  /** {@code room} has announced the session: its "just joined" line is in the client's queue. */
  void announced(String room) {
    if (room.equals(arriving)) {
      arriving = null;
    }
  }

  /** Whether the room the session is in has announced it, or never will. */
  boolean announced() {
    return arriving == null;
  }

  /**
   * {@code old}, just left for {@code target}, is still watched: if it had stopped before the
   * leave reached it, it told {@code target} nothing, and the session must announce itself.
   */
  void watchLeft(ActorRef<ChatRoom.Command> old, String target) {
    left.put(old, target);
  }

  /** Whether {@code old} is a room left lately and still watched. */
  boolean isLeft(ActorRef<ChatRoom.Command> old) {
    return left.containsKey(old);
  }

  /** Stops counting {@code old} as a room left lately; true if it was one. */
  boolean forgetLeft(ActorRef<ChatRoom.Command> old) {
    return left.remove(old) != null;
  }

  /**
   * A room left lately has stopped, perhaps before the leave reached it: the room it was left
   * for is asked to announce the session (it does so once, however often it is asked).
   */
  void leftRoomStopped(ActorRef<ChatRoom.Command> old) {
    String target = left.remove(old);
    if (target != null) {
      link.directory().tell(target, new ChatRoom.Announce(name, self()));
    }
  }

  /** The room stopped: none until its new incarnation takes the session in again. */
  void roomStopped() {
    if (room != null) {
      stopped = room;
    }
    room = null;
  }

  void renamed(String name) {
    this.name = name;
  }

  /** A /join into {@code target} is under way. */
  void movingTo(String target) {
    movingTo = target;
  }

  /** The /join failed: the session stays where it was. */
  void stayed() {
    movingTo = null;
  }

  // ---- to the room ----

  void say(String text) {
    toRoom(new ChatRoom.Say(name, self(), ++seq, text));
  }

  void emote(String text) {
    toRoom(new ChatRoom.Emote(name, self(), ++seq, text));
  }

  void whisper(List<String> recipients, String text) {
    toRoom(new ChatRoom.Whisper(name, self(), ++seq, recipients, text));
  }

  void who() {
    toRoom(new ChatRoom.Who(self(), ++seq));
  }

  private void toRoom(ChatRoom.Command command) {
    unechoed.add(seq, command);
    room.tell(command);
  }

  /** Asks the room named {@code target} to take the session in under its name. */
  void join(String target, ChatRoom.JoinMode mode) {
    link.directory().tell(target, new ChatRoom.Join(name, self(), link.fanout(), mode));
  }

  /**
   * Asks the next incarnation of the room that stopped under the session to take it in again,
   * through this node's fan-out, which hands that incarnation the room's roster first.
   */
  void rejoin() {
    link.fanout().tell(new Fanout.Rejoin(stopped, roomName,
        new ChatRoom.Join(name, self(), link.fanout(), ChatRoom.JoinMode.REJOIN)));
  }

  /** Asks the room for {@code newName}; it answers {@link Session.Renamed} or a rejection. */
  void rename(String newName) {
    room.tell(new ChatRoom.Rename(name, newName, self()));
  }

  /**
   * The target of a /join took the session in: it leaves the old room for it, or, if the old
   * room died meanwhile, the new room is told to announce the arrival by the session itself.
   * The lines not echoed by the old room are given up. Returns the old room, for
   * {@link Session} to stop watching (null if it died).
   */
  ActorRef<ChatRoom.Command> leaveFor(String target) {
    movingTo = null;
    ActorRef<ChatRoom.Command> old = room;
    if (old != null) {
      old.tell(new ChatRoom.Leave(name, self(), target));
    } else {
      link.directory().tell(target, new ChatRoom.Announce(name, self()));
    }
    unechoed.clear();
    return old;
  }

  /** A new incarnation of the room took the session in: the lines not echoed go to it again. */
  void resendUnechoed() {
    unechoed.resendTo(room);
  }

  /** Whether the client has all a leave waits for: its lines' echoes and its arrival notice. */
  boolean settled() {
    return unechoed.isEmpty() && announced();
  }

  // ---- from the room ----

  /** Shows a line from a room, then counts it handled on the direct line it was counted on. */
  void deliver(Deliver d) {
    show(d);
    if (d.countedOn() != null) {
      d.countedOn().handled(); // after the line is in the queue, so the next one is behind it
    }
  }

  private void show(Deliver d) {
    if (d.room().equals(roomName)) {
      link.out().send(d.line());
      if (d.echo() != Session.NO_ECHO) {
        unechoed.echoed(d.echo());
      }
    }
  }

  void answer(Ping ping) {
    ping.replyTo().tell(new ChatRoom.Pong(name, self(), isIn(ping.room())));
  }

  /** A join answered after we gave up on it: leave that room again so no ghost stays there. */
  void lateJoin(Joined j) {
    if (!j.roomRef().equals(room)) {
      j.roomRef().tell(new ChatRoom.Leave(j.name(), self(), null));
    }
    if (room != null) {
      openDirectLine(); // the fan-out closed ours as it passed the answer on
    }
  }

  /**
   * Lets the fan-out write the lines of the room the client has just been told about straight
   * to it ({@link DirectLine}).
   */
  void openDirectLine() {
    link.fanout().tell(new Fanout.OpenDirectLine(self(), new DirectLine(link.out(), roomName)));
  }

  private ActorRef<Command> self() {
    return context.getSelf();
  }
}
