package akkachat.bench;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IrcDialectTest {

  @Test
  void registersAtOnceAndJoinsItsChannelAtTheWelcomeNumeric() {
    Dialogue d = new Dialogue(4, "--protocol", "irc", "--rooms", "3", "--clients", "9");
    d.connect();
    assertEquals(Client.State.WELCOME, d.client.state);
    assertEquals(List.of("NICK b4", "USER b4 0 * :b4"), d.sent);
    d.hear(":bench.irc NOTICE * :*** Looking up your hostname");
    assertEquals(2, d.sent.size());
    d.hear(":bench.irc 001 b4 :Welcome to the Internet Relay Network b4!~b4@127.0.0.1");
    assertEquals("JOIN #r2", d.lastSent());
    d.hear(":bench.irc 422 b4 :MOTD file is missing");
    d.hear(":b1!~b1@127.0.0.1 JOIN :#r2");
    d.hear(":b4!~b4@127.0.0.1 JOIN :#r3");
    assertFalse(d.ready);
    assertNull(d.failure);
    d.hear(":b4!~b4@127.0.0.1 JOIN :#r2");
    assertTrue(d.ready);
  }

  @Test
  void oneRoomIsTheLobby() {
    Dialogue d = new Dialogue(4, "--protocol", "irc", "--clients", "9");
    d.connect();
    d.hear(":bench.irc 001 b4 :Welcome");
    assertEquals("JOIN #lobby", d.lastSent());
    d.hear(":b4!~b4@127.0.0.1 JOIN #lobby");
    assertTrue(d.ready);
  }

  @Test
  void anErrorNumericOrErrorFailsTheLogin() {
    Dialogue taken = new Dialogue(4, "--protocol", "irc", "--clients", "9");
    taken.connect();
    taken.hear(":bench.irc 433 * b4 :Nickname already in use");
    assertEquals(":bench.irc 433 * b4 :Nickname already in use", taken.failure);
    Dialogue refused = new Dialogue(4, "--protocol", "irc", "--clients", "9");
    refused.connect();
    refused.hear("ERROR :Connection refused, too many connections from your IP address");
    assertTrue(refused.failure.startsWith("ERROR"));
  }

  @Test
  void aChatLineIsThePrivmsgTextAndNotSentBackToItsSender() {
    Dialogue d = new Dialogue(4, "--protocol", "irc", "--rooms", "3", "--clients", "9");
    long[] fields = new long[3];
    assertEquals(Dialect.Kind.BENCH, d.kind(":b1!~b1@127.0.0.1 PRIVMSG #r2 :B 1 7 123", fields));
    assertArrayEquals(new long[] {1, 7, 123}, fields);
    assertEquals(Dialect.Kind.OTHER, d.kind(":al!~al@host PRIVMSG #r2 :hello", fields));
    assertEquals(Dialect.Kind.OTHER, d.kind(":al!~al@host PRIVMSG b4 :B", fields));
    assertEquals(Dialect.Kind.DAMAGED, d.kind(":b1!~b1@host PRIVMSG #r2 :B 1 7", fields));
    assertEquals("PRIVMSG #r2 :",
        new String(d.dialect.linePrefix(d.client), StandardCharsets.US_ASCII));
    assertFalse(d.dialect.echoes());
  }

  @Test
  void joinsRepliesAndPingsAreNoticesErrorsAreErrors() {
    Dialogue d = new Dialogue(0, "--protocol", "irc");
    long[] fields = new long[3];
    assertEquals(Dialect.Kind.NOTICE, d.kind(":b1!~b1@127.0.0.1 JOIN :#lobby", fields));
    assertEquals(Dialect.Kind.NOTICE, d.kind(":bench.irc 353 b0 = #lobby :b1 @b0", fields));
    assertEquals(Dialect.Kind.NOTICE, d.kind(":b1!~b1@127.0.0.1 QUIT :bye", fields));
    assertEquals(Dialect.Kind.NOTICE, d.kind("PING :bench.irc", fields));
    assertEquals(Dialect.Kind.ERROR, d.kind(":bench.irc 404 b0 #lobby :Cannot send", fields));
    assertEquals(Dialect.Kind.ERROR, d.kind("ERROR :Closing connection", fields));
  }

  @Test
  void aPingIsAnsweredWithItsPong() {
    Dialogue d = new Dialogue(0, "--protocol", "irc");
    assertEquals("PONG :bench.irc", d.answer("PING :bench.irc"));
    assertNull(d.answer(":bench.irc NOTICE b0 :PING"));
  }

  @Test
  void nicksMustStartWithALetterAndTheDefaultPortIsIrcs() {
    assertEquals(List.of(6667), Options.parse("--protocol", "irc").ports());
    assertThrows(IllegalArgumentException.class,
        () -> Options.parse("--protocol", "irc", "--name-prefix", "9"));
    assertThrows(IllegalArgumentException.class, () -> Options.parse("--protocol", "xmpp"));
  }
}
