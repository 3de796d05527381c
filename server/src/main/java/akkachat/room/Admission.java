package akkachat.room;

import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.TimerScheduler;
import akkachat.protocol.Lines;
import akkachat.protocol.Names;
import akkachat.room.ChatRoom.ContestExpired;
import akkachat.room.ChatRoom.Join;
import akkachat.room.ChatRoom.JoinMode;
import akkachat.room.ChatRoom.Member;
import akkachat.room.ChatRoom.Pong;

import java.time.Duration;
import java.util.List;

/**
 * Who gets into a room: a join for a free name at once, one for a taken name only once its holder,
 * asked, turns out gone; members taken over from an earlier incarnation are asked the same.
 * {@link ChatRoom} calls it from its own message handling only, so it may use the room's context.
 */
final class Admission {
  /** How long a join for a taken name waits to learn whether the holder is really still here. */
  static final Duration CONTEST_TIMEOUT = Duration.ofSeconds(2);
  /**
   * How long a join for a taken name still waits after the holder said it is here: a reset of the
   * holder's connection may not have reached its session yet (seen: some 10 ms after the reset),
   * and a user who reconnects at once should find the name free.
   */
  static final Duration HOLDER_GRACE = Duration.ofMillis(500);

  private final ActorContext<ChatRoom.Command> context;
  private final TimerScheduler<ChatRoom.Command> timers;
  private final String room;
  private final Members members;
  private final Contests contests;
  private final Membership membership;
  private final Outbox out;

  Admission(ActorContext<ChatRoom.Command> context, TimerScheduler<ChatRoom.Command> timers,
      String room, Members members, Contests contests, Membership membership, Outbox out) {
    this.context = context;
    this.timers = timers;
    this.room = room;
    this.members = members;
    this.contests = contests;
    this.membership = membership;
    this.out = out;
  }

  /**
   * Members of an earlier incarnation become members again, silently, unless they are here
   * already or their name has been taken since; each is asked if it still is one (a fan-out's
   * copy of the roster may have missed the earlier incarnation's last changes). One lost with
   * its node is reported by the death watch, at once, and not taken over again. Returns how
   * many it took over.
   */
  int takeOver(List<Member> earlier) {
    int taken = 0;
    for (Member m : earlier) {
      String key = Names.key(m.name());
      // Not one whose end was reported here already: a fan-out sends its roster again with each
      // rejoin of its sessions until this incarnation answers, so the same roster may come twice.
      if (!members.contains(key) && members.keyOf(m.session()) == null
          && !membership.endedHere(m.session())) {
        membership.add(key, m);
        // It may have come by a /join the earlier incarnation had not yet announced.
        membership.awaitAnnouncement(m.session());
        announceIfAskedEarly(m);
        ping(m);
        taken++;
      }
    }
    if (taken > 0) {
      context.getLog().info("room {} took over {} members of its earlier incarnation", room,
          taken);
      membership.changed();
    }
    return taken;
  }

  void join(Join join) {
    String key = Names.key(join.name());
    String previous = members.keyOf(join.session());
    if (previous != null && !previous.equals(key)) {
      // Here under another name already (it gave up waiting for an earlier join): that goes first.
      Member old = membership.dismiss(previous);
      out.broadcast(Lines.left(old.name()));
    }
    Member existing = members.get(key);
    if (existing != null && existing.session().equals(join.session())) {
      contests.forget(join.session()); // it has just said it is here
      out.joined(join, existing.name());
      if (join.mode() != JoinMode.REJOIN && !membership.awaitsAnnouncement(join.session())) {
        out.announced(existing);
      }
      return;
    }
    if (existing != null) {
      contest(key, existing, join);
      return;
    }
    Member member = new Member(join.name(), join.session(), join.fanout());
    membership.add(key, member);
    context.getLog().debug("{} joined room {} ({})", join.name(), room, join.mode());
    out.joined(join, join.name());
    membership.changed();
    if (join.mode() == JoinMode.LOGIN) {
      out.announce(member);
      return;
    }
    if (join.mode() == JoinMode.MOVE) {
      membership.awaitArrival(join.session());
    } else {
      membership.awaitAnnouncement(join.session()); // if it still is, it is asked for
    }
    announceIfAskedEarly(member);
  }

  /**
   * A new incarnation may be asked to announce a member (by the room it left) before it has
   * taken it over: it does so once the member is here.
   */
  private void announceIfAskedEarly(Member m) {
    if (membership.askedEarly(m.session()) && membership.announce(m.session())) {
      out.announce(m);
    }
  }

  /**
   * The name is taken, but its holder may be gone with its departure still on the way (from
   * another node) or may no longer count itself a member: ask it before saying no.
   */
  private void contest(String key, Member holder, Join join) {
    if (contests.await(key, join)) {
      ping(holder);
      timers.startSingleTimer(new ContestExpired(key), new ContestExpired(key), CONTEST_TIMEOUT);
    }
  }

  /** The holder of {@code key} is gone (or not): decide the joins that waited for it. */
  void settle(String key, boolean holderStays) {
    List<Join> waiting = contests.settle(key);
    if (waiting.isEmpty()) {
      return;
    }
    timers.cancel(new ContestExpired(key));
    for (Join join : waiting) {
      if (holderStays) {
        out.rejected(join);
      } else {
        join(join);
      }
    }
  }

  /**
   * A member's answer whether it still counts itself one: if not, it is dropped and the joins for
   * its name go ahead; if so, they are turned down after {@link #HOLDER_GRACE}, unless its
   * session ends first.
   */
  void pong(Pong pong) {
    String key = members.keyOf(pong.session());
    if (key == null) {
      return;
    }
    boolean stays = contests.stays(pong.session(), pong.member());
    if (stays && contests.isContested(key)) {
      // Said no only when the grace is over, unless its session ends before.
      timers.startSingleTimer(new ContestExpired(key), new ContestExpired(key), HOLDER_GRACE);
      return;
    }
    if (!stays) {
      // Taken over from an earlier incarnation, or left behind, but it had moved on: drop it
      // without a word.
      membership.dismiss(key);
      membership.changed();
    }
    settle(key, stays);
  }

  /** Asks a member whether it still counts itself a member here; it answers with a Pong. */
  private void ping(Member m) {
    contests.asked(m.session());
    out.ping(m);
  }
}
