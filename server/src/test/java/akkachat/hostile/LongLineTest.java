package akkachat.hostile;

import akkachat.support.ChatClient;
import akkachat.support.ServerPerTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * PROTOCOL.md section 5: a line over {@code max-line-bytes} is dropped whole with one error and
 * the connection stays usable, however long the line is.
 */
class LongLineTest extends ServerPerTest {
  private static final String TOO_LONG = "*** error: line too long (max 4096 bytes)";
  private static final Duration QUIET = Duration.ofMillis(300);

  @Test
  void lineOverTheLimitIsDroppedWithOneErrorAndTheConnectionStaysUsable() {
    List<ChatClient> c = server.loginAll("alice", "bob");
    ChatClient alice = c.get(0);
    ChatClient bob = c.get(1);

    alice.send("x".repeat(4097));
    alice.expectLine(TOO_LONG);
    alice.send("é".repeat(2048) + "z"); // 4097 bytes in 2049 characters
    alice.expectLine(TOO_LONG);
    alice.send("y".repeat(4096)); // exactly the limit
    alice.sendRaw(("é".repeat(2048) + "\r\n").getBytes(UTF_8));
    alice.send("still here");

    for (ChatClient member : c) {
      member.expectLine("[alice] " + "y".repeat(4096));
      member.expectLine("[alice] " + "é".repeat(2048));
      member.expectLine("[alice] still here");
    }
    bob.expectNothing(QUIET);
    alice.expectNothing(QUIET);
  }

  @Test
  void everyOverlongLineInOneWriteGetsItsOwnError() {
    List<ChatClient> c = server.loginAll("alice", "bob");
    ChatClient alice = c.get(0);
    ChatClient bob = c.get(1);
    String longLine = "q".repeat(5000) + "\n";
    alice.sendRaw((longLine + "one\n" + longLine + longLine + "two\n")
        .getBytes(UTF_8));
    // The errors come from alice's session, the echoes through the room: they may interleave.
    List<String> toAlice = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      toAlice.add(alice.readLine());
    }
    assertEquals(3, toAlice.stream().filter(TOO_LONG::equals).count(), toAlice.toString());
    toAlice.removeIf(TOO_LONG::equals);
    assertEquals(List.of("[alice] one", "[alice] two"), toAlice);
    alice.expectNothing(QUIET);
    bob.expectLines("[alice] one", "[alice] two");
    bob.expectNothing(QUIET);
  }

  @Test
  void overlongNameGetsTheErrorAndThePromptAgain() {
    ChatClient client = server.connect();
    client.expectLine("Welcome to akka-chat!");
    client.expectPrompt();
    client.send("n".repeat(100_000));
    client.expectLine(TOO_LONG);
    client.expectPrompt();
    client.send("alice");
    client.expectLine("Welcome, alice");
  }

  /**
   * The server reads such a line to its end (were it to stop, alice's writes would block once
   * the socket buffers are full, and the test would time out), serves alice and bob meanwhile,
   * and answers the line with one error. That it holds at most {@code max-line-bytes} of the
   * line is LineCodec's cap; heap figures belong to the bench, not to assertions in a JVM that
   * other tests share.
   */
  @Test
  @Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void sixtyFourMebibytesWithoutALineBreakGetOneErrorWhileTheOthersChatOn() {
    List<ChatClient> c = server.loginAll("alice", "bob");
    ChatClient alice = c.get(0);
    ChatClient bob = c.get(1);

    byte[] chunk = new byte[64 * 1024];
    Arrays.fill(chunk, (byte) 'A');
    for (int half = 1; half <= 2; half++) {
      for (int i = 0; i < 512; i++) { // 32 MiB
        alice.sendRaw(chunk);
      }
      String line = "[bob] while alice's line is pending, " + half + " of 2";
      bob.send(line.substring("[bob] ".length()));
      alice.expectLine(line);
      bob.expectLine(line);
    }
    alice.sendRaw(new byte[] {'\n'});
    alice.expectLine(TOO_LONG);
    alice.send("next line works");
    alice.expectLine("[alice] next line works");
    bob.expectLine("[alice] next line works");
    alice.expectNothing(QUIET);
    bob.expectNothing(QUIET);
  }
}
