package akkachat.session;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.actor.typed.javadsl.ReceiveBuilder;
import akka.actor.typed.javadsl.StashBuffer;
import akka.actor.typed.javadsl.TimerScheduler;
import akka.util.ByteString;
import akkachat.CborSerializable;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import akkachat.config.ChatSettings;
import akkachat.protocol.ClientCommand;
import akkachat.protocol.Input;
import akkachat.protocol.Lines;
import akkachat.protocol.Names;
import akkachat.room.ChatRoom;
import akkachat.room.RoomDirectory;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

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
   * sequence number of the sender's own line; {@code departed}, if set, is the session whose
   * departure the line announces (shown once, even if two incarnations of a room announce it).
   */
  public record Deliver(String room, ByteString line, long echo,
      ActorRef<Command> departed, DirectLine countedOn) implements Command {}

  /** The fan-out has {@code line}: lines it sent through the session before come first. */
  record DirectLineOpened(DirectLine line) implements Command {}

  /** A room's answers to this session; they travel through the node's fan-out, with the lines. */
  @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "t")
  @JsonSubTypes({
      @JsonSubTypes.Type(value = Joined.class, name = "joined"),
      @JsonSubTypes.Type(value = JoinRejected.class, name = "rejected"),
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

  public record Renamed(String room, String name) implements RoomReply {}

  public record RenameRejected(String room, String name) implements RoomReply {}

  /**
   * The lines of {@code room} for this node's members fell more than {@code send-queue-limit}
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

  private record RoomStopped(ActorRef<ChatRoom.Command> room) implements Command {}

  /** Time to stop watching a room left by a /join. */
  private record ForgetLeft(ActorRef<ChatRoom.Command> room) implements Command {}

  private record RoomsListed(RoomDirectory.RoomList rooms) implements Command {}

  static final String LOGIN_TIMER = "login";
  private static final String IDLE_TIMER = "idle";
  static final String REQUEST_TIMER = "request";
  /** A rejoin can be lost while sharding learns where a room lives now: ask again this often. */
  private static final Duration REJOIN_RETRY = Duration.ofSeconds(1);
  /**
   * How long a room left by a /join stays watched: its end, if it came before the leave, is
   * reported within Artery's flush timeout (3 s) of it.
   */
  private static final Duration LEFT_WATCH = Duration.ofSeconds(10);

  /**
   * A session for the connection from {@code remote}; it starts once it is given the
   * connection's outbound queue ({@link Attach}), which exists only when the connection's
   * stream runs.
   */
  public static Behavior<Command> create(ChatSettings settings, RoomDirectory directory,
      ActorRef<Fanout.Command> fanout, String remote) {
    return Behaviors.withStash(16, stash -> Behaviors.setup(ctx -> Behaviors.withTimers(timers ->
        Behaviors.receive(Command.class)
            .onMessage(Attach.class, a -> stash.unstashAll(new Login(ctx, new Link(stash, timers,
                settings, directory, fanout, a.out(), remote, new Lines(settings.newline())))))
            .onAnyMessage(m -> {
              stash.stash(m);
              return Behaviors.same();
            })
            .build())));
  }

  private final StashBuffer<Command> stash;
  private final TimerScheduler<Command> timers;
  private final ChatSettings settings;
  private final RoomDirectory directory;
  private final Link link;
  /** Made at the first /rooms: an adapter is an actor reference, kept for the session's life. */
  private ActorRef<RoomDirectory.RoomList> roomsAdapter;
  private final Place place;

  private Receive<Command> chatting;

  /** The session of a user who has just logged in as {@code typed}, the room's answer in hand. */
  static Behavior<Command> loggedIn(ActorContext<Command> context, Link link, Joined joined,
      String typed, ActorRef<Ack> ackTo) {
    return new Session(context, link, joined, typed, ackTo);
  }

  private Session(ActorContext<Command> context, Link link, Joined joined, String typed,
      ActorRef<Ack> ackTo) {
    super(context);
    this.stash = link.stash();
    this.timers = link.timers();
    this.settings = link.settings();
    this.directory = link.directory();
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
    ackTo.tell(Ack.INSTANCE);
  }

  @Override
  public Receive<Command> createReceive() {
    return chatting();
  }

  // ---- phase: chatting in a room ----

  /**
   * Built once: a session spends most of its life here, and every build holds its own two
   * dozen handler objects (measured: 0.5 KB of live heap per idle connection).
   */
  private Receive<Command> chatting() {
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
      directory.listRooms(roomsAdapter());
    } else if (command instanceof ClientCommand.Join join) {
      return onJoinCommand(join, line.ackTo());
    } else if (command instanceof ClientCommand.Nick nick) {
      return onNickCommand(nick, line.ackTo());
    } else if (command instanceof ClientCommand.Quit) {
      return leaving(Lines.BYE, "quit"); // the /quit line is not acknowledged: reading stops
    } else if (command instanceof ClientCommand.Usage usage) {
      send(Lines.usage(usage.usage()));
    } else if (command instanceof ClientCommand.Unknown unknown) {
      send(Lines.unknownCommand(unknown.command()));
    }
    return ack(line, Behaviors.same());
  }

  private Behavior<Command> onJoinCommand(ClientCommand.Join join, ActorRef<Ack> ackTo) {
    Optional<String> target = Names.roomName(join.room());
    if (target.isEmpty()) {
      send(Lines.INVALID_ROOM);
    } else if (target.get().equals(place.roomName())) {
      send(Lines.alreadyInRoom(place.roomName()));
    } else {
      place.join(target.get(), ChatRoom.JoinMode.MOVE);
      timers.startSingleTimer(REQUEST_TIMER, new RequestTimedOut(), settings.requestTimeout());
      return moving(target.get(), ackTo);
    }
    ackTo.tell(Ack.INSTANCE);
    return Behaviors.same();
  }

  /**
   * Waiting for the target room of a /join. If the old room dies meanwhile, the move goes on:
   * the new room is then told to announce the arrival by the session itself, and if the move
   * fails the session joins the old room's new incarnation again.
   */
  private Behavior<Command> moving(String target, ActorRef<Ack> ackTo) {
    place.movingTo(target);
    return inRoom(newReceiveBuilder()
        .onMessage(Joined.class, j -> j.room().equals(target), j -> {
          timers.cancel(REQUEST_TIMER);
          ActorRef<ChatRoom.Command> old = place.leaveFor(target);
          if (old != null) {
            // The old room announces the move once it has let the session go; but it may have
            // stopped before the leave reached it (a join landing while it passivated), with
            // its end not yet known here. So it stays watched a while.
            place.watchLeft(old, target);
            timers.startSingleTimer(new ForgetLeft(old), new ForgetLeft(old), LEFT_WATCH);
          }
          enterRoom(j);
          send(Lines.nowChattingIn(place.roomName()));
          send(Lines.usersOnline(j.members()));
          place.openDirectLine();
          ackTo.tell(Ack.INSTANCE);
          return chatting();
        })
        .onMessage(JoinRejected.class, r -> r.room().equals(target), r -> {
          send(Lines.nameTakenInRoom(place.name(), target));
          return moveFailed(ackTo);
        })
        .onMessage(RequestTimedOut.class, t -> {
          send(Lines.TRY_AGAIN);
          return moveFailed(ackTo);
        })
        .onMessage(RoomStopped.class, s -> s.room().equals(place.room()), s -> {
          place.roomStopped();
          return Behaviors.same();
        }))
        .build();
  }

  private Behavior<Command> moveFailed(ActorRef<Ack> ackTo) {
    timers.cancel(REQUEST_TIMER);
    place.stayed();
    ackTo.tell(Ack.INSTANCE);
    return place.room() != null ? chatting() : rejoin();
  }

  private Behavior<Command> onNickCommand(ClientCommand.Nick nick, ActorRef<Ack> ackTo) {
    if (!Names.isValidUsername(nick.name())) {
      send(Lines.INVALID_USERNAME);
      ackTo.tell(Ack.INSTANCE);
      return Behaviors.same();
    }
    place.rename(nick.name());
    timers.startSingleTimer(REQUEST_TIMER, new RequestTimedOut(), settings.requestTimeout());
    return renaming(ackTo);
  }

  private Behavior<Command> renaming(ActorRef<Ack> ackTo) {
    return inRoom(newReceiveBuilder()
        .onMessage(Renamed.class, r -> r.room().equals(place.roomName()), r -> {
          timers.cancel(REQUEST_TIMER);
          getContext().getLog().info("rename {} to {} in room {}", place.name(), r.name(),
              place.roomName());
          place.renamed(r.name());
          ackTo.tell(Ack.INSTANCE);
          return chatting();
        })
        .onMessage(RenameRejected.class, r -> r.room().equals(place.roomName()), r -> {
          timers.cancel(REQUEST_TIMER);
          send(Lines.nameTaken(r.name()));
          ackTo.tell(Ack.INSTANCE);
          return chatting();
        })
        .onMessage(RequestTimedOut.class, t -> {
          send(Lines.TRY_AGAIN);
          ackTo.tell(Ack.INSTANCE);
          return chatting();
        })
        .onMessage(RoomStopped.class, s -> s.room().equals(place.room()), s -> {
          send(Lines.TRY_AGAIN); // the rename may not have reached the room
          ackTo.tell(Ack.INSTANCE);
          return onRoomStopped(s);
        }))
        .build();
  }

  // ---- phase: the room stopped under us; join its new incarnation silently ----

  private Behavior<Command> onRoomStopped(RoomStopped stopped) {
    getContext().getLog().debug("room {} of {} stopped; joining it again", place.roomName(),
        place.name());
    place.roomStopped();
    return rejoin();
  }

  private Behavior<Command> rejoin() {
    timers.cancel(REQUEST_TIMER);
    place.join(place.roomName(), ChatRoom.JoinMode.REJOIN);
    timers.startSingleTimer(REQUEST_TIMER, new RequestTimedOut(), REJOIN_RETRY);
    return rejoining();
  }

  private Behavior<Command> rejoining() {
    return always(newReceiveBuilder()
        .onMessage(FromClient.class, line -> {
          stash.stash(line);
          return Behaviors.same();
        })
        .onMessage(Joined.class, j -> j.room().equals(place.roomName()), j -> {
          timers.cancel(REQUEST_TIMER);
          enterRoom(j);
          place.openDirectLine();
          place.resendUnechoed();
          return stash.unstashAll(chatting());
        })
        .onMessage(JoinRejected.class, r -> r.room().equals(place.roomName()), r -> close(
            Lines.nameTakenInRoom(place.name(), place.roomName()), "name taken on rejoin"))
        .onMessage(RequestTimedOut.class, t -> {
          place.join(place.roomName(), ChatRoom.JoinMode.REJOIN);
          timers.startSingleTimer(REQUEST_TIMER, new RequestTimedOut(), REJOIN_RETRY);
          return Behaviors.same();
        })
        .onMessage(RoomsListed.class, r -> {
          send(Lines.rooms(r.rooms().counts()));
          return Behaviors.same();
        })
        .onMessage(Deliver.class, this::onDeliver) // a new incarnation may have taken us over
        .onMessage(IdleTimedOut.class, t -> close(Lines.idleTimeout(settings.idleTimeoutText()),
            "idle timeout")))
        .build();
  }

  // ---- shared handlers ----

  /** Handlers of every phase once logged in. */
  private ReceiveBuilder<Command> inRoom(ReceiveBuilder<Command> builder) {
    return always(builder
        .onMessage(Deliver.class, this::onDeliver)
        .onMessage(RoomsListed.class, r -> {
          send(Lines.rooms(r.rooms().counts()));
          return Behaviors.same();
        })
        .onMessage(IdleTimedOut.class, t -> close(Lines.idleTimeout(settings.idleTimeoutText()),
            "idle timeout")));
  }

  /** Handlers of every phase. */
  private ReceiveBuilder<Command> always(ReceiveBuilder<Command> builder) {
    return builder
        .onMessage(StreamStarted.class, s -> {
          s.ackTo().tell(Ack.INSTANCE);
          return Behaviors.same();
        })
        .onMessage(Joined.class, this::onUnexpectedJoin)
        .onMessage(RoomStopped.class, s -> place.isLeft(s.room()), s -> {
          timers.cancel(new ForgetLeft(s.room()));
          place.leftRoomStopped(s.room());
          return Behaviors.same();
        })
        .onMessage(ForgetLeft.class, f -> {
          if (place.forgetLeft(f.room())) {
            getContext().unwatch(f.room());
          }
          return Behaviors.same();
        })
        .onMessage(DirectLineOpened.class, o -> {
          o.line().handled();
          return Behaviors.same();
        })
        .onMessage(Ping.class, this::onPing)
        .onMessage(Overrun.class, o -> place.isIn(o.room()),
            o -> close(null, "too slow: its node fell behind room " + o.room()))
        .onMessage(Shutdown.class, s -> close(Lines.SHUTTING_DOWN, "server shutting down"))
        .onMessage(StreamEnded.class, e -> leaving(null, "end of input"))
        .onMessage(StreamFailed.class, f -> close(null, "connection failed: " + f.cause().getMessage()));
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

  private void enterRoom(Joined joined) {
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
  private Behavior<Command> close(String lastLine, String reason) {
    return Leaving.close(getContext(), link, place.name(), lastLine, reason);
  }
}
