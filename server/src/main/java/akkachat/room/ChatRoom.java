package akkachat.room;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.PostStop;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.actor.typed.javadsl.TimerScheduler;
import akkachat.CborSerializable;
import akkachat.config.ChatSettings;
import akkachat.ops.NodeMetrics;
import akkachat.ops.RoomGauges;
import akkachat.protocol.Lines;
import akkachat.protocol.Names;
import akkachat.session.Fanout;
import akkachat.session.Session;

import java.util.List;

/**
 * One chat room: the only owner of its member map (name to session) and of the one order in
 * which its lines reach every member. Members leave explicitly or by dying: the room watches
 * every member's session, so a disconnect of any kind reaches it exactly once. Lines go out
 * once per node, through that node's {@link Fanout}, which also holds the room's roster: an
 * incarnation started after a lost node takes the members over from the fan-outs of the nodes
 * left ({@link TakeOver}), so survivors stay members without noticing, and those lost with the
 * node are reported through the death watch, as disconnected.
 */
public final class ChatRoom extends AbstractBehavior<ChatRoom.Command> {

  public sealed interface Command extends CborSerializable {}

  /** How a session enters: announced at login, announced later when moving, or silently. */
  public enum JoinMode {
    /** A new user: announced at once. */
    LOGIN,
    /** A user moving from another room: announced when the old room has let it go. */
    MOVE,
    /** A member registering again after the room restarted: not announced. */
    REJOIN
  }

  /** Enter the room; {@code fanout} delivers to the session's node. */
  public record Join(String name, ActorRef<Session.Command> session,
      ActorRef<Fanout.Command> fanout, JoinMode mode) implements Command {}

  /**
   * Leave the room; if {@code announceIn} is set (the name of the room moved to), that room is
   * told to announce the member once it is gone from here, so nobody sees it in two rooms at
   * once. By name, not by reference: should that room have stopped and started again
   * meanwhile, its new incarnation, which took the member over, announces it.
   */
  public record Leave(String name, ActorRef<Session.Command> session, String announceIn)
      implements Command {}

  /** From the room a member moved out of: tell everyone here that it arrived. */
  public record Announce(String name, ActorRef<Session.Command> session) implements Command {}

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

  /** Asks for the members; the answer to the asker carries {@code seq} back. */
  public record Who(ActorRef<Session.Command> session, long seq) implements Command {
    public Who(ActorRef<Session.Command> session) {
      this(session, Session.NO_ECHO);
    }
  }

  /** A session's answer to {@link Session.Ping}: whether it still counts itself a member. */
  public record Pong(String name, ActorRef<Session.Command> session, boolean member)
      implements Command {}

  /**
   * The members of an earlier incarnation of this room, as a node's fan-out knew them when that
   * incarnation stopped: each one not here yet becomes a member again, silently, and is watched.
   */
  public record TakeOver(List<Member> members) implements Command {
    public TakeOver {
      members = List.copyOf(members);
    }
  }

  /** A node's fan-out has delivered this room's lines up to number {@code upTo}. */
  public record Delivered(ActorRef<Fanout.Command> fanout, long upTo) implements Command {}

  /** Sent by the host to stop the room (passivation when empty, or hand-off to another node). */
  public record Stop() implements Command {}

  record SessionEnded(String key, ActorRef<Session.Command> session) implements Command {}

  record ContestExpired(String key) implements Command {}

  /** A member: its name as it spells it, its session, and the fan-out of the session's node. */
  public record Member(String name, ActorRef<Session.Command> session,
      ActorRef<Fanout.Command> fanout) {}

  public static Behavior<Command> create(String room, ChatSettings settings, RoomHost host) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers ->
        new ChatRoom(ctx, timers, room, settings, host)));
  }

  private final String room;
  private final RoomHost host;
  private final NodeMetrics metrics;
  private final RoomGauges.Room gauge;
  private final Members members;
  private final FanoutLag lag;
  private final Membership membership;
  private final Admission admission;
  private final Outbox out;
  /** Whether this incarnation has taken over members of an earlier one (a fail-over). */
  private boolean tookOver;

  private ChatRoom(ActorContext<Command> context, TimerScheduler<Command> timers, String room,
      ChatSettings settings, RoomHost host) {
    super(context);
    this.room = room;
    this.host = host;
    this.metrics = NodeMetrics.get(context.getSystem());
    this.gauge = metrics.rooms().open();
    this.members = new Members(gauge);
    // Fan-outs report every REPORT_EVERY lines: only past this are they surely behind.
    this.lag = new FanoutLag(settings.nodeLagLimit() + Fanout.REPORT_EVERY);
    this.out = new Outbox(context, room, new Lines(settings.newline()), members, lag);
    Contests contests = new Contests();
    this.membership = new Membership(context, room, host, members, lag, contests);
    this.admission = new Admission(context, timers, room, members, contests, membership, out);
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Join.class, this::onJoin)
        .onMessage(Leave.class, this::onLeave)
        .onMessage(Announce.class, this::onAnnounce)
        .onMessage(Say.class, this::onSay)
        .onMessage(Emote.class, this::onEmote)
        .onMessage(Whisper.class, this::onWhisper)
        .onMessage(Rename.class, this::onRename)
        .onMessage(Who.class, this::onWho)
        .onMessage(Pong.class, this::onPong)
        .onMessage(SessionEnded.class, this::onSessionEnded)
        .onMessage(Delivered.class, this::onDelivered)
        .onMessage(ContestExpired.class, this::onContestExpired)
        .onMessage(TakeOver.class, this::onTakeOver)
        .onMessage(Stop.class, stop -> Behaviors.stopped())
        .onSignal(PostStop.class, stopped -> {
          metrics.rooms().close(gauge);
          return this;
        })
        .build();
  }

  private Behavior<Command> onJoin(Join join) {
    admission.join(join);
    return this;
  }

  private Behavior<Command> onTakeOver(TakeOver takeOver) {
    if (admission.takeOver(takeOver.members()) > 0 && !tookOver) {
      tookOver = true;
      metrics.failover();
    }
    return this;
  }

  private Behavior<Command> onPong(Pong pong) {
    admission.pong(pong);
    return this;
  }

  private Behavior<Command> onContestExpired(ContestExpired e) {
    admission.settle(e.key(), true);
    return this;
  }

  private Behavior<Command> onDelivered(Delivered d) {
    gauge.lag(lag.delivered(d.fanout(), d.upTo()));
    return this;
  }

  private Behavior<Command> onLeave(Leave leave) {
    String key = Names.key(leave.name());
    if (members.isMember(key, leave.session())) {
      membership.dismiss(key);
      membership.changed();
      out.broadcast(Lines.left(leave.name()));
      admission.settle(key, false);
    }
    // Unless its end came first (system messages overtake others), and was reported here.
    if (leave.announceIn() != null && !membership.endedHere(leave.session())) {
      host.tell(leave.announceIn(), new Announce(leave.name(), leave.session()));
    }
    return this;
  }

  private Behavior<Command> onAnnounce(Announce a) {
    String key = Names.key(a.name());
    if (members.isMember(key, a.session())) {
      if (membership.announce(a.session())) {
        out.announce(members.get(key));
      }
      return this;
    }
    String endedFirst = membership.endedBeforeAnnounced(a.session());
    if (endedFirst != null) {
      // It left its old room for this one, then ended before this request came: it came and went.
      out.broadcast(Lines.joined(endedFirst));
      out.broadcast(Lines.disconnected(endedFirst), null, Session.NO_ECHO, a.session());
    } else {
      membership.askEarly(a.session()); // it may yet be taken over from an earlier incarnation
    }
    return this;
  }

  private Behavior<Command> onSessionEnded(SessionEnded ended) {
    Member member = members.get(ended.key());
    // A stale signal (the name now belongs to a newer session) removes nothing.
    if (member != null && member.session().equals(ended.session())) {
      boolean announced = membership.ended(ended.key());
      getContext().getLog().debug("{} left room {}: session ended", member.name(), room);
      membership.changed();
      if (announced) {
        out.broadcast(Lines.disconnected(member.name()), null, Session.NO_ECHO, ended.session());
      } // else nobody here has seen it come: see Membership.ended
      admission.settle(ended.key(), false);
    }
    return this;
  }

  private Behavior<Command> onSay(Say say) {
    if (members.isMember(Names.key(say.name()), say.session())) {
      out.broadcast(Lines.said(say.name(), say.text()), say.session(), say.seq());
    }
    return this;
  }

  private Behavior<Command> onEmote(Emote emote) {
    if (members.isMember(Names.key(emote.name()), emote.session())) {
      out.broadcast(Lines.emote(emote.name(), emote.text()), emote.session(), emote.seq());
    }
    return this;
  }

  private Behavior<Command> onWhisper(Whisper w) {
    Member sender = members.get(Names.key(w.name()));
    if (sender == null || !sender.session().equals(w.session())) {
      return this;
    }
    out.whisper(sender, w);
    return this;
  }

  private Behavior<Command> onRename(Rename r) {
    String oldKey = Names.key(r.name());
    String newKey = Names.key(r.newName());
    if (!members.isMember(oldKey, r.session())) {
      return this;
    }
    Member old = members.get(oldKey);
    if (!newKey.equals(oldKey) && members.contains(newKey)) {
      out.reply(old.fanout(), r.session(), new Session.RenameRejected(room, r.newName()));
      return this;
    }
    membership.rename(oldKey, newKey, new Member(r.newName(), r.session(), old.fanout()));
    // The notice first: through the same fan-out, it reaches the renamer before the answer, so
    // the renamer's next line (or its leave) comes after it.
    out.broadcast(Lines.renamed(r.name(), r.newName()));
    out.reply(old.fanout(), r.session(), new Session.Renamed(room, r.newName()));
    if (!newKey.equals(oldKey)) {
      admission.settle(oldKey, false);
    }
    return this;
  }

  private Behavior<Command> onWho(Who who) {
    String key = members.keyOf(who.session());
    if (key != null) {
      out.who(members.get(key), who.seq());
    }
    return this;
  }
}
