package akkachat.session;

import akka.actor.testkit.typed.javadsl.TestInbox;
import akkachat.room.ChatRoom;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The lines a session keeps until their echo: given up in order, resent in order, capped. */
class UnechoedTest {

  private static ChatRoom.Say say(long seq) {
    return new ChatRoom.Say("alice", null, seq, "line " + seq);
  }

  @Test
  void anEchoReleasesItsLineAndEveryEarlierOne() {
    Unechoed unechoed = new Unechoed();
    for (long seq = 1; seq <= 4; seq++) {
      unechoed.add(seq, say(seq));
    }
    unechoed.echoed(2);
    TestInbox<ChatRoom.Command> room = TestInbox.create();
    unechoed.resendTo(room.getRef());
    assertEquals(List.of(say(3), say(4)), room.getAllReceived());
    unechoed.echoed(4);
    assertTrue(unechoed.isEmpty());
  }

  @Test
  void keepsAtMostMaxGivingUpTheOldest() {
    Unechoed unechoed = new Unechoed();
    for (long seq = 1; seq <= Unechoed.MAX + 2; seq++) {
      unechoed.add(seq, say(seq));
    }
    TestInbox<ChatRoom.Command> room = TestInbox.create();
    unechoed.resendTo(room.getRef());
    List<ChatRoom.Command> resent = room.getAllReceived();
    assertEquals(Unechoed.MAX, resent.size());
    assertEquals(say(3), resent.get(0));
    assertEquals(say(Unechoed.MAX + 2), resent.get(resent.size() - 1));
  }

  @Test
  void clearForgetsEverything() {
    Unechoed unechoed = new Unechoed();
    unechoed.add(1, say(1));
    assertFalse(unechoed.isEmpty());
    unechoed.clear();
    assertTrue(unechoed.isEmpty());
  }
}
