package akkachat.session;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.util.ByteString;
import akkachat.CborSerializable;
import akkachat.room.ChatRoom;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Delivers a room's lines to the sessions of one node. A room sends each line once per node
 * that has members in it, not once per member, and the room alone decides who is a member: it
 * keeps this actor's copy of its local members up to date with {@link Subscribe} and
 * {@link Unsubscribe}, sent in order with the lines. Where a session allows it, lines go
 * straight into its client's queue ({@link DirectLine}), else through the session.
 */
public final class Fanout extends AbstractBehavior<Fanout.Command> {

  public sealed interface Command {}

  public record Subscribe(ActorRef<ChatRoom.Command> room, ActorRef<Session.Command> session)
      implements Command, CborSerializable {}

  public record Unsubscribe(ActorRef<ChatRoom.Command> room, ActorRef<Session.Command> session)
      implements Command, CborSerializable {}

  /**
   * A line of the room named {@code name} for every local member of {@code room};
   * {@code echoTo} gets {@code echoSeq}; {@code departed}, if set, is the session whose
   * departure the line announces; {@code number} counts the room's lines to this fan-out
   * (1, 2, 3, ...), so that a line lost on the way is noticed and progress reported.
   */
  public record Broadcast(ActorRef<ChatRoom.Command> room, String name, ByteString line,
      ActorRef<Session.Command> echoTo, long echoSeq, ActorRef<Session.Command> departed,
      long number) implements Command, CborSerializable {
    /** An unnumbered line (0): no gap check, no progress report. */
    public Broadcast(ActorRef<ChatRoom.Command> room, String name, ByteString line,
        ActorRef<Session.Command> echoTo, long echoSeq, ActorRef<Session.Command> departed) {
      this(room, name, line, echoTo, echoSeq, departed, 0);
    }

    public Broadcast(ActorRef<ChatRoom.Command> room, String name, ByteString line,
        ActorRef<Session.Command> echoTo, long echoSeq) {
      this(room, name, line, echoTo, echoSeq, null, 0);
    }
  }

  /** A line of the room named {@code name} for one member only (private messages, /who). */
  public record SendTo(String name, ActorRef<Session.Command> session, ByteString line,
      long echo) implements Command, CborSerializable {}

  /** A room's answer to one session, kept in order with the room's lines. */
  public record Reply(ActorRef<Session.Command> session, Session.RoomReply reply)
      implements Command, CborSerializable {}

  /** A room hears how far this fan-out got every this many lines. */
  public static final int REPORT_EVERY = 64;

  /** How many broadcasts this node received and how many deliveries it made (for tests). */
  public record GetStats(ActorRef<Stats> replyTo) implements Command, CborSerializable {}

  public record Stats(long broadcasts, long deliveries) implements CborSerializable {}

  /** A session of this node lets the fan-out write its room's lines straight to its client. */
  record OpenDirectLine(ActorRef<Session.Command> session, DirectLine line) implements Command {}

  private record RoomStopped(ActorRef<ChatRoom.Command> room) implements Command {}

  private record SessionStopped(ActorRef<Session.Command> session) implements Command {}

  public static Behavior<Command> create() {
    return Behaviors.setup(Fanout::new);
  }

  private final Map<ActorRef<ChatRoom.Command>, List<ActorRef<Session.Command>>> members =
      new HashMap<>();
  private final Map<ActorRef<Session.Command>, DirectLine> direct = new HashMap<>();
  /** Per room, the number of its last line here. */
  private final Map<ActorRef<ChatRoom.Command>, long[]> lastNumber = new HashMap<>();
  private long broadcasts;
  private long deliveries;

  private Fanout(ActorContext<Command> context) {
    super(context);
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Broadcast.class, this::onBroadcast)
        .onMessage(SendTo.class, this::onSendTo)
        .onMessage(Reply.class, this::onReply)
        .onMessage(Subscribe.class, this::onSubscribe)
        .onMessage(Unsubscribe.class, this::onUnsubscribe)
        .onMessage(OpenDirectLine.class, this::onOpenDirectLine)
        .onMessage(RoomStopped.class, this::onRoomStopped)
        .onMessage(SessionStopped.class, this::onSessionStopped)
        .onMessage(GetStats.class, this::onGetStats)
        .build();
  }

  private Behavior<Command> onSessionStopped(SessionStopped stopped) {
    direct.remove(stopped.session());
    return this;
  }

  private Behavior<Command> onBroadcast(Broadcast b) {
    List<ActorRef<Session.Command>> local = members.get(b.room());
    if (local == null) {
      return this;
    }
    if (b.number() > 0) {
      countLine(b, local);
    }
    broadcasts++;
    for (int i = 0, n = local.size(); i < n; i++) {
      ActorRef<Session.Command> s = local.get(i);
      DirectLine d = direct.get(s);
      if (s.equals(b.echoTo())) {
        throughSession(s, d, b.name(), b.line(), b.echoSeq(), b.departed());
      } else if (b.departed() != null || d == null || !d.tryWrite(b.name(), b.line())) {
        throughSession(s, d, b.name(), b.line(), Session.NO_ECHO, b.departed());
      }
    }
    deliveries += local.size();
    return this;
  }

  /**
   * A gap in the numbers means lines were lost on the way here (the cluster drops messages for
   * a node that falls too far behind): every local member missed one, so each is closed as too
   * slow, as a client with more lines waiting than it may have would be.
   */
  private void countLine(Broadcast b, List<ActorRef<Session.Command>> local) {
    long[] last = lastNumber.computeIfAbsent(b.room(), r -> new long[1]);
    if (b.number() != last[0] + 1) {
      getContext().getLog().info("lines {} to {} of room {} were lost on the way here; closing"
          + " its {} members here as too slow", last[0] + 1, b.number() - 1, b.name(),
          local.size());
      local.forEach(s -> s.tell(new Session.Overrun(b.name())));
    }
    last[0] = b.number();
    if (b.number() % REPORT_EVERY == 0) {
      b.room().tell(new ChatRoom.Delivered(getContext().getSelf(), b.number()));
    }
  }

  /** {@code d} is the session's direct line, if it has one: it counts the line as pending. */
  private void throughSession(ActorRef<Session.Command> session, DirectLine d, String room,
      ByteString line, long echo, ActorRef<Session.Command> departed) {
    if (d != null) {
      d.sentThroughSession();
    }
    session.tell(new Session.Deliver(room, line, echo, departed, d));
  }

  private Behavior<Command> onSendTo(SendTo s) {
    throughSession(s.session(), direct.get(s.session()), s.name(), s.line(), s.echo(), null);
    deliveries++;
    return this;
  }

  private Behavior<Command> onReply(Reply r) {
    if (r.reply() instanceof Session.Joined) {
      // The session is about to tell its client about a room: nothing straight to the client
      // until it has, and has opened a line for that room.
      direct.remove(r.session());
    }
    r.session().tell(r.reply());
    return this;
  }

  private Behavior<Command> onOpenDirectLine(OpenDirectLine o) {
    if (direct.put(o.session(), o.line()) == null) {
      getContext().watchWith(o.session(), new SessionStopped(o.session()));
    }
    o.session().tell(new Session.DirectLineOpened(o.line()));
    return this;
  }

  private Behavior<Command> onSubscribe(Subscribe s) {
    List<ActorRef<Session.Command>> local = members.get(s.room());
    if (local == null) {
      local = new ArrayList<>();
      members.put(s.room(), local);
      getContext().watchWith(s.room(), new RoomStopped(s.room()));
    }
    if (!local.contains(s.session())) {
      local.add(s.session());
    }
    return this;
  }

  private Behavior<Command> onUnsubscribe(Unsubscribe u) {
    List<ActorRef<Session.Command>> local = members.get(u.room());
    if (local != null) {
      local.remove(u.session());
      if (local.isEmpty()) {
        members.remove(u.room());
        lastNumber.remove(u.room());
        getContext().unwatch(u.room());
      }
    }
    return this;
  }

  private Behavior<Command> onRoomStopped(RoomStopped r) {
    members.remove(r.room());
    lastNumber.remove(r.room());
    return this;
  }

  private Behavior<Command> onGetStats(GetStats g) {
    g.replyTo().tell(new Stats(broadcasts, deliveries));
    return this;
  }
}
