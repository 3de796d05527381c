package akkachat.room;

import akka.actor.typed.ActorRef;
import akka.actor.typed.javadsl.ActorContext;
import akkachat.room.ChatRoom.Member;
import akkachat.room.ChatRoom.SessionEnded;
import akkachat.session.Fanout;
import akkachat.session.Session;

import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Every change of a room's membership with all it must reach: the session's death watch, the
 * roster copies of the fan-outs of the nodes with members, the host and the room's bookkeeping,
 * in one place so none is forgotten.
 * Used from {@link ChatRoom}'s message handling only, so it may use the room's context there.
 */
final class Membership {
  private final ActorContext<ChatRoom.Command> context;
  private final String room;
  private final RoomHost host;
  private final Members members;
  private final FanoutLag lag;
  private final Contests contests;
  /**
   * Members who came by /join (or were taken over from an earlier incarnation, which may not
   * have announced them) and have not been announced yet: the room they left (or the session
   * itself, if that room stopped first) asks for it, once or, in a race, twice.
   */
  private final Set<ActorRef<Session.Command>> unannounced = new HashSet<>();
  /** Of those, the ones that came by /join to this incarnation: nobody here has seen them yet. */
  private final Set<ActorRef<Session.Command>> arriving = new HashSet<>();
  /** Sessions whose end this room has taken in lately. */
  private final Set<ActorRef<Session.Command>> ended = Collections.newSetFromMap(recent());
  /** Of those, the ones that ended before their arrival was announced, with their names. */
  private final Map<ActorRef<Session.Command>, String> endedArriving = recent();
  /** Sessions this room was asked to announce before they were members here. */
  private final Set<ActorRef<Session.Command>> askedEarly = Collections.newSetFromMap(recent());

  /** How many ended sessions a room keeps in mind: their moves' messages come soon after. */
  private static final int ENDED_KEPT = 256;

  private static <V> Map<ActorRef<Session.Command>, V> recent() {
    return new LinkedHashMap<>() {
      @Override
      protected boolean removeEldestEntry(Map.Entry<ActorRef<Session.Command>, V> eldest) {
        return size() > ENDED_KEPT;
      }
    };
  }

  Membership(ActorContext<ChatRoom.Command> context, String room, RoomHost host, Members members,
      FanoutLag lag, Contests contests) {
    this.context = context;
    this.room = room;
    this.host = host;
    this.members = members;
    this.lag = lag;
    this.contests = contests;
  }

  /** Adds a member and watches its session. */
  void add(String key, Member m) {
    enter(key, m);
    watch(key, m.session());
  }

  /** Takes out a member whose session ended. */
  Member remove(String key) {
    Member m = members.remove(key);
    contests.forget(m.session());
    unannounced.remove(m.session());
    arriving.remove(m.session());
    Fanout.Exit exit = new Fanout.Exit(context.getSelf(), m.session());
    members.fanouts().forEach(f -> f.tell(exit));
    if (!members.fanouts().contains(m.fanout())) {
      m.fanout().tell(exit); // its last member on that node: the node gets nothing more from here
      lag.forget(m.fanout());
    }
    return m;
  }

  /**
   * Takes out a member whose session ended; true if it had been announced here, so the others
   * are to be told. If not, it came by /join and ended before its old room let it go (that room
   * reports the end), or after (that room's request to announce it is still on its way:
   * {@link #endedBeforeAnnounced}).
   */
  boolean ended(String key) {
    boolean announced = !arriving.contains(members.get(key).session());
    Member m = remove(key);
    ended.add(m.session());
    if (!announced) {
      endedArriving.put(m.session(), m.name());
    }
    return announced;
  }

  /** Takes out a member whose session lives on: it is watched no more. */
  Member dismiss(String key) {
    Member m = remove(key);
    context.unwatch(m.session());
    return m;
  }

  /** The member under {@code oldKey} goes on as {@code renamed}, under {@code newKey}. */
  void rename(String oldKey, String newKey, Member renamed) {
    members.remove(oldKey);
    members.add(newKey, renamed);
    Fanout.Enter enter = new Fanout.Enter(context.getSelf(), renamed);
    members.fanouts().forEach(f -> f.tell(enter));
    context.unwatch(renamed.session());
    watch(newKey, renamed.session());
  }

  /**
   * Reports the count before anyone is told, so a /rooms after any notice is up to date; an
   * empty room asks to be stopped.
   */
  void changed() {
    host.membersChanged(room, context.getSelf(), members.size());
    if (members.isEmpty()) {
      host.empty(room, context.getSelf());
    }
  }

  /** {@code session} is to be announced when the room it came from asks for it. */
  void awaitAnnouncement(ActorRef<Session.Command> session) {
    unannounced.add(session);
  }

  /** {@code session} came by /join and is to be announced when the room it left asks for it. */
  void awaitArrival(ActorRef<Session.Command> session) {
    unannounced.add(session);
    arriving.add(session);
  }

  /** Whether the end of {@code session} was taken in here lately. */
  boolean endedHere(ActorRef<Session.Command> session) {
    return ended.contains(session);
  }

  /**
   * The name of {@code session} if it ended here before its arrival was announced (once: it is
   * forgotten then), else null.
   */
  String endedBeforeAnnounced(ActorRef<Session.Command> session) {
    return endedArriving.remove(session);
  }

  /** The room was asked to announce {@code session}, which is no member (yet). */
  void askEarly(ActorRef<Session.Command> session) {
    askedEarly.add(session);
  }

  /** Whether the room was asked to announce {@code session} before it came (once). */
  boolean askedEarly(ActorRef<Session.Command> session) {
    return askedEarly.remove(session);
  }

  /** Whether {@code session} is still to be announced. */
  boolean awaitsAnnouncement(ActorRef<Session.Command> session) {
    return unannounced.contains(session);
  }

  /** Whether {@code session} was still to be announced; from now on it counts as announced. */
  boolean announce(ActorRef<Session.Command> session) {
    arriving.remove(session);
    return unannounced.remove(session);
  }

  /**
   * Adds {@code m}; the fan-out of its node gets the whole roster if the room had no member
   * there yet, and every other fan-out serving the room the new entry.
   */
  private void enter(String key, Member m) {
    boolean newNode = !members.fanouts().contains(m.fanout());
    members.add(key, m);
    Fanout.Enter enter = new Fanout.Enter(context.getSelf(), m);
    for (ActorRef<Fanout.Command> f : members.fanouts()) {
      f.tell(newNode && f.equals(m.fanout())
          ? new Fanout.Roster(context.getSelf(), room, members.all()) : enter);
    }
    if (lag.isCut(m.fanout())) {
      m.session().tell(new Session.Overrun(room)); // its node gets no lines from here for now
    }
  }

  private void watch(String key, ActorRef<Session.Command> session) {
    context.watchWith(session, new SessionEnded(key, session));
  }
}
