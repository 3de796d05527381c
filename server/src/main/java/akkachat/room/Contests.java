package akkachat.room;

import akka.actor.typed.ActorRef;
import akkachat.session.Session;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A room's open questions to its members: the joins for a taken name that wait while its holder
 * is asked whether it is still here, and the members asked (with a {@link Session.Ping}) and not
 * heard from since. Plain bookkeeping for {@link ChatRoom}; it sends nothing.
 */
final class Contests {
  // Joins for a taken name, waiting to learn whether its holder is gone.
  private final Map<String, List<ChatRoom.Join>> contested = new HashMap<>();
  // Members asked whether they still count themselves members, and not heard from since.
  private final Set<ActorRef<Session.Command>> unconfirmed = new HashSet<>();

  /** Lets {@code join} wait for the holder of {@code key}; true if it is the first, so ask. */
  boolean await(String key, ChatRoom.Join join) {
    List<ChatRoom.Join> waiting = contested.computeIfAbsent(key, k -> new ArrayList<>());
    waiting.add(join);
    return waiting.size() == 1;
  }

  /** Whether joins wait for the holder of {@code key}. */
  boolean isContested(String key) {
    return contested.containsKey(key);
  }

  /** Ends the wait for the holder of {@code key}: the joins that waited, in order, or none. */
  List<ChatRoom.Join> settle(String key) {
    List<ChatRoom.Join> waiting = contested.remove(key);
    return waiting == null ? List.of() : waiting;
  }

  /** {@code session} has been asked whether it still counts itself a member. */
  void asked(ActorRef<Session.Command> session) {
    unconfirmed.add(session);
  }

  /** No answer from {@code session} is awaited any more: it said it is here, or it is gone. */
  void forget(ActorRef<Session.Command> session) {
    unconfirmed.remove(session);
  }

  /**
   * Whether the member behind {@code session} stays, now that it answered {@code member}.
   * A join since the question outranks a "no": only an answer still open counts.
   */
  boolean stays(ActorRef<Session.Command> session, boolean member) {
    return member || !unconfirmed.remove(session);
  }
}
