package akkachat.config;

import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.List;

import static akkachat.config.Settings.with;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class ChatSettingsTest {

  @Test
  void loadsDefaultsFromReferenceConf() {
    ChatSettings s = ChatSettings.fromConfig(ConfigFactory.load());
    assertEquals(List.of("Welcome to akka-chat!"), s.banner());
    assertEquals("lobby", s.defaultRoom());
    assertEquals(Duration.ofSeconds(60), s.loginTimeout());
    assertEquals("60 seconds", s.loginTimeoutText());
    assertEquals(Duration.ofMinutes(5), s.idleTimeout());
    assertEquals("5 minutes", s.idleTimeoutText());
    assertEquals(4096, s.maxLineBytes());
    assertEquals(1000, s.sendQueueLimit());
    assertEquals(Duration.ofSeconds(5), s.slowReaderTimeout());
    assertEquals(8L * 1024 * 1024, s.sendQueueMaxBytes());
    assertEquals(20, s.rateLimit());
    assertEquals(10000, s.maxConnections());
    assertEquals(100, s.maxConnectionsPerIp());
    assertEquals("lf", s.lineEnding());
    assertEquals("\n", s.newline());
    assertTrue(s.requestTimeout().compareTo(Duration.ZERO) > 0);
    assertTrue(s.shutdownGrace().compareTo(Duration.ZERO) > 0);
  }

  @Test
  void defaultsToListenOnEveryAddressOnPort6677() {
    // reference.conf lets CHAT_HOST / CHAT_PORT override these; only check the plain defaults.
    assumeTrue(System.getenv("CHAT_HOST") == null && System.getenv("CHAT_PORT") == null);
    ChatSettings s = ChatSettings.fromConfig(ConfigFactory.load());
    assertEquals("0.0.0.0", s.host());
    assertEquals(6677, s.port());
  }

  @Test
  void overridesAreRead() {
    ChatSettings s = with("port = 0, max-line-bytes = 100, default-room = Dev, "
        + "slow-reader-timeout = 500ms, send-queue-max-bytes = 20MB, "
        + "banner = [\"one\", \"two\"], line-ending = CRLF");
    assertEquals(0, s.port());
    assertEquals(100, s.maxLineBytes());
    assertEquals(Duration.ofMillis(500), s.slowReaderTimeout());
    assertEquals(20_000_000L, s.sendQueueMaxBytes());
    assertEquals("dev", s.defaultRoom());
    assertEquals(List.of("one", "two"), s.banner());
    assertEquals("crlf", s.lineEnding());
    assertEquals("\r\n", s.newline());
  }

  @ParameterizedTest(name = "{0} = {1}")
  @CsvSource(delimiter = '|', value = {
      "port | 70000",
      "port | -1",
      "line-ending | cr",
      "login-timeout | -5s",
      "login-timeout | 0s",
      "idle-timeout | 0s",
      "idle-timeout | -1m",
      "request-timeout | 0s",
      "shutdown-grace | -1s",
      "max-line-bytes | 0",
      "send-queue-limit | 0",
      "slow-reader-timeout | 0s",
      "slow-reader-timeout | -1s",
      "send-queue-max-bytes | 64k",
      "send-queue-max-bytes | lots",
      "node-lag-limit | 0",
      "rate-limit | 0",
      "max-connections | 0",
      "max-connections-per-ip | -3",
      "default-room | \"bad room\"",
      "host | \"  \"",
  })
  void rejectsBadValueNamingTheKey(String key, String value) {
    ConfigException.BadValue e =
        assertThrows(ConfigException.BadValue.class, () -> with(key + " = " + value));
    assertTrue(e.getMessage().contains("akka-chat." + key), e.getMessage());
  }

  @ParameterizedTest(name = "{0} is shown as {1}")
  @CsvSource(delimiter = '|', value = {
      "60s | 60 seconds",
      "60 seconds | 60 seconds",
      "5m | 5 minutes",
      "1 minute | 1 minute",
      "1m | 1 minute",
      "90s | 90 seconds",
      "1.5m | 90 seconds",
      "2h | 2 hours",
  })
  void showsDurationsInTheUnitAsWritten(String written, String shown) {
    ChatSettings s = with("login-timeout = \"" + written + "\", idle-timeout = \"" + written + "\"");
    assertEquals(shown, s.loginTimeoutText());
    assertEquals(shown, s.idleTimeoutText());
  }

  @Test
  void describesDurationInLargestWholeUnit() {
    assertEquals("1 minute", ChatSettings.describe(Duration.ofSeconds(60)));
    assertEquals("5 minutes", ChatSettings.describe(Duration.ofMinutes(5)));
    assertEquals("1 minute", ChatSettings.describe(Duration.ofMinutes(1)));
    assertEquals("90 seconds", ChatSettings.describe(Duration.ofSeconds(90)));
    assertEquals("1500 milliseconds", ChatSettings.describe(Duration.ofMillis(1500)));
    assertEquals("1 day", ChatSettings.describe(Duration.ofDays(1)));
  }
}
