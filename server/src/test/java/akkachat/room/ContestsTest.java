package akkachat.room;

import akka.actor.testkit.typed.javadsl.TestInbox;
import akka.actor.typed.ActorRef;
import akkachat.session.Fanout;
import akkachat.session.Session;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link Contests} as plain bookkeeping: joins wait per name in order, only the first asks the
 * holder, settling ends the wait, and a "no" counts only while its question is still open.
 */
class ContestsTest {

  private final Contests contests = new Contests();
  private final ActorRef<Fanout.Command> fanout = TestInbox.<Fanout.Command>create().getRef();
  private final ActorRef<Session.Command> holder = session();

  @Test
  void onlyTheFirstJoinForANameAsksTheHolder() {
    assertTrue(contests.await("alice", join("alice")));
    assertFalse(contests.await("alice", join("Alice")));
    assertTrue(contests.await("bob", join("bob")), "another name waits on its own");
  }

  @Test
  void settleGivesTheWaitingJoinsInOrderOnce() {
    ChatRoom.Join first = join("alice");
    ChatRoom.Join second = join("ALICE");
    contests.await("alice", first);
    contests.await("alice", second);
    assertEquals(List.of(first, second), contests.settle("alice"));
    assertEquals(List.of(), contests.settle("alice"));
    assertTrue(contests.await("alice", join("alice")), "a new wait asks again");
  }

  @Test
  void settleWithNobodyWaitingGivesNothing() {
    assertEquals(List.of(), contests.settle("alice"));
  }

  @Test
  void aNoToAnOpenQuestionDropsTheMember() {
    contests.asked(holder);
    assertFalse(contests.stays(holder, false));
  }

  @Test
  void aNoCountsOnlyOnce() {
    contests.asked(holder);
    assertFalse(contests.stays(holder, false));
    assertTrue(contests.stays(holder, false), "no question is open any more");
  }

  @Test
  void aNoAfterTheMemberShowedItselfIsStale() {
    contests.asked(holder);
    contests.forget(holder); // it joined again since it was asked
    assertTrue(contests.stays(holder, false));
  }

  @Test
  void aYesAlwaysStays() {
    contests.asked(holder);
    assertTrue(contests.stays(holder, true));
    assertTrue(contests.stays(session(), true), "even unasked");
  }

  private ChatRoom.Join join(String name) {
    return new ChatRoom.Join(name, session(), fanout, ChatRoom.JoinMode.LOGIN);
  }

  private static ActorRef<Session.Command> session() {
    return TestInbox.<Session.Command>create().getRef();
  }
}
