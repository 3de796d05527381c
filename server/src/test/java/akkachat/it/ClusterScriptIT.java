package akkachat.it;

import akkachat.support.Repository;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Runs scripts/cluster-test.sh against the built jar: three real processes, one of them
 * killed with kill -9. Part of `mvn verify`, after `package`.
 */
class ClusterScriptIT {

  @Test
  void threeProcessesChatAndSurviveKillNine() throws Exception {
    Path jar = Repository.serverJar();
    assertTrue(Files.isRegularFile(jar), "no jar at " + jar);
    Path log = Files.createTempFile("cluster-test", ".log");
    Process script = new ProcessBuilder("bash", "scripts/cluster-test.sh",
            jar.toAbsolutePath().toString())
        .directory(Repository.root().toFile())
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
    boolean finished = script.waitFor(5, TimeUnit.MINUTES);
    String output = Files.readString(log, StandardCharsets.UTF_8);
    System.out.println(output);
    if (!finished) {
      script.destroy(); // the script's trap stops the nodes it started
      script.waitFor(30, TimeUnit.SECONDS);
      fail("cluster-test.sh did not finish in 5 minutes:\n" + output);
    }
    assertEquals(0, script.exitValue(), output);
    assertTrue(output.contains("PASS"), output);
  }
}
