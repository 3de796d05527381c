package akkachat.bench;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AkkaDialectTest {

  @Test
  void answersThePromptThenJoinsItsRoomAfterTheWelcome() {
    Dialogue d = new Dialogue(4, "--rooms", "3", "--clients", "9");
    d.connect();
    assertEquals(Client.State.PROMPT, d.client.state);
    assertTrue(d.sent.isEmpty());
    d.dialect.prompted(d.client, d);
    assertEquals(List.of("b4"), d.sent);
    d.hear("Welcome, b4");
    assertEquals("/join r2", d.lastSent());
    d.hear("*** Users online: b1, b4");
    d.hear("*** Now chatting in room r3");
    assertFalse(d.ready);
    d.hear("*** Now chatting in room r2");
    assertTrue(d.ready);
  }

  @Test
  void withOneRoomItIsInAtItsOwnJoinNotice() {
    Dialogue d = new Dialogue(4, "--clients", "9");
    d.connect();
    d.dialect.prompted(d.client, d);
    d.hear("Welcome, b4");
    assertEquals(List.of("b4"), d.sent);
    d.hear("*** b3 just joined the chatroom");
    assertFalse(d.ready);
    d.hear("*** b4 just joined the chatroom");
    assertTrue(d.ready);
  }

  @Test
  void anErrorLineFailsTheLogin() {
    Dialogue d = new Dialogue(1, "--clients", "9");
    d.connect();
    d.dialect.prompted(d.client, d);
    d.hear("*** error: name b1 is already taken");
    assertEquals("*** error: name b1 is already taken", d.failure);
  }

  @Test
  void aChatLineIsTheTextAfterTheSendersNameInBrackets() {
    Dialogue d = new Dialogue(0);
    long[] fields = new long[3];
    assertEquals(Dialect.Kind.BENCH, d.kind("[b12] B 12 3 " + Long.MAX_VALUE, fields));
    assertArrayEquals(new long[] {12, 3, Long.MAX_VALUE}, fields);
    assertEquals(Dialect.Kind.OTHER, d.kind("[alice] hello", fields));
    assertEquals(Dialect.Kind.OTHER, d.kind("[alice] Bob", fields));
    assertEquals(Dialect.Kind.OTHER, d.kind("[x]", fields));
    assertEquals(Dialect.Kind.DAMAGED, d.kind("[b1] B 1 2", fields));
    assertEquals(Dialect.Kind.DAMAGED, d.kind("[b1] B 1 2 3x", fields));
  }

  @Test
  void noticesAndErrorsAreNotChatLines() {
    Dialogue d = new Dialogue(0);
    long[] fields = new long[3];
    assertEquals(Dialect.Kind.NOTICE, d.kind("*** b3 just joined the chatroom", fields));
    assertEquals(Dialect.Kind.ERROR, d.kind("*** error: slow down", fields));
    assertNull(d.answer("PING :x"));
    assertTrue(d.dialect.echoes());
    assertEquals(0, d.dialect.linePrefix(d.client).length);
  }
}
