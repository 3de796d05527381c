package akkachat;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.AskPattern;
import akkachat.config.ChatConfig;
import akkachat.config.ChatSettings;
import akkachat.protocol.Lines;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The {@code selftest} command: starts a node of its own on free loopback ports (the jar's
 * defaults, not the operator's settings), logs a user in over TCP, says a line, waits for its
 * echo, quits and stops. Shows that the jar works on this machine; the build also runs it to
 * record the classes a node loads, so that the server starts faster (docs/OPERATIONS.md).
 */
final class SelfTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final String NAME = "selftest";

  private SelfTest() {}

  /** Returns the exit code: 0 if all went as the protocol says, else 1 with a line on err. */
  static int run(PrintStream out, PrintStream err) {
    Config config = ChatConfig.load(ConfigFactory.parseString(
        "akka-chat { host = \"127.0.0.1\", port = 0, cluster.port = 0, cluster.seeds = \"\","
            + " management { host = \"127.0.0.1\", port = 0 }, http.port = 0 }\n"
            + "akka.coordinated-shutdown.run-by-jvm-shutdown-hook = off"));
    ChatSettings settings = ChatSettings.fromConfig(config);
    ActorSystem<Guardian.Command> system =
        ActorSystem.create(Guardian.create(settings), "akka-chat-selftest", config);
    try {
      InetSocketAddress address = AskPattern.<Guardian.Command, InetSocketAddress>ask(system,
              Guardian.GetAddress::new, TIMEOUT, system.scheduler())
          .toCompletableFuture().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      chat(address.getPort(), new Lines(settings.newline()));
      out.println("akka-chat: selftest ok");
      return 0;
    } catch (Exception e) {
      err.println("akka-chat: selftest failed: " + e);
      return 1;
    } finally {
      system.terminate();
      try {
        system.getWhenTerminated().toCompletableFuture()
            .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      } catch (Exception e) {
        err.println("akka-chat: selftest: the node did not stop: " + e);
      }
    }
  }

  private static void chat(int port, Lines lines) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout((int) TIMEOUT.toMillis());
      BufferedReader in = new BufferedReader(
          new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
      OutputStream toServer = socket.getOutputStream();
      write(toServer, NAME); // the prompt has no line break: answer it before reading
      skipTo(in, Lines.PROMPT + Lines.welcome(NAME));
      write(toServer, "hello");
      skipTo(in, "[" + NAME + "] hello");
      write(toServer, "/quit");
      skipTo(in, Lines.BYE);
    }
  }

  private static void write(OutputStream out, String line) throws IOException {
    out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  private static void skipTo(BufferedReader in, String line) throws IOException {
    for (String got = in.readLine(); !line.equals(got); got = in.readLine()) {
      if (got == null) {
        throw new IOException("connection closed before '" + line + "'");
      }
    }
  }
}
