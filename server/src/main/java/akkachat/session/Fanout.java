package akkachat.session;

import akka.actor.Address;
import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.actor.typed.javadsl.TimerScheduler;
import akka.util.ByteString;
import akkachat.CborSerializable;
import akkachat.protocol.Lines;
import akkachat.room.ChatRoom;
import akkachat.room.RoomDirectory;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Delivers a room's lines to the sessions of one node. A room sends each line once per node
 * that has members in it, not once per member, and the room alone decides who is a member: it
 * sends each such node its roster ({@link Roster}, then {@link Enter} and {@link Exit}, in order
 * with the lines), so this actor knows which local sessions get a line, and holds the whole
 * roster of every room it serves. If a room stops while it has members (its node was lost, or
 * handed it to another), this hands the roster to the room's next incarnation
 * ({@link ChatRoom.TakeOver}), which watches every member: those gone with the lost node are
 * reported through the room's death watch, like every other departure. Where a session allows
 * it, lines go straight into its client's queue ({@link DirectLine}), else through the session.
 */
public final class Fanout extends AbstractBehavior<Fanout.Command> {

  public sealed interface Command {}

  /** The whole roster of the room named {@code name}, to a node that has a member there now. */
  public record Roster(ActorRef<ChatRoom.Command> room, String name, List<ChatRoom.Member> members)
      implements Command, CborSerializable {
    public Roster {
      members = List.copyOf(members);
    }
  }

  /** {@code member} entered {@code room}, or goes on there under a new name. */
  public record Enter(ActorRef<ChatRoom.Command> room, ChatRoom.Member member)
      implements Command, CborSerializable {}

  /** The member on {@code session} is no longer in {@code room}. */
  public record Exit(ActorRef<ChatRoom.Command> room, ActorRef<Session.Command> session)
      implements Command, CborSerializable {}

  /**
   * A line of the room named {@code name} for every local member of {@code room};
   * {@code echoTo} gets {@code echoSeq}; {@code departed}, if set, is the session whose
   * departure the line announces; {@code number} counts the room's lines to this fan-out
   * (1, 2, 3, ...), so that a line lost on the way is noticed and progress reported; 0 for
   * none of that.
   */
  public record Broadcast(ActorRef<ChatRoom.Command> room, String name, ByteString line,
      ActorRef<Session.Command> echoTo, long echoSeq, ActorRef<Session.Command> departed,
      long number) implements Command, CborSerializable {}

  /** A line of the room named {@code name} for one member only (private messages, /who). */
  public record SendTo(String name, ActorRef<Session.Command> session, ByteString line,
      long echo) implements Command, CborSerializable {}

  /** A room's answer to one session, kept in order with the room's lines. */
  public record Reply(ActorRef<Session.Command> session, Session.RoomReply reply)
      implements Command, CborSerializable {}

  /** A room hears how far this fan-out got every this many lines. */
  public static final int REPORT_EVERY = 64;

  /**
   * A session of this node saw its room {@code stopped} and joins the room's next incarnation
   * with {@code join}: the room's roster goes there first (if this node still has it), so the
   * new incarnation knows every member before any line a session resends to it.
   */
  record Rejoin(ActorRef<ChatRoom.Command> stopped, String room, ChatRoom.Join join)
      implements Command {}

  /** A session of this node lets the fan-out write its room's lines straight to its client. */
  record OpenDirectLine(ActorRef<Session.Command> session, DirectLine line) implements Command {}

  private record RoomStopped(ActorRef<ChatRoom.Command> room) implements Command {}

  private record SessionStopped(ActorRef<Session.Command> session) implements Command {}

  private record Departure(String room, ActorRef<Session.Command> session) {}

  /** Hands the held lines over and wakes the streams that sleep (see {@link HeldLines}). */
  private enum Flush implements Command { INSTANCE }

  /**
   * The fan-out of one node; {@code directory} reaches a room's next incarnation, {@code lines}
   * encodes the departures it reports itself.
   */
  public static Behavior<Command> create(RoomDirectory directory, Lines lines) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers ->
        new Fanout(ctx, timers, directory, lines)));
  }

  private final Lines lines;
  private final Succession succession;
  private final Map<ActorRef<ChatRoom.Command>, RoomCopy> rooms = new HashMap<>();
  /** The sessions of this node that are members of a room here, or have a line open. */
  private final Map<ActorRef<Session.Command>, Recipient> recipients = new HashMap<>();
  /**
   * Departures announced here lately: two incarnations of a room (one that stopped with its
   * node, and the one that took its members over) may both announce one.
   */
  private final RecentSet<Departure> departures = new RecentSet<>(4096);
  /** Lines held for clients, handed over once the broadcasts waiting here are taken in. */
  private final HeldLines held = new HeldLines();
  private final TimerScheduler<Command> timers;
  /** A Flush is on its way (a message to itself, or a timer). */
  private boolean flushAsked;
  private int sinceFlush;

  private Fanout(ActorContext<Command> context, TimerScheduler<Command> timers,
      RoomDirectory directory, Lines lines) {
    super(context);
    this.timers = timers;
    this.lines = lines;
    this.succession = new Succession(directory);
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Broadcast.class, this::onBroadcast)
        .onMessage(SendTo.class, this::onSendTo)
        .onMessage(Reply.class, this::onReply)
        .onMessage(Roster.class, this::onRoster)
        .onMessage(Enter.class, this::onEnter)
        .onMessage(Exit.class, this::onExit)
        .onMessage(OpenDirectLine.class, this::onOpenDirectLine)
        .onMessage(RoomStopped.class, r -> handOver(r.room()))
        .onMessage(Rejoin.class, this::onRejoin)
        .onMessage(SessionStopped.class, this::onSessionStopped)
        .onMessage(Flush.class, this::onFlush)
        .build();
  }

  private Behavior<Command> onSessionStopped(SessionStopped stopped) {
    recipients.remove(stopped.session());
    return this;
  }

  private Behavior<Command> onBroadcast(Broadcast b) {
    RoomCopy copy = rooms.get(b.room());
    if (copy == null) {
      return this;
    }
    if (b.number() > 0) {
      countLine(b, copy);
    }
    if (b.departed() != null && !departures.add(new Departure(b.name(), b.departed()))) {
      return this; // announced here already, by an earlier incarnation of the room
    }
    toLocal(copy, b.name(), b.line(), b.echoTo(), b.echoSeq());
    return this;
  }

  /**
   * A line of the room named {@code name} to the members here of {@code copy}: held for those it
   * may be written to straight, through the session for the others (and for {@code echoTo},
   * with its number).
   */
  private void toLocal(RoomCopy copy, String name, ByteString line,
      ActorRef<Session.Command> echoTo, long echoSeq) {
    List<Recipient> local = copy.local;
    for (int i = 0, n = local.size(); i < n; i++) {
      Recipient r = local.get(i);
      DirectLine d = r.line;
      if (echoTo != null && r.session.equals(echoTo)) {
        throughSession(r, name, line, echoSeq);
      } else if (d == null || !d.accepts(name)) {
        throughSession(r, name, line, Session.NO_ECHO);
      } else {
        held.hold(r, d.out(), line);
      }
    }
    if (++sinceFlush >= HeldLines.FLUSH_EVERY || (held.few() && !flushAsked)) {
      flush();
    } else if (!held.isEmpty() && !flushAsked) {
      flushAsked = true;
      getContext().getSelf().tell(Flush.INSTANCE); // behind the broadcasts already waiting
    }
  }

  /**
   * A gap in the numbers means lines were lost on the way here (the cluster drops messages for
   * a node that falls too far behind): every local member missed one, so each is closed as too
   * slow, as a client with more lines waiting than it may have would be.
   */
  private void countLine(Broadcast b, RoomCopy copy) {
    if (b.number() != copy.lastNumber + 1) {
      getContext().getLog().info("lines {} to {} of room {} were lost on the way here; closing"
          + " its {} members here as too slow", copy.lastNumber + 1, b.number() - 1, b.name(),
          copy.local.size());
      copy.local.forEach(r -> r.session.tell(new Session.Overrun(b.name())));
    }
    copy.lastNumber = b.number();
    if (b.number() % REPORT_EVERY == 0) {
      b.room().tell(new ChatRoom.Delivered(getContext().getSelf(), b.number()));
    }
  }

  /**
   * A line for {@code r} through its session, behind the lines held for it; the session's
   * direct line, if it has one, counts the line as pending.
   */
  private void throughSession(Recipient r, String room, ByteString line, long echo) {
    HeldLines.handOverNow(r);
    DirectLine d = r.line;
    if (d != null) {
      d.sentThroughSession();
    }
    r.session.tell(new Session.Deliver(room, line, echo, d));
  }

  private Behavior<Command> onFlush(Flush flush) {
    flushAsked = false;
    flush();
    return this;
  }

  private void flush() {
    sinceFlush = 0;
    Duration wait = held.flush(System.nanoTime());
    if (wait != null && !flushAsked) {
      flushAsked = true;
      timers.startSingleTimer(Flush.INSTANCE, wait);
    }
  }

  private Behavior<Command> onSendTo(SendTo s) {
    Recipient r = recipients.get(s.session());
    if (r == null) {
      s.session().tell(new Session.Deliver(s.name(), s.line(), s.echo(), null));
    } else {
      throughSession(r, s.name(), s.line(), s.echo());
    }
    return this;
  }

  private Behavior<Command> onReply(Reply r) {
    Recipient to = recipients.get(r.session());
    if (to != null) {
      // The lines before the answer go first: what the session does next comes after them.
      HeldLines.handOverNow(to);
      if (r.reply() instanceof Session.Joined) {
        // The session is about to tell its client about a room: nothing straight to the client
        // until it has, and has opened a line for that room.
        to.line = null;
      }
    }
    r.session().tell(r.reply());
    return this;
  }

  private Behavior<Command> onOpenDirectLine(OpenDirectLine o) {
    recipient(o.session()).line = o.line();
    o.session().tell(new Session.DirectLineOpened(o.line()));
    return this;
  }

  /** The way to {@code session}, a session of this node, watched from its first use on. */
  private Recipient recipient(ActorRef<Session.Command> session) {
    Recipient r = recipients.get(session);
    if (r == null) {
      r = new Recipient(session);
      recipients.put(session, r);
      getContext().watchWith(session, new SessionStopped(session));
    }
    return r;
  }

  private Behavior<Command> onRoster(Roster r) {
    succession.answered(r.name());
    RoomCopy copy = rooms.get(r.room());
    if (copy == null) {
      copy = new RoomCopy(r.name(), getContext().getSelf());
      rooms.put(r.room(), copy);
      getContext().watchWith(r.room(), new RoomStopped(r.room()));
    }
    for (ChatRoom.Member m : r.members()) {
      copy.enter(m, this::recipient);
    }
    return this;
  }

  private Behavior<Command> onEnter(Enter e) {
    RoomCopy copy = rooms.get(e.room());
    if (copy != null) {
      copy.enter(e.member(), this::recipient);
    }
    return this;
  }

  private Behavior<Command> onExit(Exit e) {
    RoomCopy copy = rooms.get(e.room());
    if (copy != null) {
      copy.exit(e.session());
      if (copy.noneHere()) {
        rooms.remove(e.room());
        getContext().unwatch(e.room());
      }
    }
    return this;
  }

  /**
   * The roster goes first, again if it was handed over before, so it is as sure to arrive as
   * the session's own join (see {@link Succession}).
   */
  private Behavior<Command> onRejoin(Rejoin r) {
    handOver(r.stopped());
    succession.rejoin(r.room(), r.join());
    return this;
  }

  /**
   * A room stopped with members here: its next incarnation takes them over. If it stopped with
   * its node (the death watch of the room, once the split brain resolver has downed the node),
   * the members lost with that node are reported here at once, and left out of the roster
   * handed over: every node with members in the room does the same, so everyone hears of them
   * once, and the next incarnation, which may start only {@code down-removal-margin} later,
   * never counts them.
   */
  private Behavior<Command> handOver(ActorRef<ChatRoom.Command> room) {
    RoomCopy copy = rooms.remove(room);
    if (copy != null) {
      getContext().getLog().debug("room {} stopped with {} members here; handing its roster of {}"
          + " to its next incarnation", copy.name, copy.local.size(), copy.roster().size());
      Address node = room.path().address();
      List<ChatRoom.Member> lost = Succession.lost(getContext().getSystem(), node)
          ? copy.membersOn(node) : List.of();
      succession.stopped(copy, lost);
      if (!lost.isEmpty()) {
        getContext().getLog().info("room {} stopped with its node {}: {} of its members went with"
            + " it", copy.name, node, lost.size());
      }
      for (ChatRoom.Member m : lost) {
        if (departures.add(new Departure(copy.name, m.session()))) {
          toLocal(copy, copy.name, lines.encode(Lines.disconnected(m.name())), null,
              Session.NO_ECHO);
        }
      }
    }
    return this;
  }
}
