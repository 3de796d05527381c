package akkachat.room;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.util.ByteString;
import akkachat.CborSerializable;
import akkachat.config.ChatSettings;
import akkachat.protocol.Lines;
import akkachat.protocol.Names;
import akkachat.session.Fanout;
import akkachat.session.Session;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * One chat room: the only owner of its member map (name to session) and of the one order in
 * which its lines reach every member. Members leave explicitly or by dying: the room watches
 * every member's session, so a disconnect of any kind reaches it exactly once. Lines go out
 * once per node, through that node's {@link Fanout}, whose copy of the local members this room
 * keeps up to date.
 */
public final class ChatRoom extends AbstractBehavior<ChatRoom.Command> {

  public sealed interface Command extends CborSerializable {}

  /**
   * Enter the room; {@code fanout} delivers to the session's node; {@code rejoin} re-registers a
   * member after a room restart, silently.
   */
  public record Join(String name, ActorRef<Session.Command> session,
      ActorRef<Fanout.Command> fanout, boolean rejoin) implements Command {}

  /** Leave the room for another one. */
  public record Leave(String name, ActorRef<Session.Command> session) implements Command {}

  /** A line for everyone; {@code seq} comes back on the sender's own copy. */
  public record Say(String name, ActorRef<Session.Command> session, long seq, String text)
      implements Command {}

  public record Emote(String name, ActorRef<Session.Command> session, long seq, String text)
      implements Command {}

  public record Whisper(String name, ActorRef<Session.Command> session, long seq,
      List<String> recipients, String text) implements Command {
    public Whisper {
      recipients = List.copyOf(recipients);
    }
  }

  public record Rename(String name, String newName, ActorRef<Session.Command> session)
      implements Command {}

  public record Who(ActorRef<Session.Command> session) implements Command {}

  /** Sent by the host to stop an empty room (passivation). */
  public record Stop() implements Command {}

  private record SessionEnded(String key, ActorRef<Session.Command> session) implements Command {}

  private record Member(String name, ActorRef<Session.Command> session,
      ActorRef<Fanout.Command> fanout) {}

  public static Behavior<Command> create(String room, ChatSettings settings, RoomHost host) {
    return Behaviors.setup(ctx -> new ChatRoom(ctx, room, settings, host));
  }

  private final String room;
  private final RoomHost host;
  private final Lines lines;
  // Keyed by the lower-case name: iteration order is the case-insensitive sort of /who.
  private final TreeMap<String, Member> members = new TreeMap<>();
  // The nodes with members here, by their fan-out actor, with how many members each has.
  private final Map<ActorRef<Fanout.Command>, Integer> fanouts = new HashMap<>();

  private ChatRoom(ActorContext<Command> context, String room, ChatSettings settings,
      RoomHost host) {
    super(context);
    this.room = room;
    this.host = host;
    this.lines = new Lines(settings.newline());
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Join.class, this::onJoin)
        .onMessage(Leave.class, this::onLeave)
        .onMessage(Say.class, this::onSay)
        .onMessage(Emote.class, this::onEmote)
        .onMessage(Whisper.class, this::onWhisper)
        .onMessage(Rename.class, this::onRename)
        .onMessage(Who.class, this::onWho)
        .onMessage(SessionEnded.class, this::onSessionEnded)
        .onMessage(Stop.class, stop -> Behaviors.stopped())
        .build();
  }

  private Behavior<Command> onJoin(Join join) {
    String key = Names.key(join.name());
    Member existing = members.get(key);
    if (existing != null && existing.session().equals(join.session())) {
      join.session().tell(joined(join.name(), join.rejoin()));
      return this;
    }
    if (existing != null) {
      join.session().tell(new Session.JoinRejected(room, join.name()));
      return this;
    }
    Member member = new Member(join.name(), join.session(), join.fanout());
    members.put(key, member);
    getContext().watchWith(join.session(), new SessionEnded(key, join.session()));
    subscribe(member);
    getContext().getLog().debug("{} joined room {}", join.name(), room);
    join.session().tell(joined(join.name(), join.rejoin()));
    if (!join.rejoin()) {
      broadcast(Lines.joined(join.name()));
    }
    host.membersChanged(room, getContext().getSelf(), members.size());
    return this;
  }

  private Session.Joined joined(String name, boolean rejoin) {
    List<String> names = new ArrayList<>(members.size());
    members.values().forEach(m -> names.add(m.name()));
    return new Session.Joined(room, getContext().getSelf(), name, names, rejoin);
  }

  private Behavior<Command> onLeave(Leave leave) {
    String key = Names.key(leave.name());
    if (isMember(key, leave.session())) {
      unsubscribe(members.remove(key));
      getContext().unwatch(leave.session());
      broadcast(Lines.left(leave.name()));
      membersChanged();
    }
    return this;
  }

  private Behavior<Command> onSessionEnded(SessionEnded ended) {
    Member member = members.get(ended.key());
    // A stale signal (the name now belongs to a newer session) removes nothing.
    if (member != null && member.session().equals(ended.session())) {
      unsubscribe(members.remove(ended.key()));
      getContext().getLog().debug("{} left room {}: session ended", member.name(), room);
      broadcast(Lines.disconnected(member.name()));
      membersChanged();
    }
    return this;
  }

  private Behavior<Command> onSay(Say say) {
    if (isMember(Names.key(say.name()), say.session())) {
      broadcastWithEcho(Lines.said(say.name(), say.text()), say.session(), say.seq());
    }
    return this;
  }

  private Behavior<Command> onEmote(Emote emote) {
    if (isMember(Names.key(emote.name()), emote.session())) {
      broadcastWithEcho(Lines.emote(emote.name(), emote.text()), emote.session(), emote.seq());
    }
    return this;
  }

  private Behavior<Command> onWhisper(Whisper w) {
    Member sender = members.get(Names.key(w.name()));
    if (sender == null || !sender.session().equals(w.session())) {
      return this;
    }
    ByteString bytes = lines.encode(Lines.privateMessage(w.name(), w.recipients(), w.text()));
    Set<ActorRef<Session.Command>> delivered = new LinkedHashSet<>();
    List<String> missing = new ArrayList<>();
    for (String name : w.recipients()) {
      Member m = members.get(Names.key(name));
      if (m == null) {
        missing.add(name);
      } else if (!m.session().equals(w.session()) && delivered.add(m.session())) {
        sendTo(m, bytes, Session.NO_ECHO);
      }
    }
    List<ByteString> toSender = new ArrayList<>();
    missing.forEach(name -> toSender.add(lines.encode(Lines.noSuchUser(name))));
    if (!delivered.isEmpty() || missing.isEmpty()) {
      toSender.add(bytes);
    }
    for (int i = 0; i < toSender.size(); i++) {
      sendTo(sender, toSender.get(i), i == toSender.size() - 1 ? w.seq() : Session.NO_ECHO);
    }
    return this;
  }

  private Behavior<Command> onRename(Rename r) {
    String oldKey = Names.key(r.name());
    String newKey = Names.key(r.newName());
    if (!isMember(oldKey, r.session())) {
      return this;
    }
    if (!newKey.equals(oldKey) && members.containsKey(newKey)) {
      r.session().tell(new Session.RenameRejected(room, r.newName()));
      return this;
    }
    Member old = members.remove(oldKey);
    members.put(newKey, new Member(r.newName(), r.session(), old.fanout()));
    getContext().unwatch(r.session());
    getContext().watchWith(r.session(), new SessionEnded(newKey, r.session()));
    r.session().tell(new Session.Renamed(room, r.newName()));
    broadcast(Lines.renamed(r.name(), r.newName()));
    return this;
  }

  private Behavior<Command> onWho(Who who) {
    List<String> names = new ArrayList<>(members.size());
    members.values().forEach(m -> names.add(m.name()));
    members.values().stream().filter(m -> m.session().equals(who.session())).findFirst()
        .ifPresent(m -> sendTo(m, lines.encode(Lines.usersOnline(names)), Session.NO_ECHO));
    return this;
  }

  private boolean isMember(String key, ActorRef<Session.Command> session) {
    Member m = members.get(key);
    return m != null && m.session().equals(session);
  }

  private void subscribe(Member m) {
    m.fanout().tell(new Fanout.Subscribe(getContext().getSelf(), m.session()));
    fanouts.merge(m.fanout(), 1, Integer::sum);
  }

  private void unsubscribe(Member m) {
    m.fanout().tell(new Fanout.Unsubscribe(getContext().getSelf(), m.session()));
    fanouts.computeIfPresent(m.fanout(), (f, n) -> n == 1 ? null : n - 1);
  }

  private void sendTo(Member m, ByteString line, long echo) {
    m.fanout().tell(new Fanout.SendTo(getContext().getSelf(), m.session(), line, echo));
  }

  private void broadcast(String line) {
    broadcastWithEcho(line, null, Session.NO_ECHO);
  }

  /** One message per node with members; {@code sender} (if any) gets {@code seq} back. */
  private void broadcastWithEcho(String line, ActorRef<Session.Command> sender, long seq) {
    Fanout.Broadcast b = new Fanout.Broadcast(getContext().getSelf(), lines.encode(line), sender, seq);
    fanouts.keySet().forEach(f -> f.tell(b));
  }

  private void membersChanged() {
    host.membersChanged(room, getContext().getSelf(), members.size());
    if (members.isEmpty()) {
      host.empty(room, getContext().getSelf());
    }
  }
}
