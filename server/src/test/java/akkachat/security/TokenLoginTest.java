package akkachat.security;

import akkachat.auth.Tokens;
import akkachat.support.ChatClient;
import akkachat.support.LogCapture;
import akkachat.support.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** PROTOCOL.md section 7: with {@code auth.mode = token} a login needs a token for the name. */
class TokenLoginTest {
  private static final String SECRET = "the-chat-secret-for-token-login-tests-0123456789";
  private static final String TOKEN_PROMPT = "Please enter your token: ";
  private static final String INVALID = "*** error: invalid token";
  private static final String EXPIRED = "*** error: token expired";

  private static final Tokens TOKENS =
      new Tokens(SECRET.getBytes(StandardCharsets.UTF_8), Clock.systemUTC());
  private TestServer server;

  @BeforeEach
  void startServer() {
    server = TestServer.start("akka-chat.auth { mode = token, secret = \"" + SECRET + "\" }");
  }

  @AfterEach
  void stopServer() {
    server.close();
  }

  private static String token(String name) {
    return TOKENS.issue(name, Duration.ofHours(1));
  }

  /** Connects and answers the username prompt with {@code name}; the token prompt follows. */
  private ChatClient atTokenPrompt(String name) {
    ChatClient c = server.connect();
    c.expectLine("Welcome to akka-chat!");
    c.expectPrompt();
    c.send(name);
    c.expectExact(TOKEN_PROMPT);
    return c;
  }

  private static void expectWelcome(ChatClient c, String name) {
    c.expectLine("Welcome, " + name);
    c.expectLine("*** Users online: " + name);
    c.expectLine("*** " + name + " just joined the chatroom");
  }

  @Test
  void aValidTokenLogsIn() {
    try (ChatClient c = atTokenPrompt("alice")) {
      c.send(token("alice"));
      expectWelcome(c, "alice");
      c.send("hello");
      c.expectLine("[alice] hello");
      c.send("/quit");
      c.expectLine("*** Bye!");
      c.expectClosed();
    }
  }

  @Test
  void aTokenForAliceWorksForAliceInAnyLetterCase() {
    try (ChatClient c = atTokenPrompt("alice")) {
      c.send(token("Alice"));
      expectWelcome(c, "alice");
    }
    try (ChatClient c = atTokenPrompt("ALICE2")) {
      c.send(token("alice2"));
      c.expectLine("Welcome, ALICE2");
    }
  }

  @Test
  void aTokenSignedWithAnotherSecretIsInvalidAndTheUsernamePromptComesAgain() {
    Tokens foreign = new Tokens("another-secret-that-is-also-long-enough-000000"
        .getBytes(StandardCharsets.UTF_8), Clock.systemUTC());
    try (ChatClient c = atTokenPrompt("carol")) {
      c.send(foreign.issue("carol", Duration.ofHours(1)));
      c.expectLine(INVALID);
      c.expectPrompt();
      c.send("carol");
      c.expectExact(TOKEN_PROMPT);
      c.send(token("carol"));
      expectWelcome(c, "carol");
    }
  }

  @Test
  void aTamperedTokenIsInvalid() {
    String good = token("dave");
    String tampered = good.substring(0, 2) + (good.charAt(2) == 'x' ? 'y' : 'x') + good.substring(3);
    try (ChatClient c = atTokenPrompt("dave")) {
      c.send(tampered);
      c.expectLine(INVALID);
      c.expectPrompt();
    }
  }

  @Test
  void aTokenForAnotherNameIsInvalid() {
    try (ChatClient c = atTokenPrompt("erin")) {
      c.send(token("frank"));
      c.expectLine(INVALID);
      c.expectPrompt();
      // ... and the other name's token works for that name on the same connection.
      c.send("frank");
      c.expectExact(TOKEN_PROMPT);
      c.send(token("frank"));
      expectWelcome(c, "frank");
    }
  }

  @Test
  void anExpiredTokenIsRefusedAsExpired() {
    Tokens lastWeek = new Tokens(SECRET.getBytes(StandardCharsets.UTF_8),
        Clock.fixed(Instant.now().minus(Duration.ofDays(7)), ZoneOffset.UTC));
    try (ChatClient c = atTokenPrompt("gina")) {
      c.send(lastWeek.issue("gina", Duration.ofDays(1)));
      c.expectLine(EXPIRED);
      c.expectPrompt();
    }
  }

  @Test
  void malformedTokensAreInvalid() {
    List<String> malformed = List.of("", "not-a-token", "a.b.c", "....", "%%%.%%%",
        "x".repeat(1000));
    for (int i = 0; i < malformed.size(); i += 2) {
      try (ChatClient c = atTokenPrompt("hank")) {
        c.send(malformed.get(i));
        c.expectLine(INVALID);
        c.expectPrompt();
        c.send("hank");
        c.expectExact(TOKEN_PROMPT);
        c.send(malformed.get(i + 1));
        c.expectLine(INVALID);
        c.expectPrompt();
      }
    }
  }

  @Test
  void theThirdFailureClosesTheConnectionButTwoDoNot() {
    try (ChatClient c = atTokenPrompt("ivan")) {
      c.send("wrong-1");
      c.expectLine(INVALID);
      c.expectPrompt();
      c.send("ivan");
      c.expectExact(TOKEN_PROMPT);
      c.send("wrong-2");
      c.expectLine(INVALID);
      c.expectPrompt();
      c.send("ivan");
      c.expectExact(TOKEN_PROMPT);
      c.send(token("ivan"));
      expectWelcome(c, "ivan");
    }
    try (ChatClient c = atTokenPrompt("judy")) {
      c.send("wrong-1");
      c.expectLine(INVALID);
      c.expectPrompt();
      c.send("judy");
      c.expectExact(TOKEN_PROMPT);
      c.send(token("someone-else"));
      c.expectLine(INVALID);
      c.expectPrompt();
      c.send("judy");
      c.expectExact(TOKEN_PROMPT);
      c.send("wrong-3");
      c.expectLine(INVALID);
      c.expectClosed();
    }
  }

  @Test
  void invalidNamesAreRefusedBeforeAnyTokenIsAskedFor() {
    try (ChatClient c = server.connect()) {
      c.expectLine("Welcome to akka-chat!");
      c.expectPrompt();
      c.send("not valid");
      c.expectLine("*** error: invalid username (use 1-24 letters, digits, '_' or '-')");
      c.expectPrompt();
    }
  }

  @Test
  void aTakenNameIsReportedAfterTheTokenAndTheUsernamePromptComesAgain() {
    try (ChatClient kim = atTokenPrompt("kim")) {
      kim.send(token("kim"));
      expectWelcome(kim, "kim");
      try (ChatClient other = atTokenPrompt("KIM")) {
        other.send(token("kim"));
        other.expectLine("*** error: username KIM is already taken");
        other.expectPrompt();
      }
    }
  }

  @Test
  void theSecretAppearsNeitherInHelpNorInTheLog() {
    try (LogCapture log = LogCapture.errors();
         ChatClient c = atTokenPrompt("lena")) {
      c.send("wrong");
      c.expectLine(INVALID);
      c.expectPrompt();
      c.send("lena");
      c.expectExact(TOKEN_PROMPT);
      c.send(token("lena"));
      expectWelcome(c, "lena");
      c.send("/help");
      List<String> help = c.readUntil("***   //text                    send a line that starts with /");
      help.forEach(line -> assertFalse(line.contains(SECRET), line));
      c.send("/quit");
      c.expectLine("*** Bye!");
      c.expectClosed();
      log.flush(server.system);
      List<String> messages = log.messagesSoFar();
      assertFalse(messages.isEmpty());
      messages.forEach(m -> assertFalse(m.contains(SECRET), m));
      assertEquals(List.of(), log.errorsSoFar());
    }
  }

  @Test
  void theLoginTimeoutRunsWhileTheServerWaitsForTheToken() {
    try (TestServer quick = TestServer.start("akka-chat { login-timeout = 1s, "
            + "auth { mode = token, secret = \"" + SECRET + "\" } }");
         ChatClient c = quick.connect()) {
      c.expectLine("Welcome to akka-chat!");
      c.expectPrompt();
      c.send("mona");
      c.expectExact(TOKEN_PROMPT);
      c.expectLine("*** disconnected: no username within 1 second");
      c.expectClosed();
    }
  }
}
