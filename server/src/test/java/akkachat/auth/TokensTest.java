package akkachat.auth;

import akkachat.auth.Tokens.Check;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

class TokensTest {
  private static final byte[] SECRET =
      "0123456789abcdef0123456789abcdef-test".getBytes(StandardCharsets.UTF_8);
  private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");

  private static Tokens at(Instant instant) {
    return new Tokens(SECRET, Clock.fixed(instant, ZoneOffset.UTC));
  }

  private static final Tokens TOKENS = at(NOW);

  @Test
  void aTokenIsValidForItsNameUntilItExpires() {
    String token = TOKENS.issue("alice", Duration.ofHours(1));
    assertEquals(Check.VALID, TOKENS.check(token, "alice"));
    assertEquals(Check.VALID, at(NOW.plusSeconds(3599)).check(token, "alice"));
    assertEquals(Check.EXPIRED, at(NOW.plusSeconds(3600)).check(token, "alice"));
    assertEquals(Check.EXPIRED, at(NOW.plus(Duration.ofDays(30))).check(token, "alice"));
  }

  @Test
  void aTokenBindsTheNameInAnyLetterCase() {
    String token = TOKENS.issue("Alice", Duration.ofHours(1));
    assertEquals(Check.VALID, TOKENS.check(token, "alice"));
    assertEquals(Check.VALID, TOKENS.check(token, "ALICE"));
    assertEquals(token, TOKENS.issue("aLiCe", Duration.ofHours(1)));
  }

  @Test
  void aTokenForAnotherNameIsInvalid() {
    String token = TOKENS.issue("bob", Duration.ofHours(1));
    assertEquals(Check.INVALID, TOKENS.check(token, "alice"));
    assertEquals(Check.INVALID, TOKENS.check(token, "bobby"));
    assertEquals(Check.INVALID, TOKENS.check(token, "bo"));
  }

  @Test
  void aTokenSignedWithAnotherSecretIsInvalidEvenWhenExpired() {
    Tokens other = new Tokens("another secret, also 32 bytes long!!".getBytes(StandardCharsets.UTF_8),
        Clock.fixed(NOW, ZoneOffset.UTC));
    String foreign = other.issue("alice", Duration.ofHours(1));
    assertEquals(Check.INVALID, TOKENS.check(foreign, "alice"));
    // Expiry is only believed once the signature is: a forged old token is "invalid".
    assertEquals(Check.INVALID, at(NOW.plus(Duration.ofDays(1))).check(foreign, "alice"));
  }

  @Test
  void aTamperedPayloadOrSignatureIsInvalid() {
    String token = TOKENS.issue("alice", Duration.ofHours(1));
    int dot = token.indexOf('.');
    // A later expiry for the same name, with the old signature.
    String longer = Base64.getUrlEncoder().withoutPadding().encodeToString(
        ("v1:alice:" + NOW.plus(Duration.ofDays(365)).getEpochSecond())
            .getBytes(StandardCharsets.US_ASCII));
    assertEquals(Check.INVALID, TOKENS.check(longer + token.substring(dot), "alice"));
    // Another name with the old signature.
    String bob = Base64.getUrlEncoder().withoutPadding().encodeToString(
        ("v1:bob:" + NOW.plusSeconds(3600).getEpochSecond()).getBytes(StandardCharsets.US_ASCII));
    assertEquals(Check.INVALID, TOKENS.check(bob + token.substring(dot), "bob"));
    // One character of the signature changed.
    char last = token.charAt(token.length() - 1);
    String flipped = token.substring(0, token.length() - 1) + (last == 'A' ? 'B' : 'A');
    assertEquals(Check.INVALID, TOKENS.check(flipped, "alice"));
    // Signature cut short.
    assertEquals(Check.INVALID, TOKENS.check(token.substring(0, token.length() - 4), "alice"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " ", "garbage", ".", "..", "a.b", "a.b.c", ".abc", "abc.",
      "!!!.???", "djE6YWxpY2U6MQ", "%%%%%%%%.%%%%%%%%"})
  void malformedTokensAreInvalid(String token) {
    assertEquals(Check.INVALID, TOKENS.check(token, "alice"));
  }

  @Test
  void aHugeInputIsInvalidWithoutBeingDecoded() {
    String token = TOKENS.issue("alice", Duration.ofHours(1));
    assertEquals(Check.INVALID, TOKENS.check(token + "A".repeat(10_000), "alice"));
  }

  @Test
  void surroundingWhiteSpaceIsIgnored() {
    String token = TOKENS.issue("alice", Duration.ofHours(1));
    assertEquals(Check.VALID, TOKENS.check("  " + token + " ", "alice"));
  }

  @Test
  void theTokenDoesNotContainTheSecret() {
    String token = TOKENS.issue("alice", Duration.ofHours(1));
    assertFalse(token.contains(new String(SECRET, StandardCharsets.UTF_8)));
    String payload = new String(Base64.getUrlDecoder().decode(token.substring(0, token.indexOf('.'))),
        StandardCharsets.US_ASCII);
    assertEquals("v1:alice:" + NOW.plusSeconds(3600).getEpochSecond(), payload);
  }

  @Test
  void onlyValidNamesGetTokens() {
    assertThrows(IllegalArgumentException.class, () -> TOKENS.issue("al ice", Duration.ofHours(1)));
    assertThrows(IllegalArgumentException.class, () -> TOKENS.issue("a:b", Duration.ofHours(1)));
  }
}
