package akkachat.room;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.FishingOutcomes;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import akka.actor.typed.javadsl.Behaviors;
import akkachat.config.ChatSettings;
import akkachat.protocol.Lines;
import akkachat.session.Fanout;
import akkachat.session.Session;
import akkachat.support.NoRooms;
import com.typesafe.config.ConfigFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/**
 * One {@link ChatRoom} per test, with probes as sessions (reached through a real {@link Fanout})
 * and a probe behind its host.
 */
class ChatRoomTest {

  static final ActorTestKit testKit = ActorTestKit.create(
      ConfigFactory.parseString("akka.actor.testkit.typed.single-expect-default = 10s")
          .withFallback(ConfigFactory.load()));

  static final ChatSettings settings = ChatSettings.fromConfig(ConfigFactory.load());

  /** Delivers the rooms' lines to the probes, as on any node. */
  static final ActorRef<Fanout.Command> fanout =
      testKit.spawn(Fanout.create(NoRooms.INSTANCE, new Lines("\n")), "fanout");

  /** Short: only used to show that nothing more arrives after what was awaited. */
  static final Duration QUIET = Duration.ofMillis(200);

  @AfterAll
  static void cleanup() {
    testKit.shutdownTestKit();
  }

  sealed interface HostEvent {}

  record MembersChanged(String room, int count) implements HostEvent {}

  record Empty(String room, ActorRef<ChatRoom.Command> ref) implements HostEvent {}

  /** The room asked its host to send {@code command} to the room named {@code room}. */
  record Told(String room, ChatRoom.Command command) implements HostEvent {}

  static RoomHost forwardingTo(ActorRef<HostEvent> probe) {
    return new RoomHost() {
      @Override
      public void membersChanged(String room, ActorRef<ChatRoom.Command> self, int count) {
        probe.tell(new MembersChanged(room, count));
      }

      @Override
      public void empty(String room, ActorRef<ChatRoom.Command> self) {
        probe.tell(new Empty(room, self));
      }

      @Override
      public void tell(String room, ChatRoom.Command command) {
        probe.tell(new Told(room, command));
      }
    };
  }

  private TestProbe<HostEvent> host;
  private ActorRef<ChatRoom.Command> room;

  @BeforeEach
  void startRoom() {
    host = testKit.createTestProbe(HostEvent.class);
    room = testKit.spawn(ChatRoom.create("lobby", settings, forwardingTo(host.ref())));
  }

  // ---- joining ----

  @Test
  void joinRepliesWithSortedMembersThenAnnouncesToEveryoneIncludingNewcomer() {
    TestProbe<Session.Command> carol = enter("carol", List.of("carol"), List.of());
    TestProbe<Session.Command> bob = enter("Bob", List.of("Bob", "carol"), List.of(carol));

    TestProbe<Session.Command> alice = testKit.createTestProbe(Session.Command.class);
    room.tell(new ChatRoom.Join("alice", alice.ref(), fanout, ChatRoom.JoinMode.LOGIN));
    alice.expectMessage(new Session.Joined("lobby", room, "alice",
        List.of("alice", "Bob", "carol"), false));
    expectLine(alice, "*** alice just joined the chatroom\n");
    alice.expectMessage(new Session.Announced("lobby")); // after its own notice
    expectLine(bob, "*** alice just joined the chatroom\n");
    expectLine(carol, "*** alice just joined the chatroom\n");
    nothingMore(alice, bob, carol);
  }

  @Test
  void reportsMemberCountToHostOnJoin() {
    TestProbe<Session.Command> alice = enter("alice", List.of("alice"), List.of());
    host.expectMessage(new MembersChanged("lobby", 1));
    enter("bob", List.of("alice", "bob"), List.of(alice));
    host.expectMessage(new MembersChanged("lobby", 2));
  }

  @Test
  void rejectsNameTakenInAnyLetterCaseAndKeepsTheFirstSpelling() {
    TestProbe<Session.Command> alice = enter("AliCe", List.of("AliCe"), List.of());

    for (String taken : List.of("alice", "ALICE", "AliCe")) {
      TestProbe<Session.Command> other = testKit.createTestProbe(Session.Command.class);
      room.tell(new ChatRoom.Join(taken, other.ref(), fanout, ChatRoom.JoinMode.LOGIN));
      // The room first makes sure the holder is really still here.
      alice.expectMessage(new Session.Ping("lobby", room));
      room.tell(new ChatRoom.Pong("AliCe", alice.ref(), true));
      other.expectMessage(new Session.JoinRejected("lobby", taken));
    }
    nothingMore(alice);

    room.tell(new ChatRoom.Who(alice.ref()));
    expectLine(alice, "*** Users online: AliCe\n");
  }

  @Test
  void rejectsATakenNameWhenTheHolderDoesNotAnswerInTime() {
    TestProbe<Session.Command> alice = enter("alice", List.of("alice"), List.of());
    TestProbe<Session.Command> other = testKit.createTestProbe(Session.Command.class);
    room.tell(new ChatRoom.Join("alice", other.ref(), fanout, ChatRoom.JoinMode.LOGIN));
    alice.expectMessage(new Session.Ping("lobby", room));
    other.expectMessage(new Session.JoinRejected("lobby", "alice"));
  }

  @Test
  void aTakenNameIsFreeAsSoonAsTheHolderTurnsOutToBeGone() {
    TestProbe<Session.Command> bob = enter("bob", List.of("bob"), List.of());
    ActorRef<Session.Command> oldAlice = testKit.spawn(Behaviors.ignore());
    room.tell(new ChatRoom.Join("alice", oldAlice, fanout, ChatRoom.JoinMode.LOGIN));
    expectLine(bob, "*** alice just joined the chatroom\n");

    // A new alice logs in while the old one's departure is still on its way.
    TestProbe<Session.Command> newAlice = testKit.createTestProbe(Session.Command.class);
    room.tell(new ChatRoom.Join("alice", newAlice.ref(), fanout, ChatRoom.JoinMode.LOGIN));
    testKit.stop(oldAlice);
    expectLine(bob, "*** alice has disconnected\n");
    newAlice.expectMessage(
        new Session.Joined("lobby", room, "alice", List.of("alice", "bob"), false));
    expectLine(bob, "*** alice just joined the chatroom\n");
  }

  @Test
  void aHolderThatNoLongerCountsItselfAMemberIsDroppedSilently() {
    TestProbe<Session.Command> bob = enter("bob", List.of("bob"), List.of());
    TestProbe<Session.Command> ghost = testKit.createTestProbe(Session.Command.class);
    room.tell(new ChatRoom.Join("alice", ghost.ref(), fanout, ChatRoom.JoinMode.REJOIN));
    ghost.expectMessage(new Session.Joined("lobby", room, "alice", List.of("alice", "bob"), true));

    TestProbe<Session.Command> alice = testKit.createTestProbe(Session.Command.class);
    room.tell(new ChatRoom.Join("alice", alice.ref(), fanout, ChatRoom.JoinMode.LOGIN));
    ghost.expectMessage(new Session.Ping("lobby", room));
    room.tell(new ChatRoom.Pong("alice", ghost.ref(), false));
    alice.expectMessage(new Session.Joined("lobby", room, "alice", List.of("alice", "bob"), false));
    expectLine(bob, "*** alice just joined the chatroom\n");
    nothingMore(bob, ghost);
  }

  @Test
  void aJoinAfterTheQuestionOutranksAStaleNo() {
    TestProbe<Session.Command> bob = enter("bob", List.of("bob"), List.of());
    TestProbe<Session.Command> alice = testKit.createTestProbe(Session.Command.class);
    room.tell(new ChatRoom.Join("alice", alice.ref(), fanout, ChatRoom.JoinMode.REJOIN));
    alice.expectMessage(new Session.Joined("lobby", room, "alice", List.of("alice", "bob"), true));
    TestProbe<Session.Command> other = testKit.createTestProbe(Session.Command.class);
    room.tell(new ChatRoom.Join("alice", other.ref(), fanout, ChatRoom.JoinMode.LOGIN));
    alice.expectMessage(new Session.Ping("lobby", room));
    // alice joins (again) before her answer to the question, which was written earlier, arrives
    room.tell(new ChatRoom.Join("alice", alice.ref(), fanout, ChatRoom.JoinMode.MOVE));
    alice.expectMessage(new Session.Joined("lobby", room, "alice", List.of("alice", "bob"), false));
    room.tell(new ChatRoom.Pong("alice", alice.ref(), false));
    other.expectMessage(new Session.JoinRejected("lobby", "alice"));
    room.tell(new ChatRoom.Who(bob.ref()));
    expectLine(bob, "*** Users online: alice, bob\n");
  }

  @Test
  void takesOverTheMembersOfAnEarlierIncarnationAndReportsThoseThatAreGone() {
    TestProbe<Session.Command> survivor = testKit.createTestProbe(Session.Command.class);
    ActorRef<Session.Command> lost = testKit.spawn(Behaviors.ignore());
    testKit.stop(lost);
    List<ChatRoom.Member> earlier = List.of(new ChatRoom.Member("ray", survivor.ref(), fanout),
        new ChatRoom.Member("rex", lost, fanout));
    ActorRef<ChatRoom.Command> again =
        testKit.spawn(ChatRoom.create("hall", settings, new SilentHost()));
    again.tell(new ChatRoom.TakeOver(earlier));

    survivor.expectMessage(new Session.Ping("hall", again));
    Session.Deliver notice = assertInstanceOf(Session.Deliver.class, survivor.receiveMessage());
    assertEquals("*** rex has disconnected\n", notice.line().utf8String());
    // The survivor is a member already: its rejoin is answered without any notice.
    again.tell(new ChatRoom.Join("ray", survivor.ref(), fanout, ChatRoom.JoinMode.REJOIN));
    survivor.expectMessage(new Session.Joined("hall", again, "ray", List.of("ray"), true));
    again.tell(new ChatRoom.Say("ray", survivor.ref(), 1, "still here"));
    Session.Deliver echo = assertInstanceOf(Session.Deliver.class, survivor.receiveMessage());
    assertEquals("[ray] still here\n", echo.line().utf8String());
    survivor.expectNoMessage(QUIET);
  }

  /**
   * A node's fan-out sends its roster again with each rejoin until the new incarnation answers
   * (sharding may lose it): a member reported gone meanwhile is not taken over a second time.
   */
  @Test
  void aMemberReportedGoneIsNotTakenOverAgainByARosterSentTwice() {
    TestProbe<Session.Command> survivor = testKit.createTestProbe(Session.Command.class);
    ActorRef<Session.Command> lost = testKit.spawn(Behaviors.ignore());
    testKit.stop(lost);
    List<ChatRoom.Member> earlier = List.of(new ChatRoom.Member("ray", survivor.ref(), fanout),
        new ChatRoom.Member("rex", lost, fanout));
    ActorRef<ChatRoom.Command> again =
        testKit.spawn(ChatRoom.create("hall", settings, new SilentHost()));
    again.tell(new ChatRoom.TakeOver(earlier));
    survivor.expectMessage(new Session.Ping("hall", again));
    Session.Deliver notice = assertInstanceOf(Session.Deliver.class, survivor.receiveMessage());
    assertEquals("*** rex has disconnected\n", notice.line().utf8String());

    again.tell(new ChatRoom.TakeOver(earlier));
    again.tell(new ChatRoom.Who(survivor.ref()));
    Session.Deliver who = assertInstanceOf(Session.Deliver.class, survivor.receiveMessage());
    assertEquals("*** Users online: ray\n", who.line().utf8String());
  }

  @Test
  void repeatedJoinOfSameSessionIsAnsweredWithoutSecondAnnouncement() {
    TestProbe<Session.Command> alice = enter("alice", List.of("alice"), List.of());
    room.tell(new ChatRoom.Join("alice", alice.ref(), fanout, ChatRoom.JoinMode.LOGIN));
    alice.expectMessage(new Session.Joined("lobby", room, "alice", List.of("alice"), false));
    // announced with the first join: told so at once, with no second notice
    alice.expectMessage(new Session.Announced("lobby"));
    nothingMore(alice);
  }

  @Test
  void rejoinAfterRoomRestartIsSilent() {
    TestProbe<Session.Command> bob = enter("bob", List.of("bob"), List.of());
    TestProbe<Session.Command> alice = testKit.createTestProbe(Session.Command.class);
    room.tell(new ChatRoom.Join("alice", alice.ref(), fanout, ChatRoom.JoinMode.REJOIN));
    alice.expectMessage(new Session.Joined("lobby", room, "alice", List.of("alice", "bob"), true));
    nothingMore(alice, bob);
  }

  @Test
  void survivesSessionJoiningAgainUnderAnotherName() {
    // A session whose /join timed out can rename itself and join the same room again before
    // its first Join was handled: the room then sees one session under two names.
    TestProbe<Session.Command> bob = enter("bob", List.of("bob"), List.of());
    TestProbe<Session.Command> alice = enter("alice", List.of("alice", "bob"), List.of(bob));
    room.tell(new ChatRoom.Join("alicia", alice.ref(), fanout, ChatRoom.JoinMode.LOGIN));

    room.tell(new ChatRoom.Say("bob", bob.ref(), 1, "anyone there?"));
    List<Session.Command> found = bob.fishForMessage(Duration.ofSeconds(10), "bob's own line",
        m -> m instanceof Session.Deliver d && d.echo() == 1
            ? FishingOutcomes.complete()
            : FishingOutcomes.continueAndIgnore());
    Session.Deliver said = (Session.Deliver) found.get(found.size() - 1);
    assertEquals("[bob] anyone there?\n", said.line().utf8String());
  }

  // ---- a session that stops ----

  @Test
  void freesNameAndAnnouncesDisconnectOnceWhenSessionStops() {
    TestProbe<Session.Command> alice = enter("alice", List.of("alice"), List.of());
    TestProbe<Session.Command> bob = enter("bob", List.of("alice", "bob"), List.of(alice));
    ActorRef<Session.Command> oldAlice = alice.ref();

    alice.stop();
    expectLine(bob, "*** alice has disconnected\n");
    // A late Leave from the dead session must not announce anything a second time.
    room.tell(new ChatRoom.Leave("alice", oldAlice, null));
    bob.expectNoMessage(QUIET);

    TestProbe<Session.Command> newAlice = enter("alice", List.of("alice", "bob"), List.of(bob));
    nothingMore(newAlice, bob);
  }

  @Test
  void staleTerminationAfterLeaveDoesNotRemoveNewSessionWithSameName() {
    TestProbe<Session.Command> bob = enter("bob", List.of("bob"), List.of());
    TestProbe<Session.Command> oldAlice = enter("alice", List.of("alice", "bob"), List.of(bob));
    room.tell(new ChatRoom.Leave("alice", oldAlice.ref(), null));
    expectLine(bob, "*** alice left the chatroom\n");

    TestProbe<Session.Command> newAlice = enter("alice", List.of("alice", "bob"), List.of(bob));
    oldAlice.stop();
    bob.expectNoMessage(QUIET);

    expectStillMember(newAlice, "alice", bob, "*** Users online: alice, bob\n");
  }

  @Test
  void staleTerminationAfterRenameRemovesOnlyTheRenamedSession() {
    TestProbe<Session.Command> bob = enter("bob", List.of("bob"), List.of());
    TestProbe<Session.Command> oldAlice = enter("alice", List.of("alice", "bob"), List.of(bob));
    room.tell(new ChatRoom.Rename("alice", "alicia", oldAlice.ref()));
    expectLine(oldAlice, "*** alice is now known as alicia\n"); // the notice, then the answer
    oldAlice.expectMessage(new Session.Renamed("lobby", "alicia"));
    expectLine(bob, "*** alice is now known as alicia\n");

    TestProbe<Session.Command> newAlice =
        enter("alice", List.of("alice", "alicia", "bob"), List.of(oldAlice, bob));
    oldAlice.stop();
    expectLine(bob, "*** alicia has disconnected\n");
    expectLine(newAlice, "*** alicia has disconnected\n");
    nothingMore(bob, newAlice);

    expectStillMember(newAlice, "alice", bob, "*** Users online: alice, bob\n");
  }

  // ---- talking ----

  @Test
  void sayReachesEveryoneAndSendersCopyCarriesEchoSeq() {
    TestProbe<Session.Command> alice = enter("alice", List.of("alice"), List.of());
    TestProbe<Session.Command> bob = enter("bob", List.of("alice", "bob"), List.of(alice));

    room.tell(new ChatRoom.Say("alice", alice.ref(), 7, "hello this is dog"));
    expectEcho(alice, "[alice] hello this is dog\n", 7);
    expectLine(bob, "[alice] hello this is dog\n");
    nothingMore(alice, bob);
  }

  @Test
  void linesReachEveryMemberInOneOrder() {
    TestProbe<Session.Command> alice = enter("alice", List.of("alice"), List.of());
    TestProbe<Session.Command> bob = enter("bob", List.of("alice", "bob"), List.of(alice));
    for (int i = 1; i <= 20; i++) {
      room.tell(new ChatRoom.Say("alice", alice.ref(), i, "a" + i));
      room.tell(new ChatRoom.Say("bob", bob.ref(), i, "b" + i));
    }
    List<String> seenByAlice = texts(alice, 40);
    List<String> seenByBob = texts(bob, 40);
    assertEquals(seenByAlice, seenByBob);
  }

  @Test
  void aLineGoesOnceToEachNodeWithMembersAndToNoOtherNode() {
    TestProbe<Fanout.Command> nodeA = testKit.createTestProbe(Fanout.Command.class);
    TestProbe<Fanout.Command> nodeB = testKit.createTestProbe(Fanout.Command.class);
    TestProbe<Fanout.Command> nodeC = testKit.createTestProbe(Fanout.Command.class);
    ActorRef<Session.Command> a1 = joinThrough(nodeA, "a1");
    joinThrough(nodeA, "a2");
    ActorRef<Session.Command> b1 = joinThrough(nodeB, "b1");
    ActorRef<Session.Command> c1 = joinThrough(nodeC, "c1");
    room.tell(new ChatRoom.Leave("c1", c1, null));
    nodeC.fishForMessage(Duration.ofSeconds(10), m -> m instanceof Fanout.Exit e
        && e.session().equals(c1) ? FishingOutcomes.complete() : FishingOutcomes.continueAndIgnore());

    room.tell(new ChatRoom.Say("a1", a1, 1, "one"));
    room.tell(new ChatRoom.Say("b1", b1, 1, "two"));
    // Node C's next message from the room, after the two lines, is the roster for a new member.
    room.tell(new ChatRoom.Join("c2", testKit.createTestProbe(Session.Command.class).ref(),
        nodeC.ref(), ChatRoom.JoinMode.LOGIN));

    for (TestProbe<Fanout.Command> node : List.of(nodeA, nodeB)) {
      node.fishForMessage(Duration.ofSeconds(10), m -> isLine(m, "[a1] one\n")
          ? FishingOutcomes.complete() : FishingOutcomes.continueAndIgnore());
      Fanout.Broadcast next = assertInstanceOf(Fanout.Broadcast.class, node.receiveMessage(),
          "the line after the first, not a second copy of it");
      assertEquals("[b1] two\n", next.line().utf8String());
    }
    Fanout.Command afterExit = nodeC.receiveMessage();
    assertInstanceOf(Fanout.Roster.class, afterExit, "no line for a node left without members");
  }

  @Test
  void ignoresLinesFromSessionThatIsNotTheMember() {
    TestProbe<Session.Command> alice = enter("alice", List.of("alice"), List.of());
    TestProbe<Session.Command> impostor = testKit.createTestProbe(Session.Command.class);
    room.tell(new ChatRoom.Say("alice", impostor.ref(), 1, "I am alice"));
    room.tell(new ChatRoom.Emote("alice", impostor.ref(), 2, "is alice"));
    room.tell(new ChatRoom.Whisper("alice", impostor.ref(), 3, List.of("alice"), "psst"));
    room.tell(new ChatRoom.Rename("alice", "mallory", impostor.ref()));
    room.tell(new ChatRoom.Leave("alice", impostor.ref(), null));
    nothingMore(alice, impostor);
  }

  @Test
  void emoteReachesEveryoneAsAction() {
    TestProbe<Session.Command> alice = enter("alice", List.of("alice"), List.of());
    TestProbe<Session.Command> bob = enter("bob", List.of("alice", "bob"), List.of(alice));

    room.tell(new ChatRoom.Emote("alice", alice.ref(), 3, "waves"));
    expectEcho(alice, "* alice waves\n", 3);
    expectLine(bob, "* alice waves\n");
    nothingMore(alice, bob);
  }

  @Test
  void whisperToOneReachesOnlyThatMemberAndTheSender() {
    TestProbe<Session.Command> alice = enter("alice", List.of("alice"), List.of());
    TestProbe<Session.Command> bob = enter("bob", List.of("alice", "bob"), List.of(alice));
    TestProbe<Session.Command> carol =
        enter("carol", List.of("alice", "bob", "carol"), List.of(alice, bob));

    room.tell(new ChatRoom.Whisper("alice", alice.ref(), 4, List.of("bob"), "hi"));
    expectLine(bob, "[alice -> bob] hi\n");
    expectEcho(alice, "[alice -> bob] hi\n", 4);
    nothingMore(alice, bob, carol);
  }

  @Test
  void whisperToSeveralReachesEachOnceNamesAsGiven() {
    TestProbe<Session.Command> alice = enter("alice", List.of("alice"), List.of());
    TestProbe<Session.Command> bob = enter("bob", List.of("alice", "bob"), List.of(alice));
    TestProbe<Session.Command> carol =
        enter("carol", List.of("alice", "bob", "carol"), List.of(alice, bob));
    TestProbe<Session.Command> dave =
        enter("dave", List.of("alice", "bob", "carol", "dave"), List.of(alice, bob, carol));

    room.tell(new ChatRoom.Whisper("alice", alice.ref(), 5, List.of("BOB", "carol"), "hi"));
    expectLine(bob, "[alice -> BOB,carol] hi\n");
    expectLine(carol, "[alice -> BOB,carol] hi\n");
    expectEcho(alice, "[alice -> BOB,carol] hi\n", 5);
    nothingMore(alice, bob, carol, dave);
  }

  @Test
  void whisperToUnknownNameErrsToSenderOnlyAndStillReachesTheOthers() {
    TestProbe<Session.Command> alice = enter("alice", List.of("alice"), List.of());
    TestProbe<Session.Command> bob = enter("bob", List.of("alice", "bob"), List.of(alice));
    TestProbe<Session.Command> carol =
        enter("carol", List.of("alice", "bob", "carol"), List.of(alice, bob));

    room.tell(new ChatRoom.Whisper("alice", alice.ref(), 6, List.of("zed", "bob"), "hi"));
    expectLine(bob, "[alice -> zed,bob] hi\n");
    // The error may come before or after the sender's own copy; the copy carries the echo.
    List<Session.Deliver> toAlice = delivers(alice, 2);
    List<String> texts = new ArrayList<>();
    toAlice.forEach(d -> texts.add(d.line().utf8String()));
    assertEquals(List.of("*** error: no such user in this room: zed\n", "[alice -> zed,bob] hi\n"),
        texts.stream().sorted().toList());
    for (Session.Deliver d : toAlice) {
      if (d.line().utf8String().startsWith("*** error")) {
        assertEquals(Session.NO_ECHO, d.echo(), "the error line must not carry the echo");
      } else {
        assertEquals(6, d.echo(), "the sender's copy carries the echo");
      }
    }
    nothingMore(alice, bob, carol);
  }

  @Test
  void whisperOnlyToUnknownNameGivesSenderTheErrorThenItsOwnCopy() {
    TestProbe<Session.Command> alice = enter("alice", List.of("alice"), List.of());
    TestProbe<Session.Command> bob = enter("bob", List.of("alice", "bob"), List.of(alice));

    room.tell(new ChatRoom.Whisper("alice", alice.ref(), 8, List.of("zed"), "hi"));
    expectLine(alice, "*** error: no such user in this room: zed\n");
    expectEcho(alice, "[alice -> zed] hi\n", 8);
    nothingMore(alice, bob);
  }

  @Test
  void whisperToSelfGivesTheSenderOneCopy() {
    TestProbe<Session.Command> alice = enter("alice", List.of("alice"), List.of());
    TestProbe<Session.Command> bob = enter("bob", List.of("alice", "bob"), List.of(alice));

    room.tell(new ChatRoom.Whisper("alice", alice.ref(), 9, List.of("alice", "zed"), "me"));
    expectLine(alice, "*** error: no such user in this room: zed\n");
    expectEcho(alice, "[alice -> alice,zed] me\n", 9);
    nothingMore(alice, bob);
  }

  // ---- moving between rooms ----

  @Test
  void moverIsAnnouncedInTheNewRoomOnlyAfterTheOldRoomLetItGoAndOnlyOnce() {
    TestProbe<Session.Command> alice = enter("alice", List.of("alice"), List.of());
    TestProbe<Session.Command> bob = enter("bob", List.of("alice", "bob"), List.of(alice));
    Dev withCarol = devWithCarol();
    ActorRef<ChatRoom.Command> dev = withCarol.ref();
    TestProbe<Session.Command> carol = withCarol.carol();

    dev.tell(new ChatRoom.Join("alice", alice.ref(), fanout, ChatRoom.JoinMode.MOVE));
    alice.expectMessage(new Session.Joined("dev", dev, "alice", List.of("alice", "carol"), false));
    nothingMore(carol, alice);

    room.tell(new ChatRoom.Leave("alice", alice.ref(), "dev"));
    expectLine(bob, "*** alice left the chatroom\n");
    // The old room asks its host to have "dev" (whichever incarnation runs it) announce alice.
    List<HostEvent> events = host.fishForMessage(Duration.ofSeconds(10), e -> e instanceof Told
        ? FishingOutcomes.complete() : FishingOutcomes.continueAndIgnore());
    assertEquals(new Told("dev", new ChatRoom.Announce("alice", alice.ref())),
        events.get(events.size() - 1));
    nothingMore(carol, alice);
    dev.tell(new ChatRoom.Announce("alice", alice.ref()));
    Session.Deliver announced = assertInstanceOf(Session.Deliver.class, carol.receiveMessage());
    assertEquals("*** alice just joined the chatroom\n", announced.line().utf8String());
    Session.Deliver own = assertInstanceOf(Session.Deliver.class, alice.receiveMessage());
    assertEquals("*** alice just joined the chatroom\n", own.line().utf8String());
    assertEquals("dev", own.room());
    alice.expectMessage(new Session.Announced("dev")); // only now may alice's next line come
    nothingMore(alice, bob, carol);

    // Asked again (the session itself asks when the old room's end reached it only after the
    // move): a member is announced once, and one who came by login was announced then.
    dev.tell(new ChatRoom.Announce("alice", alice.ref()));
    dev.tell(new ChatRoom.Announce("carol", carol.ref()));
    nothingMore(alice, bob, carol);
  }

  /** The room "dev" on a host of its own, with carol logged in there. */
  private record Dev(ActorRef<ChatRoom.Command> ref, TestProbe<HostEvent> host,
      TestProbe<Session.Command> carol) {}

  private Dev devWithCarol() {
    TestProbe<HostEvent> devHost = testKit.createTestProbe(HostEvent.class);
    ActorRef<ChatRoom.Command> dev =
        testKit.spawn(ChatRoom.create("dev", settings, forwardingTo(devHost.ref())));
    TestProbe<Session.Command> carol = testKit.createTestProbe(Session.Command.class);
    dev.tell(new ChatRoom.Join("carol", carol.ref(), fanout, ChatRoom.JoinMode.LOGIN));
    carol.expectMessage(new Session.Joined("dev", dev, "carol", List.of("carol"), false));
    assertEquals("*** carol just joined the chatroom\n",
        assertInstanceOf(Session.Deliver.class, carol.receiveMessage()).line().utf8String());
    carol.expectMessage(new Session.Announced("dev"));
    return new Dev(dev, devHost, carol);
  }

  /** A session that can be stopped, logged in here (bob sees it come) and taken in by dev. */
  private ActorRef<Session.Command> movingToDev(String name, TestProbe<Session.Command> bob,
      Dev dev) {
    ActorRef<Session.Command> session = testKit.spawn(Behaviors.ignore());
    room.tell(new ChatRoom.Join(name, session, fanout, ChatRoom.JoinMode.LOGIN));
    expectLine(bob, "*** " + name + " just joined the chatroom\n");
    dev.ref().tell(new ChatRoom.Join(name, session, fanout, ChatRoom.JoinMode.MOVE));
    return session;
  }

  /**
   * A /join whose session ends before the old room took the leave in (its end overtook the
   * leave, or came before it was sent): the old room reports it, the new one says nothing and
   * asks nobody to.
   */
  @Test
  void aMoverThatEndsBeforeItsOldRoomLetItGoIsReportedThereOnly() {
    TestProbe<Session.Command> bob = enter("bob", List.of("bob"), List.of());
    Dev dev = devWithCarol();
    ActorRef<Session.Command> alice = movingToDev("alice", bob, dev);
    testKit.stop(alice);
    expectLine(bob, "*** alice has disconnected\n");
    room.tell(new ChatRoom.Leave("alice", alice, "dev")); // the leave, after the end
    nothingMore(bob, dev.carol());
    // The old room asks dev for no announcement: the next thing its host hears is a login.
    room.tell(new ChatRoom.Join("zed", testKit.spawn(Behaviors.ignore()), fanout,
        ChatRoom.JoinMode.LOGIN));
    List<HostEvent> events = host.fishForMessage(Duration.ofSeconds(10),
        e -> e.equals(new MembersChanged("lobby", 2))
            ? FishingOutcomes.complete() : FishingOutcomes.continueAndIgnore());
    assertEquals(List.of(), events.stream().filter(e -> e instanceof Told).toList());
  }

  /**
   * A /join whose session ends after the old room let it go, before the new room was asked to
   * announce it: the new room says it came and went, once.
   */
  @Test
  void aMoverThatEndsBeforeItsArrivalIsAnnouncedIsReportedInTheNewRoomOnce() {
    TestProbe<Session.Command> bob = enter("bob", List.of("bob"), List.of());
    Dev dev = devWithCarol();
    ActorRef<Session.Command> alice = movingToDev("alice", bob, dev);
    room.tell(new ChatRoom.Leave("alice", alice, "dev"));
    expectLine(bob, "*** alice left the chatroom\n");
    testKit.stop(alice);
    nothingMore(dev.carol());
    dev.ref().tell(new ChatRoom.Announce("alice", alice)); // the old room's, still on its way
    Session.Deliver came = assertInstanceOf(Session.Deliver.class, dev.carol().receiveMessage());
    assertEquals("*** alice just joined the chatroom\n", came.line().utf8String());
    Session.Deliver went = assertInstanceOf(Session.Deliver.class, dev.carol().receiveMessage());
    assertEquals("*** alice has disconnected\n", went.line().utf8String());
    dev.ref().tell(new ChatRoom.Announce("alice", alice)); // asked again: said once
    nothingMore(bob, dev.carol());
  }

  /** The earlier incarnation may have stopped before announcing a member who came by /join. */
  @Test
  void aMemberTakenOverFromAnEarlierIncarnationIsAnnouncedOnceWhenAsked() {
    TestProbe<Session.Command> alice = testKit.createTestProbe(Session.Command.class);
    ActorRef<ChatRoom.Command> again =
        testKit.spawn(ChatRoom.create("dev", settings, forwardingTo(host.ref())));
    again.tell(new ChatRoom.TakeOver(List.of(new ChatRoom.Member("alice", alice.ref(), fanout))));
    assertInstanceOf(Session.Ping.class, alice.receiveMessage()); // still there?
    again.tell(new ChatRoom.Announce("alice", alice.ref()));
    Session.Deliver announced = assertInstanceOf(Session.Deliver.class, alice.receiveMessage());
    assertEquals("*** alice just joined the chatroom\n", announced.line().utf8String());
    alice.expectMessage(new Session.Announced("dev"));
    again.tell(new ChatRoom.Announce("alice", alice.ref()));
    nothingMore(alice);
  }

  /** A new incarnation may be asked to announce a mover before a fan-out hands it over. */
  @Test
  void aMoverAskedToBeAnnouncedBeforeItIsTakenOverIsAnnouncedWhenItIs() {
    TestProbe<Session.Command> alice = testKit.createTestProbe(Session.Command.class);
    ActorRef<ChatRoom.Command> again =
        testKit.spawn(ChatRoom.create("dev", settings, forwardingTo(host.ref())));
    again.tell(new ChatRoom.Announce("alice", alice.ref()));
    alice.expectNoMessage(QUIET);
    again.tell(new ChatRoom.TakeOver(List.of(new ChatRoom.Member("alice", alice.ref(), fanout))));
    Session.Deliver announced = assertInstanceOf(Session.Deliver.class, alice.receiveMessage());
    assertEquals("*** alice just joined the chatroom\n", announced.line().utf8String());
    alice.expectMessage(new Session.Announced("dev"));
    assertInstanceOf(Session.Ping.class, alice.receiveMessage()); // still there?
    nothingMore(alice);
  }

  @Test
  void announceForSomeoneWhoIsNotAMemberIsIgnored() {
    TestProbe<Session.Command> alice = enter("alice", List.of("alice"), List.of());
    TestProbe<Session.Command> ghost = testKit.createTestProbe(Session.Command.class);
    room.tell(new ChatRoom.Announce("ghost", ghost.ref()));
    nothingMore(alice, ghost);
  }

  // ---- renaming ----

  @Test
  void renameAnnouncesNewNameToEveryoneAndFreesOldName() {
    TestProbe<Session.Command> alice = enter("alice", List.of("alice"), List.of());
    TestProbe<Session.Command> bob = enter("bob", List.of("alice", "bob"), List.of(alice));

    room.tell(new ChatRoom.Rename("alice", "alicia", alice.ref()));
    expectLine(alice, "*** alice is now known as alicia\n"); // the notice, then the answer
    alice.expectMessage(new Session.Renamed("lobby", "alicia"));
    expectLine(bob, "*** alice is now known as alicia\n");

    room.tell(new ChatRoom.Say("alicia", alice.ref(), 1, "new me"));
    expectEcho(alice, "[alicia] new me\n", 1);
    expectLine(bob, "[alicia] new me\n");

    TestProbe<Session.Command> other =
        enter("alice", List.of("alice", "alicia", "bob"), List.of(alice, bob));
    nothingMore(alice, bob, other);
  }

  @Test
  void renameToOwnNameInAnotherCaseIsAllowed() {
    TestProbe<Session.Command> alice = enter("alice", List.of("alice"), List.of());
    TestProbe<Session.Command> bob = enter("bob", List.of("alice", "bob"), List.of(alice));

    room.tell(new ChatRoom.Rename("alice", "ALICE", alice.ref()));
    expectLine(alice, "*** alice is now known as ALICE\n");
    alice.expectMessage(new Session.Renamed("lobby", "ALICE"));
    expectLine(bob, "*** alice is now known as ALICE\n");

    room.tell(new ChatRoom.Who(bob.ref()));
    expectLine(bob, "*** Users online: ALICE, bob\n");
  }

  @Test
  void renameToTakenNameIsRejected() {
    TestProbe<Session.Command> alice = enter("alice", List.of("alice"), List.of());
    TestProbe<Session.Command> bob = enter("bob", List.of("alice", "bob"), List.of(alice));

    room.tell(new ChatRoom.Rename("alice", "BOB", alice.ref()));
    alice.expectMessage(new Session.RenameRejected("lobby", "BOB"));
    nothingMore(alice, bob);

    room.tell(new ChatRoom.Who(alice.ref()));
    expectLine(alice, "*** Users online: alice, bob\n");
  }

  @Test
  void renamedMemberThatStopsIsAnnouncedUnderNewName() {
    TestProbe<Session.Command> alice = enter("alice", List.of("alice"), List.of());
    TestProbe<Session.Command> bob = enter("bob", List.of("alice", "bob"), List.of(alice));
    room.tell(new ChatRoom.Rename("alice", "alicia", alice.ref()));
    expectLine(alice, "*** alice is now known as alicia\n");
    alice.expectMessage(new Session.Renamed("lobby", "alicia"));
    expectLine(bob, "*** alice is now known as alicia\n");

    alice.stop();
    expectLine(bob, "*** alicia has disconnected\n");
    nothingMore(bob);
  }

  // ---- leaving, who, passivation ----

  @Test
  void leaveTellsTheOthersAndNotTheLeaver() {
    TestProbe<Session.Command> alice = enter("alice", List.of("alice"), List.of());
    TestProbe<Session.Command> bob = enter("bob", List.of("alice", "bob"), List.of(alice));

    room.tell(new ChatRoom.Leave("alice", alice.ref(), null));
    expectLine(bob, "*** alice left the chatroom\n");
    nothingMore(alice, bob);

    // A member that left is no longer watched: its stopping announces nothing.
    alice.stop();
    bob.expectNoMessage(QUIET);
    room.tell(new ChatRoom.Who(bob.ref()));
    expectLine(bob, "*** Users online: bob\n");
  }

  @Test
  void whoListsMembersSortedCaseInsensitivelyToTheAskerOnly() {
    TestProbe<Session.Command> carol = enter("carol", List.of("carol"), List.of());
    TestProbe<Session.Command> dave = enter("Dave", List.of("carol", "Dave"), List.of(carol));
    TestProbe<Session.Command> bob =
        enter("Bob", List.of("Bob", "carol", "Dave"), List.of(carol, dave));
    TestProbe<Session.Command> alice =
        enter("alice", List.of("alice", "Bob", "carol", "Dave"), List.of(carol, dave, bob));

    room.tell(new ChatRoom.Who(bob.ref()));
    expectLine(bob, "*** Users online: alice, Bob, carol, Dave\n");
    nothingMore(alice, bob, carol, dave);
  }

  @Test
  void tellsHostWhenLastMemberLeavesAndStopsOnStop() {
    TestProbe<Session.Command> alice = enter("alice", List.of("alice"), List.of());
    TestProbe<Session.Command> bob = enter("bob", List.of("alice", "bob"), List.of(alice));
    host.expectMessage(new MembersChanged("lobby", 1));
    host.expectMessage(new MembersChanged("lobby", 2));

    room.tell(new ChatRoom.Leave("alice", alice.ref(), null));
    host.expectMessage(new MembersChanged("lobby", 1));
    host.expectNoMessage(QUIET);

    room.tell(new ChatRoom.Leave("bob", bob.ref(), null));
    host.expectMessage(new MembersChanged("lobby", 0));
    host.expectMessage(new Empty("lobby", room));

    TestProbe<Object> watcher = testKit.createTestProbe();
    room.tell(new ChatRoom.Stop());
    watcher.expectTerminated(room);
  }

  @Test
  void tellsHostWhenLastMembersSessionStops() {
    TestProbe<Session.Command> alice = enter("alice", List.of("alice"), List.of());
    host.expectMessage(new MembersChanged("lobby", 1));
    alice.stop();
    host.expectMessage(new MembersChanged("lobby", 0));
    host.expectMessage(new Empty("lobby", room));
  }

  @Test
  void endsLinesWithCrlfWhenConfigured() {
    ChatSettings crlf = ChatSettings.fromConfig(
        ConfigFactory.parseString("akka-chat.line-ending = crlf").withFallback(ConfigFactory.load()));
    ActorRef<ChatRoom.Command> crlfRoom =
        testKit.spawn(ChatRoom.create("dev", crlf, forwardingTo(host.ref())));
    TestProbe<Session.Command> alice = testKit.createTestProbe(Session.Command.class);
    crlfRoom.tell(new ChatRoom.Join("alice", alice.ref(), fanout, ChatRoom.JoinMode.LOGIN));
    alice.expectMessage(new Session.Joined("dev", crlfRoom, "alice", List.of("alice"), false));
    assertEquals("*** alice just joined the chatroom\r\n", delivers(alice, 1).get(0).line().utf8String());
  }

  // ---- helpers ----

  /** A member whose node's fan-out is {@code node}; returns once the room has announced it. */
  private ActorRef<Session.Command> joinThrough(TestProbe<Fanout.Command> node, String name) {
    ActorRef<Session.Command> session = testKit.createTestProbe(Session.Command.class).ref();
    room.tell(new ChatRoom.Join(name, session, node.ref(), ChatRoom.JoinMode.LOGIN));
    node.fishForMessage(Duration.ofSeconds(10), m -> m instanceof Fanout.Reply r
        && r.reply() instanceof Session.Announced
        ? FishingOutcomes.complete() : FishingOutcomes.continueAndIgnore());
    return session;
  }

  private static boolean isLine(Fanout.Command m, String line) {
    return m instanceof Fanout.Broadcast b && b.line().utf8String().equals(line);
  }

  /**
   * Joins {@code name} with a fresh probe, expects the reply listing {@code membersAfter}, then
   * the announcement at the newcomer and at every probe in {@code present}.
   */
  private TestProbe<Session.Command> enter(String name, List<String> membersAfter,
      List<TestProbe<Session.Command>> present) {
    TestProbe<Session.Command> probe = testKit.createTestProbe(Session.Command.class);
    room.tell(new ChatRoom.Join(name, probe.ref(), fanout, ChatRoom.JoinMode.LOGIN));
    probe.expectMessage(new Session.Joined("lobby", room, name, membersAfter, false));
    expectLine(probe, "*** " + name + " just joined the chatroom\n");
    probe.expectMessage(new Session.Announced("lobby")); // after its own notice
    for (TestProbe<Session.Command> p : present) {
      expectLine(p, "*** " + name + " just joined the chatroom\n");
    }
    return probe;
  }

  /** The member {@code name} on {@code session} can still talk and is listed. */
  private void expectStillMember(TestProbe<Session.Command> session, String name,
      TestProbe<Session.Command> other, String whoLine) {
    room.tell(new ChatRoom.Say(name, session.ref(), 99, "still here"));
    expectEcho(session, "[" + name + "] still here\n", 99);
    expectLine(other, "[" + name + "] still here\n");
    room.tell(new ChatRoom.Who(other.ref()));
    expectLine(other, whoLine);
  }

  private List<Session.Deliver> delivers(TestProbe<Session.Command> probe, int n) {
    List<Session.Deliver> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Session.Deliver d = assertInstanceOf(Session.Deliver.class, probe.receiveMessage());
      out.add(d);
    }
    return out;
  }

  private List<String> texts(TestProbe<Session.Command> probe, int n) {
    List<String> out = new ArrayList<>();
    delivers(probe, n).forEach(d -> out.add(d.line().utf8String()));
    return out;
  }

  private void expectLine(TestProbe<Session.Command> probe, String text) {
    expectEcho(probe, text, Session.NO_ECHO);
  }

  private void expectEcho(TestProbe<Session.Command> probe, String text, long echo) {
    Session.Deliver d = assertInstanceOf(Session.Deliver.class, probe.receiveMessage());
    assertEquals(text, d.line().utf8String());
    assertEquals("lobby", d.room(), "a line names the room it comes from");
    assertEquals(echo, d.echo(), "echo of " + text.strip());
  }

  @SafeVarargs
  private static void nothingMore(TestProbe<Session.Command>... probes) {
    for (TestProbe<Session.Command> p : probes) {
      p.expectNoMessage(QUIET);
    }
  }
}
