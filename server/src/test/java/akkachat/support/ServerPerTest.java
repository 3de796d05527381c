package akkachat.support;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * A test class whose every test talks to a fresh single-node server of its own, started on a
 * free port before the test and stopped (with every client still open) after it.
 */
public abstract class ServerPerTest {
  protected TestServer server;

  @BeforeEach
  void startServer() {
    server = TestServer.start();
  }

  @AfterEach
  void stopServer() {
    server.close();
  }
}
