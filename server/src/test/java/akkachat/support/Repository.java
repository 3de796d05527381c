package akkachat.support;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Files of the repository, found from whatever directory the tests run in: Maven runs a
 * module's tests in the module's directory (server/), an IDE often in the repository root.
 */
public final class Repository {
  private Repository() {}

  /** The nearest directory, from the working directory up, that holds server/pom.xml. */
  public static Path root() {
    Path start = Path.of("").toAbsolutePath();
    for (Path dir = start; dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve("server/pom.xml"))) {
        return dir;
      }
    }
    throw new IllegalStateException("no server/pom.xml in " + start + " or above it");
  }

  /** {@code relative} (e.g. "docker/Dockerfile") in the repository root. */
  public static Path path(String relative) {
    return root().resolve(relative);
  }

  /**
   * The server jar `mvn package` built: failsafe's system property akka-chat.jar (the module's
   * build directory, which -DbuildDir moves), else server/target/akka-chat.jar.
   */
  public static Path serverJar() {
    String jar = System.getProperty("akka-chat.jar");
    return jar != null ? Path.of(jar) : path("server/target/akka-chat.jar");
  }
}
