package akkachat.hostile;

import akkachat.support.ChatClient;
import akkachat.support.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * PROTOCOL.md section 5: a client that sends faster than {@code rate-limit} is slowed down,
 * never disconnected and never loses a line; the others in its room do not notice.
 */
class FloodTest {
  private static final int RATE = 200;
  private static final int LINES = 2000;

  @Test
  @Timeout(value = 90, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void flooderIsSlowedToTheRateLosesNothingAndHurtsNobody() throws Exception {
    try (TestServer server = TestServer.start("akka-chat.rate-limit = " + RATE)) {
      List<ChatClient> all = server.loginAll("flooder", "bob", "carol", "dave");
      Member flooder = new Member(all.get(0));
      Member bob = new Member(all.get(1));
      Member carol = new Member(all.get(2));
      Member dave = new Member(all.get(3));
      ExecutorService pool = Executors.newFixedThreadPool(2);
      try {
        Future<Long> bobDone = pool.submit(() -> {
          bob.readUntil(LINES, 0);
          return System.nanoTime();
        });
        // carol and dave: round trips through the same room for as long as the flood lasts.
        Future<List<Long>> roundTrips = pool.submit(() -> pingDuringFlood(carol, dave));

        long start = System.nanoTime();
        StringBuilder flood = new StringBuilder();
        for (int i = 0; i < LINES; i++) {
          flood.append("flood ").append(i).append('\n');
        }
        flooder.client.sendRaw(flood.toString().getBytes(UTF_8)); // all of it at once
        long floodEnd = bobDone.get(60, TimeUnit.SECONDS);
        List<Long> trips = roundTrips.get(30, TimeUnit.SECONDS);
        bob.readUntil(LINES, trips.size());
        flooder.readUntil(LINES, trips.size());

        double seconds = (floodEnd - start) / 1e9;
        double minimum = (LINES - RATE) / (double) RATE * 0.8; // a burst of RATE lines is free
        long slowest = trips.stream().mapToLong(Long::longValue).max().orElseThrow();
        System.out.printf("flood of %d lines at rate-limit %d took %.1f s (at least %.1f s"
                + " expected); %d round trips of others during it, slowest %d ms%n", LINES, RATE,
            seconds, minimum, trips.size(), slowest);
        assertTrue(seconds >= minimum, "the flood went through in " + seconds + " s");
        assertTrue(seconds < LINES / (double) RATE * 3, "the flood took " + seconds + " s");
        assertTrue(trips.size() >= 5, "too few round trips: " + trips.size());
        // Generous for a busy machine: a round trip waiting behind the flood takes seconds.
        assertTrue(slowest < 2000, "a round trip took " + slowest + " ms during the flood");

        // Nobody was disconnected: everyone is still there and hears everyone.
        all.get(0).send("done");
        for (ChatClient member : all) {
          member.expectLine("[flooder] done");
          member.expectNothing(Duration.ofMillis(200));
        }
        all.get(3).send("/who");
        all.get(3).expectLine("*** Users online: bob, carol, dave, flooder");
      } finally {
        pool.shutdownNow();
      }
    }
  }

  /**
   * carol sends a ping about every 100 flood lines and waits until she and dave have it.
   * Returns each round trip in milliseconds.
   */
  private static List<Long> pingDuringFlood(Member carol, Member dave) {
    List<Long> trips = new ArrayList<>();
    while (carol.flood < LINES) {
      int ping = trips.size();
      long sent = System.nanoTime();
      carol.client.send("ping " + ping);
      carol.readUntil(carol.flood, ping + 1);
      dave.readUntil(dave.flood, ping + 1);
      trips.add((System.nanoTime() - sent) / 1_000_000);
      carol.readUntil(Math.min(LINES, carol.flood + 100), ping + 1);
    }
    dave.readUntil(LINES, trips.size());
    return trips;
  }

  /** A member's view of the room: the flooder's lines and carol's pings, each in order. */
  private static final class Member {
    final ChatClient client;
    int flood;
    int pings;

    Member(ChatClient client) {
      this.client = client;
    }

    /** Reads until it has seen {@code floods} flood lines and {@code pingCount} pings. */
    void readUntil(int floods, int pingCount) {
      while (flood < floods || pings < pingCount) {
        String line = client.readLine();
        if (line.equals("[flooder] flood " + flood)) {
          flood++;
        } else if (line.equals("[carol] ping " + pings)) {
          pings++;
        } else {
          fail("expected flood line " + flood + " or ping " + pings + ", got: " + line);
        }
      }
    }
  }
}
