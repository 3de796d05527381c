package akkachat.hostile;

import akkachat.support.ChatClient;
import akkachat.support.LogCapture;
import akkachat.support.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * PROTOCOL.md section 5 under fire: many connections send random bytes, lines and commands
 * while two users chat. The pair only ever sees well-formed lines, the server logs no error and
 * stays up. Seeded: the seed is printed, {@code -Dfuzz.seed=N} runs the same fuzz again.
 */
class FuzzTest {
  private static final Duration FUZZ_TIME = Duration.ofSeconds(5);
  private static final int FUZZERS = 4;
  private static final int MAX_CONNECTIONS = 600;
  /** How long the connections the fuzzers left queued may take to be served, at most. */
  private static final Duration ACCEPT_QUEUE_DRAINED = Duration.ofSeconds(60);

  private static final String NAME = "[A-Za-z0-9_-]{1,24}";
  /** Every line someone who only chats can get from the server (PROTOCOL.md sections 1-4). */
  private static final List<Pattern> LINE_FORMS = List.of(
      Pattern.compile("\\[" + NAME + "] .*\\S.*"),
      Pattern.compile("\\[" + NAME + " -> \\S+] .*\\S.*"),
      Pattern.compile("\\* " + NAME + " .*\\S.*"),
      Pattern.compile("\\*\\*\\* " + NAME + " just joined the chatroom"),
      Pattern.compile("\\*\\*\\* " + NAME + " left the chatroom"),
      Pattern.compile("\\*\\*\\* " + NAME + " has disconnected"),
      Pattern.compile("\\*\\*\\* " + NAME + " is now known as " + NAME));

  @Test
  @Timeout(value = 90, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void randomInputFromManyClientsHurtsNobody() throws Exception {
    long seed = Long.getLong("fuzz.seed", System.nanoTime());
    System.out.println("fuzz seed: " + seed + " (run again with -Dfuzz.seed=" + seed + ")");
    ExecutorService pool = Executors.newFixedThreadPool(FUZZERS + 2);
    try (LogCapture log = LogCapture.errors();
         // The default rate limit: each connection's first 20 lines are parsed at once, the
         // rest slowly. A queue long enough that a starved test thread on a busy machine cannot
         // make one of the pair look like a slow reader (that is SlowReaderTest's subject).
         TestServer server = TestServer.start("akka-chat.send-queue-limit = 10000")) {
      List<ChatClient> pair = server.loginAll("alice", "bob");
      List<BlockingQueue<String>> chat = List.of(new LinkedBlockingQueue<>(),
          new LinkedBlockingQueue<>());
      List<Future<Integer>> readers = List.of(
          pool.submit(() -> readChecked(pair.get(0), chat.get(0))),
          pool.submit(() -> readChecked(pair.get(1), chat.get(1))));

      long end = System.nanoTime() + FUZZ_TIME.toNanos();
      AtomicInteger connections = new AtomicInteger();
      List<Future<?>> fuzzers = new ArrayList<>();
      for (int i = 0; i < FUZZERS; i++) {
        Random random = new Random(seed + 7919L * i);
        fuzzers.add(pool.submit(() -> fuzz(server.port, random, end, connections)));
      }

      // The pair chats all along: every line reaches both, in order, in good time.
      int exchanged = 0;
      long slowest = 0;
      while (System.nanoTime() < end || exchanged < 10) {
        String from = exchanged % 2 == 0 ? "alice" : "bob";
        long sent = System.nanoTime();
        pair.get(exchanged % 2).send("line " + exchanged);
        for (int m = 0; m < 2; m++) {
          assertEquals("[" + from + "] line " + exchanged, next(chat.get(m), readers.get(m)));
        }
        slowest = Math.max(slowest, (System.nanoTime() - sent) / 1_000_000);
        exchanged++;
      }
      for (Future<?> f : fuzzers) {
        f.get(30, TimeUnit.SECONDS);
      }

      // The server is still up: a newcomer logs in and is heard. The fuzzers may have left
      // hundreds of connections in the kernel's accept queue (1,024 deep), which the server
      // takes one at a time and serves first: on a loaded 2-core machine that can take more
      // than ChatClient's usual 10 s, so the banner gets longer.
      ChatClient carol = server.connect();
      assertEquals("Welcome to akka-chat!", carol.readLine(ACCEPT_QUEUE_DRAINED));
      carol.expectPrompt();
      carol.send("carol");
      carol.expectLine("Welcome, carol");
      carol.readUntil("*** carol just joined the chatroom");
      carol.send("hello after the fuzz");
      carol.readUntil("[carol] hello after the fuzz"); // the fuzzers' last lines may come first
      for (int m = 0; m < 2; m++) {
        assertEquals("[carol] hello after the fuzz", next(chat.get(m), readers.get(m)));
      }
      pair.get(0).send("END");
      int seen = 0;
      for (Future<Integer> r : readers) {
        seen += r.get(30, TimeUnit.SECONDS);
      }
      System.out.printf("fuzz: %d connections; the pair exchanged %d lines (slowest round trip"
          + " %d ms) and checked %d lines%n", connections.get(), exchanged, slowest, seen);

      log.flush(server.system);
      assertEquals(List.of(), log.errorsSoFar(), "errors logged during the fuzz");
    } finally {
      pool.shutdownNow();
    }
  }

  /** The next chat line a reader has passed on; if it has failed instead, its failure. */
  private static String next(BlockingQueue<String> chat, Future<Integer> reader) throws Exception {
    String line = chat.poll(ChatClient.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    if (line == null && reader.isDone()) {
      reader.get(); // throws what went wrong
    }
    return line;
  }

  /**
   * Reads until alice's END, failing on any line that is not UTF-8, holds a control character or
   * has none of the server's forms; hands the pair's own lines to {@code chat}.
   */
  private static int readChecked(ChatClient client, BlockingQueue<String> chat) {
    int lines = 0;
    while (true) {
      byte[] raw = client.tryReadLineBytes(Duration.ofSeconds(30));
      if (raw == null) {
        fail("connection closed");
      }
      String line = Wire.strictUtf8(raw);
      lines++;
      if (Wire.firstControl(line) >= 0
          || LINE_FORMS.stream().noneMatch(p -> p.matcher(line).matches())) {
        fail("malformed line: " + line + " (" + Wire.hex(raw) + ")");
      }
      if (line.equals("[alice] END")) {
        return lines;
      }
      if (line.startsWith("[alice] ") || line.startsWith("[bob] ") || line.startsWith("[carol] ")) {
        chat.add(line);
      }
    }
  }

  /** One fuzzing thread: connection after connection, each doing random things, until the end. */
  private static void fuzz(int port, Random random, long end, AtomicInteger connections) {
    List<Socket> open = new ArrayList<>();
    try {
      while (System.nanoTime() < end && connections.incrementAndGet() <= MAX_CONNECTIONS) {
        if (open.size() > 2) { // two stay open a while, still sending what the server has not read
          open.remove(0).close();
        }
        Socket socket = new Socket();
        open.add(socket);
        try {
          socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
          socket.setTcpNoDelay(random.nextBoolean());
          OutputStream out = socket.getOutputStream();
          InputStream in = socket.getInputStream();
          if (random.nextInt(3) > 0) {
            out.write((randomName(random) + "\n").getBytes(UTF_8));
          }
          int steps = random.nextInt(40);
          for (int i = 0; i < steps && System.nanoTime() < end; i++) {
            out.write(randomInput(random));
            if (random.nextInt(4) == 0) {
              out.flush();
            }
            while (in.available() > 0) {
              in.read(new byte[in.available()]);
            }
          }
          switch (random.nextInt(4)) {
            case 0 -> socket.close();
            case 1 -> {
              socket.setSoLinger(true, 0); // reset
              socket.close();
            }
            case 2 -> socket.shutdownOutput(); // stays half-open for a while
            default -> { } // stays open for a while
          }
        } catch (IOException e) {
          // the server closed it (/quit, a limit): on to the next one
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      for (Socket s : open) {
        try {
          s.close();
        } catch (IOException ignored) {
          // gone already
        }
      }
    }
  }

  private static String randomName(Random random) {
    return switch (random.nextInt(6)) {
      case 0 -> "alice";
      case 1 -> "BOB";
      case 2 -> new String(randomBytes(random, 1 + random.nextInt(30)), UTF_8);
      default -> "fz" + random.nextInt(100_000);
    };
  }

  private static final String[] COMMANDS = {"/help", "/who", "/rooms", "/join", "/msg", "/me",
      "/nick", "/quit", "/", "//", "/JOIN", "/Msg", "/foo", "/join #", "/join lobby", "/join dev",
      "/msg alice,bob", "/msg bob,", "/msg ,", "/nick alice", "/nick Bob", "/me  "};
  private static final String[] BREAKS = {"\n", "\r\n", "\r", "\n\n", "", "\r\r\n"};

  /** One random thing to send: bytes, a line, a command, a long line, telnet, bad UTF-8. */
  private static byte[] randomInput(Random random) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    String lineBreak = BREAKS[random.nextInt(BREAKS.length)];
    switch (random.nextInt(8)) {
      case 0 -> out.writeBytes(randomBytes(random, random.nextInt(2000)));
      case 1 -> out.writeBytes(randomText(random, random.nextInt(200)).getBytes(UTF_8));
      case 2, 3 -> {
        out.writeBytes(COMMANDS[random.nextInt(COMMANDS.length)].getBytes(UTF_8));
        if (random.nextBoolean()) {
          out.write(' ');
          out.writeBytes(randomText(random, random.nextInt(60)).getBytes(UTF_8));
        }
      }
      case 4 -> out.writeBytes(randomBytes(random, 4000 + random.nextInt(20_000)));
      case 5 -> {
        int[] telnet = {255, 250, 240, 251, 252, 253, 254, 241, 246, 0, 1, 24, 31, '\n'};
        for (int i = random.nextInt(30); i > 0; i--) {
          out.write(telnet[random.nextInt(telnet.length)]);
        }
      }
      case 6 -> {
        int[] bad = {0xC0, 0xC1, 0xE2, 0x82, 0xF0, 0x9F, 0x98, 0x80, 0xED, 0xA0, 0xFE, 0x1B,
            0x9B, 0xC2};
        for (int i = random.nextInt(30); i > 0; i--) {
          out.write(random.nextBoolean() ? bad[random.nextInt(bad.length)]
              : 'a' + random.nextInt(26));
        }
      }
      default -> out.writeBytes(("say " + randomText(random, random.nextInt(80))).getBytes(UTF_8));
    }
    out.writeBytes(lineBreak.getBytes(UTF_8));
    return out.toByteArray();
  }

  private static byte[] randomBytes(Random random, int length) {
    byte[] bytes = new byte[length];
    random.nextBytes(bytes);
    return bytes;
  }

  /** Printable text mixed with escapes, controls, bidi overrides and other scripts. */
  private static String randomText(Random random, int length) {
    String[] pieces = {"a", "Z", "0", " ", "\t", "\u001b[31m", "\u001b]0;t\u0007", "\u009b",
        "\u202e", "\u2066", "é", "€", "😀", "\u0000", "\u007f", "***", "[", "]", "->", "*", "/", ",",
        "\\"};
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < length; i++) {
      sb.append(pieces[random.nextInt(pieces.length)]);
    }
    return sb.toString();
  }
}
