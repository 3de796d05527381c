package akkachat.auth;

import akkachat.protocol.Names;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signed login tokens, as pure functions of a secret and a clock. A token is
 * {@code base64url(payload) "." base64url(HMAC-SHA256(secret, payload))} where the payload is
 * {@code v1:NAME:EXPIRY}: the name in lower case (so it binds the name in any letter case) and
 * the expiry in epoch seconds. Both are covered by the signature, which is checked in constant
 * time before anything else in the token is believed.
 */
public final class Tokens {

  /** What a token is worth for a name. */
  public enum Check { VALID, INVALID, EXPIRED }

  private static final String VERSION = "v1";
  private static final String ALGORITHM = "HmacSHA256";
  /** Far longer than any token this class makes; longer input is not even decoded. */
  private static final int MAX_TOKEN_CHARS = 512;
  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

  private final SecretKeySpec key;
  private final Clock clock;

  public Tokens(byte[] secret, Clock clock) {
    this.key = new SecretKeySpec(secret, ALGORITHM);
    this.clock = clock;
  }

  /** A token for {@code name} (a valid username) that expires {@code ttl} from now. */
  public String issue(String name, Duration ttl) {
    if (!Names.isValidUsername(name)) {
      throw new IllegalArgumentException("invalid username: " + name);
    }
    long expiry = clock.instant().plus(ttl).getEpochSecond();
    byte[] payload = (VERSION + ":" + Names.key(name) + ":" + expiry)
        .getBytes(StandardCharsets.US_ASCII);
    return ENCODER.encodeToString(payload) + "." + ENCODER.encodeToString(sign(payload));
  }

  /**
   * Whether {@code token} is a good token for {@code name}: {@code INVALID} if it is malformed,
   * not signed with this secret, or for another name; {@code EXPIRED} if it is genuine but its
   * time is up.
   */
  public Check check(String token, String name) {
    String t = token.trim();
    int dot = t.indexOf('.');
    if (t.length() > MAX_TOKEN_CHARS || dot <= 0 || dot != t.lastIndexOf('.')) {
      return Check.INVALID;
    }
    byte[] payload;
    byte[] signature;
    try {
      payload = DECODER.decode(t.substring(0, dot));
      signature = DECODER.decode(t.substring(dot + 1));
    } catch (IllegalArgumentException e) {
      return Check.INVALID;
    }
    if (!MessageDigest.isEqual(sign(payload), signature)) {
      return Check.INVALID;
    }
    String[] fields = new String(payload, StandardCharsets.US_ASCII).split(":", -1);
    if (fields.length != 3 || !fields[0].equals(VERSION) || !fields[1].equals(Names.key(name))) {
      return Check.INVALID;
    }
    long expiry;
    try {
      expiry = Long.parseLong(fields[2]);
    } catch (NumberFormatException e) {
      return Check.INVALID;
    }
    return clock.instant().getEpochSecond() < expiry ? Check.VALID : Check.EXPIRED;
  }

  private byte[] sign(byte[] payload) {
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(key);
      return mac.doFinal(payload);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA256 is part of every JDK", e);
    }
  }
}
