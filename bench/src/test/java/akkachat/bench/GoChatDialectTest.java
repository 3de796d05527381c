package akkachat.bench;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GoChatDialectTest {

  @Test
  void learnsItsAddressFromTheGreetingAndIsInAtTheEchoOfItsProbe() {
    Dialogue d = new Dialogue(3, "--protocol", "gochat", "--clients", "9");
    d.connect();
    assertEquals(Client.State.WELCOME, d.client.state);
    assertTrue(d.sent.isEmpty());
    d.hear("You are 127.0.0.1:50004");
    assertEquals(List.of(GoChatDialect.PROBE), d.sent);
    d.hear("127.0.0.1:50005 has arrived");
    d.hear("127.0.0.1:50005: " + GoChatDialect.PROBE);
    assertFalse(d.ready);
    d.hear("127.0.0.1:50004: " + GoChatDialect.PROBE);
    assertTrue(d.ready);
  }

  @Test
  void aChatLineIsTheTextAfterTheSendersAddress() {
    Dialogue d = new Dialogue(0, "--protocol", "gochat");
    long[] fields = new long[3];
    assertEquals(Dialect.Kind.BENCH, d.kind("127.0.0.1:50004: B 3 4 5", fields));
    assertArrayEquals(new long[] {3, 4, 5}, fields);
    assertEquals(Dialect.Kind.BENCH, d.kind("[::1]:50004: B 6 7 8", fields));
    assertArrayEquals(new long[] {6, 7, 8}, fields);
    assertEquals(Dialect.Kind.OTHER, d.kind("127.0.0.1:50004: hello there", fields));
    assertEquals(Dialect.Kind.DAMAGED, d.kind("127.0.0.1:50004: B 3 x", fields));
    assertTrue(d.dialect.echoes());
    assertEquals(0, d.dialect.linePrefix(d.client).length);
  }

  @Test
  void arrivalsDeparturesGreetingsAndProbesAreNotices() {
    Dialogue d = new Dialogue(0, "--protocol", "gochat");
    long[] fields = new long[3];
    assertEquals(Dialect.Kind.NOTICE, d.kind("127.0.0.1:50004 has arrived", fields));
    assertEquals(Dialect.Kind.NOTICE, d.kind("127.0.0.1:50004 has left", fields));
    assertEquals(Dialect.Kind.NOTICE, d.kind("You are 127.0.0.1:50004", fields));
    assertEquals(Dialect.Kind.NOTICE, d.kind("127.0.0.1:50004: " + GoChatDialect.PROBE, fields));
    assertEquals(Dialect.Kind.NOTICE, d.kind("nospace", fields));
  }

  @Test
  void hasOneRoomOnPort8000() {
    assertEquals(List.of(8000), Options.parse("--protocol", "gochat").ports());
    assertThrows(IllegalArgumentException.class,
        () -> Options.parse("--protocol", "gochat", "--rooms", "2"));
  }
}
