package akkachat;

import akkachat.auth.Tokens;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code java -jar akka-chat.jar token NAME [--ttl 24h]}, called in-process. */
class TokenCommandTest {
  private static final String SECRET = "a-secret-of-forty-bytes-for-the-tests!!!";
  private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

  private record Run(int code, String out, String err) {}

  private static Run run(String hocon, String... args) {
    Config config = ConfigFactory.parseString(hocon).withFallback(ConfigFactory.load()).resolve();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = Main.issueToken(List.of(args), config, CLOCK,
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private static Run withSecret(String... args) {
    return run("akka-chat.auth.secret = \"" + SECRET + "\"", args);
  }

  private static Tokens tokensAt(Instant instant) {
    return new Tokens(SECRET.getBytes(StandardCharsets.UTF_8), Clock.fixed(instant, ZoneOffset.UTC));
  }

  @Test
  void printsOneTokenThatTheServerAcceptsForTheDefaultTtl() {
    Run r = withSecret("Alice");
    assertEquals(0, r.code(), r.err());
    String[] lines = r.out().split("\n");
    assertEquals(1, lines.length, r.out());
    String token = lines[0];
    assertEquals(Tokens.Check.VALID, tokensAt(NOW).check(token, "alice"));
    assertEquals(Tokens.Check.VALID, tokensAt(NOW.plus(Duration.ofHours(23))).check(token, "ALICE"));
    assertEquals(Tokens.Check.EXPIRED, tokensAt(NOW.plus(Duration.ofHours(24))).check(token, "alice"));
    assertTrue(r.err().contains("2026-11-24T12:00:00Z"), r.err());
  }

  @Test
  void ttlSetsTheExpiry() {
    for (String[] args : List.of(new String[] {"bob", "--ttl", "90m"},
        new String[] {"--ttl", "90m", "bob"}, new String[] {"bob", "--ttl=90m"})) {
      Run r = withSecret(args);
      assertEquals(0, r.code(), r.err());
      String token = r.out().trim();
      assertEquals(Tokens.Check.VALID, tokensAt(NOW.plus(Duration.ofMinutes(89))).check(token, "bob"));
      assertEquals(Tokens.Check.EXPIRED, tokensAt(NOW.plus(Duration.ofMinutes(90))).check(token, "bob"));
    }
  }

  @Test
  void theSecretIsNeededEvenWhenLoginsDoNotUseTokens() {
    Run r = run("akka-chat.auth { mode = none, secret = \"\" }", "alice");
    assertEquals(2, r.code());
    assertEquals("", r.out());
    assertOneLine(r.err(), "akka-chat.auth.secret");
  }

  @Test
  void aShortSecretIsRefusedWithoutShowingIt() {
    Run r = run("akka-chat.auth.secret = \"too-short-a-secret\"", "alice");
    assertEquals(2, r.code());
    assertOneLine(r.err(), "akka-chat.auth.secret");
    assertFalse(r.err().contains("too-short-a-secret"), r.err());
  }

  @Test
  void badArgumentsGetOneLineAndExitCode2() {
    assertOneLine(expectRefused(withSecret()), "usage");
    assertOneLine(expectRefused(withSecret("al ice")), "invalid username");
    assertOneLine(expectRefused(withSecret("alice", "bob")), "usage");
    assertOneLine(expectRefused(withSecret("alice", "--ttl")), "usage");
    assertOneLine(expectRefused(withSecret("alice", "--ttl", "soon")), "--ttl");
    assertOneLine(expectRefused(withSecret("alice", "--ttl", "-5m")), "--ttl");
    assertOneLine(expectRefused(withSecret("alice", "--ttl", "0s")), "--ttl");
    assertOneLine(expectRefused(withSecret("alice", "--verbose")), "usage");
  }

  private static String expectRefused(Run r) {
    assertEquals(2, r.code(), r.out() + r.err());
    assertEquals("", r.out());
    return r.err();
  }

  private static void assertOneLine(String err, String mentions) {
    assertEquals(1, err.lines().count(), err);
    assertTrue(err.contains(mentions), err);
    assertFalse(err.contains(SECRET), err);
  }
}
