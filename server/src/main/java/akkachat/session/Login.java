package akkachat.session;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.PostStop;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.actor.typed.javadsl.ReceiveBuilder;
import akkachat.auth.Tokens;
import akkachat.config.AuthSettings;
import akkachat.config.ChatSettings;
import akkachat.ops.NodeMetrics;
import akkachat.protocol.Input;
import akkachat.protocol.Lines;
import akkachat.protocol.Names;
import akkachat.room.ChatRoom;
import akkachat.session.Session.Ack;
import akkachat.session.Session.Command;
import akkachat.session.Session.FromClient;

import java.time.Clock;
import java.time.Duration;

/**
 * The first phases of a session actor: the banner, a valid name, with {@code auth.mode = token}
 * a token signed for that name, then the join of the default room; after that the actor goes on
 * as a chatting {@link Session}. The login timeout covers all of it; the third refused token
 * closes the connection.
 */
final class Login extends AbstractBehavior<Command> {

  /** Refused tokens on one connection before it is closed. */
  static final int MAX_TOKEN_FAILURES = 3;

  private final Link link;
  private final ChatSettings settings;
  /** Null unless logins need a token. */
  private final Tokens tokens;
  private int tokenFailures;
  /** End of input came while the default room's answer was awaited. */
  private boolean inputEnded;
  /** When the default room was asked to let the user in, for the login time metric. */
  private long joinAsked;

  Login(ActorContext<Command> context, Link link) {
    super(context);
    this.link = link;
    this.settings = link.settings();
    AuthSettings auth = settings.auth();
    this.tokens = auth.tokens() ? new Tokens(auth.secret().bytes(), Clock.systemUTC()) : null;
    settings.banner().forEach(link::send);
    link.prompt(Lines.PROMPT);
    link.timers().startSingleTimer(Session.LOGIN_TIMER, new Session.LoginTimedOut(),
        settings.loginTimeout());
    link.metrics().loginStarted();
  }

  // ---- phase: waiting for a valid name ----

  @Override
  public Receive<Command> createReceive() {
    return always(newReceiveBuilder()
        .onMessage(FromClient.class, this::onName))
        .build();
  }

  private Behavior<Command> onName(FromClient line) {
    if (line.input() instanceof Input.TooLong) {
      link.send(Lines.lineTooLong(settings.maxLineBytes()));
      return again(line);
    }
    String typed = ((Input.Line) line.input()).text();
    if (!Names.isValidUsername(typed)) {
      link.metrics().loginFailed(NodeMetrics.LoginFailure.INVALID_NAME);
      link.send(Lines.INVALID_USERNAME);
      return again(line);
    }
    if (tokens == null) {
      return join(typed, line.ackTo());
    }
    link.prompt(Lines.TOKEN_PROMPT);
    line.ackTo().tell(Ack.INSTANCE);
    return awaitingToken(typed);
  }

  // ---- phase: waiting for the token of that name ----

  private Behavior<Command> awaitingToken(String typed) {
    return always(newReceiveBuilder()
        .onMessage(FromClient.class, line -> onToken(typed, line)))
        .build();
  }

  private Behavior<Command> onToken(String typed, FromClient line) {
    if (line.input() instanceof Input.TooLong) {
      link.send(Lines.lineTooLong(settings.maxLineBytes()));
      link.prompt(Lines.TOKEN_PROMPT);
      line.ackTo().tell(Ack.INSTANCE);
      return Behaviors.same();
    }
    return switch (tokens.check(((Input.Line) line.input()).text(), typed)) {
      case VALID -> join(typed, line.ackTo());
      case EXPIRED -> refused(typed, Lines.TOKEN_EXPIRED, "token expired",
          NodeMetrics.LoginFailure.EXPIRED_TOKEN, line);
      case INVALID -> refused(typed, Lines.INVALID_TOKEN, "invalid token",
          NodeMetrics.LoginFailure.INVALID_TOKEN, line);
    };
  }

  private Behavior<Command> refused(String typed, String error, String why,
      NodeMetrics.LoginFailure failure, FromClient line) {
    link.metrics().loginFailed(failure);
    tokenFailures++;
    getContext().getLog().info("login refused for {} from {}: {} ({} of {})", typed,
        link.remote(), why, tokenFailures, MAX_TOKEN_FAILURES);
    if (tokenFailures >= MAX_TOKEN_FAILURES) {
      return close(error, MAX_TOKEN_FAILURES + " tokens refused");
    }
    link.send(error);
    return again(line);
  }

  // ---- phase: joining the default room under that name ----

  private Behavior<Command> join(String typed, ActorRef<Ack> ackTo) {
    link.directory().tell(settings.defaultRoom(), new ChatRoom.Join(typed,
        getContext().getSelf(), link.fanout(), ChatRoom.JoinMode.LOGIN));
    link.timers().startSingleTimer(Session.REQUEST_TIMER, new Session.RequestTimedOut(),
        settings.requestTimeout());
    joinAsked = System.nanoTime();
    return loggingIn(typed, ackTo);
  }

  /**
   * Waits for the default room's answer; end of input waits for it too, so that
   * {@code printf 'alice\n' | nc -N} still shows the welcome.
   */
  private Behavior<Command> loggingIn(String typed, ActorRef<Ack> ackTo) {
    return always(newReceiveBuilder()
        .onMessage(Session.Joined.class, j -> j.room().equals(settings.defaultRoom()),
            j -> loggedIn(j, typed, ackTo))
        .onMessage(Session.StreamEnded.class, e -> {
          inputEnded = true;
          return Behaviors.same();
        })
        .onMessage(Session.JoinRejected.class, r -> nameTaken(typed, ackTo))
        .onMessage(Session.RequestTimedOut.class, t -> tryAgain(ackTo))
        .onMessage(Session.Overrun.class, o -> o.room().equals(settings.defaultRoom()),
            o -> closed(NodeMetrics.Closed.NODE_LAG, null,
                "too slow: its node fell behind room " + o.room())))
        .build();
  }

  private Behavior<Command> loggedIn(Session.Joined joined, String typed, ActorRef<Ack> ackTo) {
    link.metrics().loginEnded();
    link.metrics().loggedIn(Duration.ofNanos(System.nanoTime() - joinAsked));
    return Session.loggedIn(getContext(), link, joined, typed, ackTo, inputEnded);
  }

  private Behavior<Command> nameTaken(String typed, ActorRef<Ack> ackTo) {
    link.metrics().loginFailed(NodeMetrics.LoginFailure.NAME_TAKEN);
    link.timers().cancel(Session.REQUEST_TIMER);
    link.send(Lines.nameTaken(typed));
    return again(ackTo);
  }

  private Behavior<Command> tryAgain(ActorRef<Ack> ackTo) {
    link.metrics().loginFailed(NodeMetrics.LoginFailure.NO_ANSWER);
    link.send(Lines.TRY_AGAIN);
    return again(ackTo);
  }

  // ---- shared handlers ----

  /** Handlers of every login phase. */
  private ReceiveBuilder<Command> always(ReceiveBuilder<Command> builder) {
    return builder
        .onMessage(Session.StreamStarted.class, this::onStreamStarted)
        .onMessage(Session.Joined.class, this::onLateJoin)
        .onMessage(Session.Ping.class, this::onPing)
        .onMessage(Session.LoginTimedOut.class, t -> closed(NodeMetrics.Closed.LOGIN_TIMEOUT,
            Lines.loginTimeout(settings.loginTimeoutText()), "login timeout"))
        .onMessage(Session.Shutdown.class, s -> close(Lines.SHUTTING_DOWN, "server shutting down"))
        .onMessage(Session.StreamEnded.class, e -> close(null, "end of input"))
        .onMessage(Session.StreamFailed.class, f ->
            close(null, "connection failed: " + f.cause().getMessage()))
        .onSignal(PostStop.class, stopped -> {
          link.metrics().loginEnded(); // not logged in: that leaves these phases by loggedIn
          return Behaviors.same();
        });
  }

  private Behavior<Command> onStreamStarted(Session.StreamStarted started) {
    started.ackTo().tell(Ack.INSTANCE);
    return Behaviors.same();
  }

  /** Not a member anywhere yet: a room asking is told so. */
  private Behavior<Command> onPing(Session.Ping ping) {
    ping.replyTo().tell(new ChatRoom.Pong(null, getContext().getSelf(), false));
    return Behaviors.same();
  }

  /** A join answered after we gave up on it: leave that room again so no ghost stays there. */
  private Behavior<Command> onLateJoin(Session.Joined j) {
    j.roomRef().tell(new ChatRoom.Leave(j.name(), getContext().getSelf(), null));
    return Behaviors.same();
  }

  /** Back to the name prompt, and the next line. */
  private Behavior<Command> again(FromClient line) {
    return again(line.ackTo());
  }

  private Behavior<Command> again(ActorRef<Ack> ackTo) {
    link.prompt(Lines.PROMPT);
    if (inputEnded) {
      return close(null, "end of input"); // after the prompt, as PROTOCOL.md has it
    }
    ackTo.tell(Ack.INSTANCE);
    return createReceive();
  }

  /** Closes the connection for {@code why}, counted among the server's closes. */
  private Behavior<Command> closed(NodeMetrics.Closed why, String lastLine, String reason) {
    link.metrics().closed(why);
    return close(lastLine, reason);
  }

  private Behavior<Command> close(String lastLine, String reason) {
    link.finish(lastLine);
    getContext().getLog().info("disconnect {} before login: {}", link.remote(), reason);
    return Behaviors.stopped();
  }
}
