package akkachat.session;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.actor.typed.javadsl.ReceiveBuilder;
import akka.actor.typed.javadsl.TimerScheduler;
import akka.util.ByteString;
import akkachat.CborSerializable;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import akkachat.config.ChatSettings;
import akkachat.ops.NodeMetrics;
import akkachat.protocol.ClientCommand;
import akkachat.protocol.Input;
import akkachat.protocol.Lines;
import akkachat.room.ChatRoom;
import akkachat.room.RoomDirectory;

import java.util.List;
import java.util.function.Supplier;

/**
 * One client connection, from the banner to the last line: its first behavior, {@link Login},
 * asks for a name (and a token), then this speaks the chat protocol for it. Lines come in from
 * the connection's stream one at a time (each is acknowledged, so a client that sends faster
 * than it is served is slowed down, never dropped) and go out through the connection's bounded
 * queue. It watches its room and silently joins it again if the room is restarted, resending
 * the lines whose echo had not come back.
 */
public final class Session extends AbstractBehavior<Session.Command> {

  public sealed interface Command {}

  /** {@code echo} on a {@link Deliver} that is not the sender's own copy. */
  public static final long NO_ECHO = -1;

  /**
   * A line from the room named {@code room} (any incarnation of it); {@code echo} is the
   * sequence number of the sender's own line.
   */
  public record Deliver(String room, ByteString line, long echo, DirectLine countedOn)
      implements Command {}

  /** The fan-out has {@code line}: lines it sent through the session before come first. */
  record DirectLineOpened(DirectLine line) implements Command {}

  /** A room's answers to this session; they travel through the node's fan-out, with the lines. */
  @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "t")
  @JsonSubTypes({
      @JsonSubTypes.Type(value = Joined.class, name = "joined"),
      @JsonSubTypes.Type(value = JoinRejected.class, name = "rejected"),
      @JsonSubTypes.Type(value = Announced.class, name = "announced"),
      @JsonSubTypes.Type(value = Renamed.class, name = "renamed"),
      @JsonSubTypes.Type(value = RenameRejected.class, name = "rename-rejected"),
      @JsonSubTypes.Type(value = Ping.class, name = "ping"),
      @JsonSubTypes.Type(value = Overrun.class, name = "overrun")})
  public sealed interface RoomReply extends Command, CborSerializable {}

  public record Joined(String room, ActorRef<ChatRoom.Command> roomRef, String name,
      List<String> members, boolean rejoin) implements RoomReply {
    public Joined {
      members = List.copyOf(members);
    }
  }

  public record JoinRejected(String room, String name) implements RoomReply {}

  /**
   * {@code room} has announced this session's arrival (its "just joined" line went out before
   * this, on the same path).
   */
  public record Announced(String room) implements RoomReply {}

  public record Renamed(String room, String name) implements RoomReply {}

  public record RenameRejected(String room, String name) implements RoomReply {}

  /**
   * The lines of {@code room} for this node's members fell more than {@code node-lag-limit}
   * behind, or some were lost on the way: close as a client too slow to read would be.
   */
  public record Overrun(String room) implements RoomReply {}

  /** A room asks whether this session still counts itself a member of it. */
  public record Ping(String room, ActorRef<ChatRoom.Command> replyTo) implements RoomReply {}

  /** The connection's outbound queue: lines written to it go to the client, in order. */
  public record Attach(Outbound out) implements Command {}

  /** The server is shutting down: say so and close. */
  public record Shutdown() implements Command {}

  /** The acknowledgement the inbound stream waits for before it sends the next line. */
  public enum Ack { INSTANCE }

  public record StreamStarted(ActorRef<Ack> ackTo) implements Command {}

  public record FromClient(ActorRef<Ack> ackTo, Input input) implements Command {}

  public record StreamEnded() implements Command {}

  public record StreamFailed(Throwable cause) implements Command {}

  record LoginTimedOut() implements Command {}

  private record IdleTimedOut() implements Command {}

  record Drained() implements Command {}

  record RequestTimedOut() implements Command {}

  record RoomStopped(ActorRef<ChatRoom.Command> room) implements Command {}

  /** Time to stop watching a room left by a /join. */
  record ForgetLeft(ActorRef<ChatRoom.Command> room) implements Command {}

  record RoomsListed(RoomDirectory.RoomList rooms) implements Command {}

  static final String LOGIN_TIMER = "login";
  private static final String IDLE_TIMER = "idle";
  static final String REQUEST_TIMER = "request";

  /**
   * A session for the connection from {@code remote}; it starts once it is given the
   * connection's outbound queue ({@link Attach}), which exists only when the connection's
   * stream runs.
   */
  public static Behavior<Command> create(ChatSettings settings, RoomDirectory directory,
      ActorRef<Fanout.Command> fanout, String remote) {
    return Behaviors.withStash(16, stash -> Behaviors.setup(ctx -> Behaviors.withTimers(timers ->
        new Attaching(ctx, stash, timers, settings, directory, fanout, remote))));
  }

  private final TimerScheduler<Command> timers;
  private final ChatSettings settings;
  private final Link link;
  /** Made at the first /rooms: an adapter is an actor reference, kept for the session's life. */
  private ActorRef<RoomDirectory.RoomList> roomsAdapter;
  private final Place place;

  private Receive<Command> chatting;
  /** End of input came while the answer to the client's last line was awaited. */
  private boolean inputEnded;

  /** The session of a user who has just logged in as {@code typed}, the room's answer in hand. */
  static Behavior<Command> loggedIn(ActorContext<Command> context, Link link, Joined joined,
      String typed, ActorRef<Ack> ackTo, boolean inputEnded) {
    Session session = new Session(context, link, joined, typed);
    session.inputEnded = inputEnded;
    return session.answered(ackTo);
  }

  private Session(ActorContext<Command> context, Link link, Joined joined, String typed) {
    super(context);
    this.timers = link.timers();
    this.settings = link.settings();
    this.link = link;
    timers.cancel(REQUEST_TIMER);
    timers.cancel(LOGIN_TIMER);
    place = new Place(context, link, typed);
    enterRoom(joined);
    context.getLog().info("login {} from {} in room {}", typed, link.remote(), place.roomName());
    send(Lines.welcome(typed));
    send(Lines.usersOnline(joined.members()));
    place.openDirectLine();
    restartIdleTimer();
  }

  @Override
  public Receive<Command> createReceive() {
    return chatting();
  }

  // ---- phase: chatting in a room ----

  /**
   * Built once: a session spends most of its life here, and every build holds its own two
   * dozen handler objects, kept by every idle connection.
   */
  Receive<Command> chatting() {
    if (chatting == null) {
      chatting = inRoom(newReceiveBuilder()
          .onMessage(FromClient.class, this::onLine)
          .onMessage(RoomStopped.class, s -> s.room().equals(place.room()), this::onRoomStopped))
          .build();
    }
    return chatting;
  }

  private Behavior<Command> onLine(FromClient line) {
    restartIdleTimer();
    if (line.input() instanceof Input.TooLong) {
      send(Lines.lineTooLong(settings.maxLineBytes()));
      return ack(line, Behaviors.same());
    }
    ClientCommand command = ClientCommand.parse(((Input.Line) line.input()).text());
    if (command instanceof ClientCommand.Say say) {
      place.say(say.text());
    } else if (command instanceof ClientCommand.Me me) {
      place.emote(me.text());
    } else if (command instanceof ClientCommand.Msg msg) {
      place.whisper(msg.recipients(), msg.text());
    } else if (command instanceof ClientCommand.Help) {
      Lines.HELP.forEach(this::send);
    } else if (command instanceof ClientCommand.Who) {
      place.who();
    } else if (command instanceof ClientCommand.Rooms) {
      return ListingRooms.start(getContext(), this, link, place, roomsAdapter(), line.ackTo());
    } else if (command instanceof ClientCommand.Join join) {
      return Moving.start(getContext(), this, link, place, join.room(), line.ackTo());
    } else if (command instanceof ClientCommand.Nick nick) {
      return Renaming.start(getContext(), this, link, place, nick.name(), line.ackTo());
    } else if (command instanceof ClientCommand.Quit) {
      return leaving(Lines.BYE, "quit"); // the /quit line is not acknowledged: reading stops
    } else if (command instanceof ClientCommand.Usage usage) {
      send(Lines.usage(usage.usage()));
    } else if (command instanceof ClientCommand.Unknown unknown) {
      send(Lines.unknownCommand(unknown.command()));
    }
    return ack(line, Behaviors.same());
  }

  // ---- phase: the room stopped under us; join its new incarnation silently ----

  Behavior<Command> onRoomStopped(RoomStopped stopped) {
    getContext().getLog().debug("room {} of {} stopped; joining it again", place.roomName(),
        place.name());
    place.roomStopped();
    return rejoin();
  }

  /** Joins the room's new incarnation silently: see {@link Rejoining}. */
  Behavior<Command> rejoin() {
    return new Rejoining(getContext(), this, link, place);
  }

  // ---- phases that wait for the answer to the client's last line ----

  /**
   * Handlers of a phase that waits for the answer to a command (/join, /nick, /rooms): the
   * client's next line waits for it (the line is not acknowledged yet), and so does end of
   * input, so that {@code printf '/rooms\n' | nc -N} still shows the answer.
   */
  ReceiveBuilder<Command> awaitingAnswer(ReceiveBuilder<Command> builder) {
    return inRoom(builder.onMessage(StreamEnded.class, e -> {
      inputEnded = true;
      return Behaviors.same();
    }));
  }

  /** The answer is in: on to the client's next line, or leave if its input has ended. */
  Behavior<Command> answered(ActorRef<Ack> ackTo) {
    return answered(ackTo, this::chatting);
  }

  /** As {@link #answered(ActorRef)}, going on with {@code next} instead of chatting. */
  Behavior<Command> answered(ActorRef<Ack> ackTo, Supplier<Behavior<Command>> next) {
    if (inputEnded) {
      return leaving(null, "end of input");
    }
    ackTo.tell(Ack.INSTANCE);
    return next.get();
  }

  // ---- shared handlers ----

  /** Handlers of every phase once logged in. */
  ReceiveBuilder<Command> inRoom(ReceiveBuilder<Command> builder) {
    return always(builder
        .onMessage(Deliver.class, this::onDeliver)
        .onMessage(RoomsListed.class, this::onRoomsListed)
        .onMessage(IdleTimedOut.class, this::onIdleTimedOut));
  }

  /** Handlers of every phase. */
  private ReceiveBuilder<Command> always(ReceiveBuilder<Command> builder) {
    return builder
        .onMessage(StreamStarted.class, this::onStreamStarted)
        .onMessage(Joined.class, this::onUnexpectedJoin)
        .onMessage(RoomStopped.class, s -> place.isLeft(s.room()), this::onLeftRoomStopped)
        .onMessage(ForgetLeft.class, this::onForgetLeft)
        .onMessage(DirectLineOpened.class, this::onDirectLineOpened)
        .onMessage(Ping.class, this::onPing)
        .onMessage(Overrun.class, o -> place.isIn(o.room()), this::onOverrun)
        .onMessage(Announced.class, this::onAnnounced)
        .onMessage(Shutdown.class, s -> close(Lines.SHUTTING_DOWN, "server shutting down"))
        .onMessage(StreamEnded.class, e -> leaving(null, "end of input"))
        .onMessage(StreamFailed.class, this::onStreamFailed);
  }

  private Behavior<Command> onStreamStarted(StreamStarted started) {
    started.ackTo().tell(Ack.INSTANCE);
    return Behaviors.same();
  }

  private Behavior<Command> onRoomsListed(RoomsListed listed) {
    send(Lines.rooms(listed.rooms().counts()));
    return Behaviors.same();
  }

  private Behavior<Command> onIdleTimedOut(IdleTimedOut timedOut) {
    link.metrics().closed(NodeMetrics.Closed.IDLE_TIMEOUT);
    return close(Lines.idleTimeout(settings.idleTimeoutText()), "idle timeout");
  }

  private Behavior<Command> onLeftRoomStopped(RoomStopped stopped) {
    timers.cancel(new ForgetLeft(stopped.room()));
    place.leftRoomStopped(stopped.room());
    return Behaviors.same();
  }

  private Behavior<Command> onForgetLeft(ForgetLeft forget) {
    if (place.forgetLeft(forget.room())) {
      getContext().unwatch(forget.room());
    }
    return Behaviors.same();
  }

  private Behavior<Command> onDirectLineOpened(DirectLineOpened opened) {
    opened.line().handled();
    return Behaviors.same();
  }

  private Behavior<Command> onAnnounced(Announced announced) {
    place.announced(announced.room());
    return Behaviors.same();
  }

  private Behavior<Command> onOverrun(Overrun overrun) {
    link.metrics().closed(NodeMetrics.Closed.NODE_LAG);
    return close(null, "too slow: its node fell behind room " + overrun.room());
  }

  private Behavior<Command> onStreamFailed(StreamFailed failed) {
    return close(null, "connection failed: " + failed.cause().getMessage());
  }

  /** On the user's own account (/quit, end of input): see {@link Leaving}. */
  private Behavior<Command> leaving(String lastLine, String reason) {
    return Leaving.leave(getContext(), link, place, lastLine, reason);
  }

  private Behavior<Command> onDeliver(Deliver d) {
    place.deliver(d);
    return Behaviors.same();
  }

  private Behavior<Command> onPing(Ping ping) {
    place.answer(ping);
    return Behaviors.same();
  }

  private Behavior<Command> onUnexpectedJoin(Joined j) {
    place.lateJoin(j);
    return Behaviors.same();
  }

  void enterRoom(Joined joined) {
    timers.cancel(new ForgetLeft(joined.roomRef())); // back in a room left lately
    place.enter(joined);
    getContext().watchWith(joined.roomRef(), new RoomStopped(joined.roomRef()));
  }

  private ActorRef<RoomDirectory.RoomList> roomsAdapter() {
    if (roomsAdapter == null) {
      roomsAdapter = getContext().messageAdapter(RoomDirectory.RoomList.class, RoomsListed::new);
    }
    return roomsAdapter;
  }

  private void restartIdleTimer() {
    timers.startSingleTimer(IDLE_TIMER, new IdleTimedOut(), settings.idleTimeout());
  }

  private Behavior<Command> ack(FromClient line, Behavior<Command> next) {
    line.ackTo().tell(Ack.INSTANCE);
    return next;
  }

  private void send(String line) {
    link.send(line);
  }

  /** Sends the last line (if any), completes the outbound queue and stops this session. */
  Behavior<Command> close(String lastLine, String reason) {
    return Leaving.close(getContext(), link, place.name(), lastLine, reason);
  }
}
