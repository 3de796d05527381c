package akkachat.it;

import akkachat.auth.Tokens;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** The built jar as an operator starts it: environment, -D settings, and a bad setting. */
class StartupIT {
  private static final Path JAR = Path.of(System.getProperty("akka-chat.jar", "target/akka-chat.jar"));

  @Test
  void aBadSettingStopsStartUpWithOneLineNamingTheKey() throws Exception {
    Path err = Files.createTempFile("startup", ".err");
    Process p = new ProcessBuilder("java", "-Dakka-chat.port=70000", "-jar", JAR.toString())
        .redirectError(err.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      fail("the server did not stop on a bad setting");
    }
    List<String> lines = Files.readAllLines(err, StandardCharsets.UTF_8);
    assertEquals(2, p.exitValue(), String.join("\n", lines));
    assertEquals(1, lines.size(), "one line, no stack trace: " + lines);
    assertTrue(lines.get(0).contains("akka-chat.port"), lines.get(0));
  }

  @Test
  void tokenLoginWithoutASecretStopsStartUpWithOneLine() throws Exception {
    Path err = Files.createTempFile("startup", ".err");
    ProcessBuilder pb = new ProcessBuilder("java", "-Dakka-chat.auth.mode=token", "-jar",
        JAR.toString())
        .redirectError(err.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD);
    pb.environment().remove("CHAT_AUTH_SECRET");
    Process p = pb.start();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      fail("the server did not stop without a secret");
    }
    List<String> lines = Files.readAllLines(err, StandardCharsets.UTF_8);
    assertEquals(2, p.exitValue(), String.join("\n", lines));
    assertEquals(1, lines.size(), "one line, no stack trace: " + lines);
    assertTrue(lines.get(0).contains("akka-chat.auth.secret"), lines.get(0));
  }

  @Test
  void theTokenCommandPrintsATokenSignedWithTheSecretFromTheEnvironment() throws Exception {
    Path out = Files.createTempFile("token", ".out");
    ProcessBuilder pb = new ProcessBuilder("java", "-jar", JAR.toString(), "token", "Alice",
        "--ttl", "2h")
        .redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD);
    String secret = "a-secret-from-the-environment-0123456789";
    pb.environment().put("CHAT_AUTH_SECRET", secret);
    Process p = pb.start();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      fail("the token command did not finish");
    }
    assertEquals(0, p.exitValue());
    List<String> lines = Files.readAllLines(out, StandardCharsets.UTF_8);
    assertEquals(1, lines.size(), lines.toString());
    Tokens tokens = new Tokens(secret.getBytes(StandardCharsets.UTF_8), Clock.systemUTC());
    assertEquals(Tokens.Check.VALID, tokens.check(lines.get(0), "alice"));
  }

  @Test
  void chatPortFromTheEnvironmentIsWhereItListens() throws Exception {
    int port = freePort();
    int clusterPort = freePort();
    Path out = Files.createTempFile("startup", ".out");
    ProcessBuilder pb = new ProcessBuilder("java", "-jar", JAR.toString())
        .redirectErrorStream(true).redirectOutput(out.toFile());
    pb.environment().put("CHAT_HOST", "127.0.0.1");
    pb.environment().put("CHAT_PORT", Integer.toString(port));
    pb.environment().put("CLUSTER_PORT", Integer.toString(clusterPort));
    Process p = pb.start();
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      String log = "";
      while (!log.contains("listening on 127.0.0.1:" + port)) {
        if (System.nanoTime() > deadline || !p.isAlive()) {
          fail("not listening on " + port + ":\n" + log);
        }
        // Polling a log file that a separate process writes: bounded by the deadline above.
        p.waitFor(100, TimeUnit.MILLISECONDS);
        log = Files.readString(out, StandardCharsets.UTF_8);
      }
      try (Socket s = new Socket("127.0.0.1", port)) {
        s.setSoTimeout(10_000);
        byte[] banner = "Welcome to akka-chat!\n".getBytes(StandardCharsets.UTF_8);
        assertEquals("Welcome to akka-chat!\n",
            new String(s.getInputStream().readNBytes(banner.length), StandardCharsets.UTF_8));
      }
    } finally {
      p.destroy(); // SIGTERM: the graceful shutdown path
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        fail("the server did not stop on SIGTERM");
      }
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
