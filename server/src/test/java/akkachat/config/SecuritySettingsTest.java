package akkachat.config;

import akkachat.support.TestKeys;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static akkachat.config.Settings.with;
import static akkachat.config.Settings.refused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The settings of PROTOCOL.md section 7: TLS listener, token login, TLS between nodes. */
class SecuritySettingsTest {
  private static final String SECRET = "a-secret-of-forty-bytes-for-the-tests!!!";

  @TempDir
  static Path dir;
  private static TestKeys keys;

  @BeforeAll
  static void makeKeys() {
    keys = TestKeys.generate(dir, "server");
  }

  @Test
  void everythingIsOffByDefault() {
    assumeTrue(System.getenv("CHAT_TLS") == null && System.getenv("CHAT_AUTH") == null
        && System.getenv("CLUSTER_TLS") == null, "set in the environment");
    ChatSettings s = ChatSettings.fromConfig(ConfigFactory.load());
    assertFalse(s.tls().enabled());
    assertTrue(s.tls().plaintext());
    assertEquals(6697, s.tls().port());
    assertEquals(AuthSettings.Mode.NONE, s.auth().mode());
    assertEquals(Duration.ofHours(24), s.auth().tokenTtl());
  }

  @Test
  void tokenLoginNeedsASecret() {
    refused("auth.mode = token, auth.secret = \"\"", "auth.secret");
  }

  @Test
  void tokenLoginNeedsASecretOfAtLeast32BytesAndNeverShowsIt() {
    String short31 = "x".repeat(31);
    String message = refused("auth.mode = token, auth.secret = \"" + short31 + "\"", "auth.secret");
    assertFalse(message.contains(short31), message);
    assertTrue(message.contains("32"), message);
    // 32 bytes, counted as UTF-8: 16 two-byte characters are enough.
    assertEquals(AuthSettings.Mode.TOKEN,
        with("auth.mode = token, auth.secret = \"" + "é".repeat(16) + "\"").auth().mode());
  }

  @Test
  void aGoodSecretIsKeptButNeverPrinted() {
    ChatSettings s = with("auth.mode = TOKEN, auth.secret = \"" + SECRET + "\"");
    assertTrue(s.auth().tokens());
    assertEquals(new Secret(SECRET), s.auth().secret());
    assertFalse(s.toString().contains(SECRET), s.toString());
    assertFalse(s.auth().toString().contains(SECRET));
  }

  @Test
  void unknownAuthModeIsRefused() {
    refused("auth.mode = password", "auth.mode");
  }

  @Test
  void authAsAPlainWordAsInTheProtocolIsAccepted() {
    assertEquals(AuthSettings.Mode.NONE, with("auth = none").auth().mode());
    if (System.getenv("CHAT_AUTH_SECRET") == null) {
      // the word form takes the secret from CHAT_AUTH_SECRET only
      String message = refused("auth = token", "auth");
      assertTrue(message.contains("CHAT_AUTH_SECRET"), message);
    }
    refused("auth = password", "auth");
  }

  @Test
  void tokenTtlMustBePositive() {
    refused("auth.token-ttl = 0s", "auth.token-ttl");
  }

  @Test
  void tlsNeedsAKeyStoreThatOpensWithItsPassword() {
    refused("tls.enabled = on", "tls.key-store");
    refused("tls.enabled = on, tls.key-store = \"" + dir.resolve("missing.p12") + "\"",
        "tls.key-store");
    String message = refused("tls.enabled = on, tls.key-store = \"" + keys.keyStore()
        + "\", tls.key-store-password = \"wrong-password\"", "tls.key-store");
    assertFalse(message.contains("wrong-password"), message);
    assertFalse(message.contains(keys.password()), message);
  }

  @Test
  void aFileThatIsNoKeyStoreIsRefused() throws Exception {
    Path junk = Files.writeString(dir.resolve("junk.p12"), "not a key store");
    refused("tls.enabled = on, tls.key-store = \"" + junk + "\", tls.key-store-password = x",
        "tls.key-store");
  }

  @Test
  void aGoodKeyStoreIsAccepted() {
    ChatSettings s = with("tls.enabled = on, tls.port = 7000, tls.key-store = \""
        + keys.keyStore() + "\", tls.key-store-password = \"" + keys.password() + "\"");
    assertTrue(s.tls().enabled());
    assertEquals(7000, s.tls().port());
    assertFalse(s.toString().contains(keys.password()), s.toString());
  }

  @Test
  void plaintextOffNeedsTls() {
    refused("tls.enabled = off, tls.plaintext = off", "tls.plaintext");
  }

  @Test
  void bothPortsMustDiffer() {
    refused("port = 7000, tls.port = 7000, tls.enabled = on, tls.key-store = \""
        + keys.keyStore() + "\", tls.key-store-password = \"" + keys.password() + "\"",
        "tls.port");
  }

  @Test
  void tlsPortMustBeAPort() {
    refused("tls.port = 70000", "tls.port");
  }

  @Test
  void clusterTlsNeedsKeyStoreAndTrustStore() {
    refused("cluster.tls.enabled = on", "cluster.tls.key-store");
    refused("cluster.tls { enabled = on, key-store = \"" + keys.keyStore()
        + "\", key-store-password = \"" + keys.password() + "\" }", "cluster.tls.trust-store");
    refused("cluster.tls { enabled = on, key-store = \"" + keys.keyStore()
        + "\", key-store-password = \"" + keys.password() + "\", trust-store = \""
        + keys.keyStore() + "\", trust-store-password = nope }", "cluster.tls.trust-store");
  }

  @Test
  void clusterTlsSwitchesArteryToTlsTcp() {
    Config plain = ChatConfig.load(ConfigFactory.empty());
    assertEquals("tcp", plain.getString("akka.remote.artery.transport"));
    Config tls = ChatConfig.load(ConfigFactory.parseString(keys.clusterHocon()));
    assertEquals("tls-tcp", tls.getString("akka.remote.artery.transport"));
    Config engine = tls.getConfig("akka.remote.artery.ssl.config-ssl-engine");
    assertEquals(keys.keyStore().toString(), engine.getString("key-store"));
    assertEquals(keys.keyStore().toString(), engine.getString("trust-store"));
    assertEquals(keys.password(), engine.getString("key-password"));
    assertEquals("TLSv1.3", engine.getString("protocol"));
    assertTrue(engine.getBoolean("require-mutual-authentication"));
    ChatSettings.fromConfig(tls); // and the stores open
  }
}
