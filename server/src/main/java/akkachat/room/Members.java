package akkachat.room;

import akka.actor.typed.ActorRef;
import akkachat.ops.RoomGauges;
import akkachat.session.Fanout;
import akkachat.session.Session;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A room's members, kept three ways: by lower-case name (so iteration is the case-insensitive
 * order of /who), by session, and by the fan-out of their node with how many each serves.
 * Plain bookkeeping for {@link ChatRoom}; it sends nothing, and shows its size to the node's
 * metrics.
 */
final class Members {
  private final TreeMap<String, ChatRoom.Member> byKey = new TreeMap<>();
  private final Map<ActorRef<Session.Command>, String> keyOf = new HashMap<>();
  private final Map<ActorRef<Fanout.Command>, Integer> perFanout = new HashMap<>();
  private final RoomGauges.Room gauge;

  Members(RoomGauges.Room gauge) {
    this.gauge = gauge;
  }

  ChatRoom.Member get(String key) {
    return byKey.get(key);
  }

  /** The key {@code session} is a member under, or null. */
  String keyOf(ActorRef<Session.Command> session) {
    return keyOf.get(session);
  }

  boolean contains(String key) {
    return byKey.containsKey(key);
  }

  /** Whether {@code key} belongs to that very session (not to an older or newer one). */
  boolean isMember(String key, ActorRef<Session.Command> session) {
    ChatRoom.Member m = byKey.get(key);
    return m != null && m.session().equals(session);
  }

  void add(String key, ChatRoom.Member m) {
    byKey.put(key, m);
    keyOf.put(m.session(), key);
    perFanout.merge(m.fanout(), 1, Integer::sum);
    gauge.members(byKey.size());
  }

  ChatRoom.Member remove(String key) {
    ChatRoom.Member m = byKey.remove(key);
    keyOf.remove(m.session());
    perFanout.computeIfPresent(m.fanout(), (f, n) -> n == 1 ? null : n - 1);
    gauge.members(byKey.size());
    return m;
  }

  int size() {
    return byKey.size();
  }

  boolean isEmpty() {
    return byKey.isEmpty();
  }

  /** The names as their owners spell them, in /who order. */
  List<String> names() {
    List<String> names = new ArrayList<>(byKey.size());
    byKey.values().forEach(m -> names.add(m.name()));
    return names;
  }

  /** Every member, in /who order. */
  List<ChatRoom.Member> all() {
    return new ArrayList<>(byKey.values());
  }

  /** The members whose node's fan-out is {@code fanout}. */
  List<ChatRoom.Member> servedBy(ActorRef<Fanout.Command> fanout) {
    List<ChatRoom.Member> served = new ArrayList<>();
    byKey.values().forEach(m -> {
      if (m.fanout().equals(fanout)) {
        served.add(m);
      }
    });
    return served;
  }

  /** The fan-outs of the nodes that have members here. */
  Set<ActorRef<Fanout.Command>> fanouts() {
    return perFanout.keySet();
  }
}
