package akkachat;

import akkachat.support.Repository;
import akkachat.support.TestServer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The container image's health check, run as Docker would run it (with bash) against a real
 * server's management port, an HTTP server that says it is not ready, a port that accepts but
 * never answers (a hung JVM whose kernel still accepts), and a closed port; and what the image is
 * built from and how its JVM is started.
 */
class ContainerTest {
  private static final Path DOCKERFILE = Repository.path("docker/Dockerfile");

  @Test
  void theHealthCheckPassesOnlyWhileTheNodeIsReady() throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/bin/bash")), "needs bash, as the image has");
    String check = healthCheck();
    try (TestServer server = TestServer.start()) {
      assertEquals(0, run(check, server.managementUri().getPort()), "a ready server");
    }
    HttpServer notReady = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(),
        0), 10);
    notReady.createContext("/ready", exchange -> {
      exchange.sendResponseHeaders(500, -1);
      exchange.close();
    });
    notReady.start();
    try {
      assertEquals(1, run(check, notReady.getAddress().getPort()), "a node not ready (500)");
    } finally {
      notReady.stop(0);
    }
    try (ServerSocket hung = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
      assertEquals(1, run(check, hung.getLocalPort()), "a port that accepts, but says nothing");
    }
    int closed;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closed = s.getLocalPort();
    }
    assertEquals(1, run(check, closed), "a port nobody listens on");
  }

  @Test
  void theImageIsBuiltFromPomAndSourcesOnlyAndItsJvmExitsWhenOutOfMemory() throws IOException {
    List<String> ignore = Files.readAllLines(Repository.path(".dockerignore")).stream()
        .map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
    assertEquals(
        List.of("*", "!pom.xml", "!server/pom.xml", "!server/src", "!bench/pom.xml"), ignore,
        "the build context: nothing (no target/, no .git), but the poms and server/src/");
    String entrypoint = Files.readString(DOCKERFILE).lines()
        .dropWhile(l -> !l.startsWith("ENTRYPOINT")).takeWhile(l -> !l.startsWith("#"))
        .reduce("", String::concat);
    assertTrue(entrypoint.contains("\"-XX:+ExitOnOutOfMemoryError\""), entrypoint);
  }

  /**
   * The script of the Dockerfile's {@code HEALTHCHECK ... CMD ["bash", "-c", SCRIPT]}, decoded
   * from JSON as Docker does.
   */
  private static String healthCheck() throws IOException {
    String dockerfile = Files.readString(DOCKERFILE).replace("\\\n", "");
    Matcher m = Pattern.compile("HEALTHCHECK [^\\n]*CMD (\\[.*\\])").matcher(dockerfile);
    assertTrue(m.find(), "no HEALTHCHECK ... CMD [...] in " + DOCKERFILE);
    List<String> command = List.of(new ObjectMapper().readValue(m.group(1), String[].class));
    assertEquals(List.of("bash", "-c"), command.subList(0, 2), "CMD [\"bash\", \"-c\", ...]");
    return command.get(2);
  }

  /** The check's exit status against the management port {@code port} of this machine. */
  private static int run(String check, int port) throws Exception {
    ProcessBuilder pb = new ProcessBuilder("bash", "-c", check).redirectErrorStream(true);
    pb.environment().putAll(Map.of("MANAGEMENT_HOST", "0.0.0.0",
        "MANAGEMENT_PORT", String.valueOf(port)));
    Process p = pb.start();
    // Docker's --timeout is 10 s; the check gives up on a silent port after 5.
    assertTrue(p.waitFor(30, TimeUnit.SECONDS), "the check did not end");
    return p.exitValue();
  }
}
