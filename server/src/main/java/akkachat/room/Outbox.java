package akkachat.room;

import akka.actor.typed.ActorRef;
import akka.actor.typed.javadsl.ActorContext;
import akka.util.ByteString;
import akkachat.protocol.Lines;
import akkachat.protocol.Names;
import akkachat.session.Fanout;
import akkachat.session.Session;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What a room sends its members, always through the fan-out of each member's node: replies to
 * one session, lines to one member, and lines to all, encoded once and numbered per node by
 * {@link FanoutLag}. It reads {@link Members} and changes no membership; {@link ChatRoom} calls
 * it from its own message handling only, so it may use the room's context there.
 */
final class Outbox {
  private final ActorContext<ChatRoom.Command> context;
  private final String room;
  private final Lines lines;
  private final Members members;
  private final FanoutLag lag;

  Outbox(ActorContext<ChatRoom.Command> context, String room, Lines lines, Members members,
      FanoutLag lag) {
    this.context = context;
    this.room = room;
    this.lines = lines;
    this.members = members;
    this.lag = lag;
  }

  void reply(ActorRef<Fanout.Command> fanout, ActorRef<Session.Command> session,
      Session.RoomReply reply) {
    fanout.tell(new Fanout.Reply(session, reply));
  }

  /** Tells a joining session it is in, as {@code name}, and who is here (itself included). */
  void joined(ChatRoom.Join join, String name) {
    reply(join.fanout(), join.session(), new Session.Joined(room, context.getSelf(), name,
        members.names(), join.mode() == ChatRoom.JoinMode.REJOIN));
  }

  /**
   * Tells everyone {@code m} has arrived, then {@code m} itself that it has been announced: the
   * same node's fan-out passes both on, in this order.
   */
  void announce(ChatRoom.Member m) {
    broadcast(Lines.joined(m.name()));
    announced(m);
  }

  /** Tells {@code m} its arrival has been announced (perhaps long ago). */
  void announced(ChatRoom.Member m) {
    reply(m.fanout(), m.session(), new Session.Announced(room));
  }

  void rejected(ChatRoom.Join join) {
    reply(join.fanout(), join.session(), new Session.JoinRejected(room, join.name()));
  }

  /** Asks a member whether it still counts itself a member here; it answers with a Pong. */
  void ping(ChatRoom.Member m) {
    reply(m.fanout(), m.session(), new Session.Ping(room, context.getSelf()));
  }

  /** The members' names, to {@code asker} only. */
  void who(ChatRoom.Member asker, long seq) {
    sendTo(asker, lines.encode(Lines.usersOnline(members.names())), seq);
  }

  /**
   * A private line from {@code sender}: once to each member named but the sender, an error to
   * the sender for each name not here, and last the sender's own copy, carrying its seq back.
   */
  void whisper(ChatRoom.Member sender, ChatRoom.Whisper w) {
    ByteString bytes = lines.encode(Lines.privateMessage(w.name(), w.recipients(), w.text()));
    Set<ActorRef<Session.Command>> delivered = new LinkedHashSet<>();
    for (String name : w.recipients()) {
      ChatRoom.Member m = members.get(Names.key(name));
      if (m == null) {
        sendTo(sender, lines.encode(Lines.noSuchUser(name)), Session.NO_ECHO);
      } else if (!m.session().equals(w.session()) && delivered.add(m.session())) {
        sendTo(m, bytes, Session.NO_ECHO);
      }
    }
    sendTo(sender, bytes, w.seq());
  }

  private void sendTo(ChatRoom.Member m, ByteString line, long echo) {
    m.fanout().tell(new Fanout.SendTo(room, m.session(), line, echo));
  }

  void broadcast(String line) {
    broadcast(line, null, Session.NO_ECHO, null);
  }

  void broadcast(String line, ActorRef<Session.Command> sender, long seq) {
    broadcast(line, sender, seq, null);
  }

  /**
   * One message per node with members; {@code sender} (if any) gets {@code seq} back;
   * {@code departed} marks the notice of that session's departure.
   */
  void broadcast(String line, ActorRef<Session.Command> sender, long seq,
      ActorRef<Session.Command> departed) {
    ByteString bytes = lines.encode(line);
    for (ActorRef<Fanout.Command> f : members.fanouts()) {
      long number = lag.next(f);
      if (number == 0) {
        continue; // cut off: its members are being closed
      }
      f.tell(new Fanout.Broadcast(context.getSelf(), room, bytes, sender, seq, departed, number));
      if (lag.cutIfBehind(f)) {
        List<ChatRoom.Member> served = members.servedBy(f);
        context.getLog().info("room {}: a node fell more than node-lag-limit lines"
            + " behind; closing its {} members here as too slow", room, served.size());
        served.forEach(m -> m.session().tell(new Session.Overrun(room)));
      }
    }
  }
}
