package akkachat.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A fresh PKCS12 key store with one self-signed EC key pair, made by the JDK's keytool at test
 * time (no key material in the repository), and what a client needs to trust it.
 */
public record TestKeys(Path keyStore, String password) {

  /** A new key store {@code NAME.p12} in {@code dir}, with a random password. */
  public static TestKeys generate(Path dir, String name) {
    Path file = dir.resolve(name + ".p12");
    String password = "pw-" + UUID.randomUUID();
    Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
    try {
      Process p = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", name,
          "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost",
          "-validity", "3", "-storetype", "PKCS12", "-keystore", file.toString(),
          "-storepass", password, "-keypass", password, "-noprompt")
          .redirectErrorStream(true).start();
      p.getOutputStream().close();
      byte[] output;
      try (InputStream in = p.getInputStream()) {
        output = in.readAllBytes(); // ends when keytool exits
      }
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        fail("keytool did not finish");
      }
      assertEquals(0, p.exitValue(), "keytool: " + new String(output, StandardCharsets.UTF_8));
      return new TestKeys(file, password);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** A client context that trusts exactly this key store's certificate. */
  public SSLContext clientContext() {
    try {
      KeyStore store = KeyStore.getInstance(keyStore.toFile(), password.toCharArray());
      TrustManagerFactory trust =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(store);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, trust.getTrustManagers(), null);
      return context;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Settings for a TLS client listener on any free port with this key store. */
  public String listenerHocon() {
    return "akka-chat.tls { enabled = on, port = 0, key-store = \"" + keyStore
        + "\", key-store-password = \"" + password + "\" }\n";
  }

  /** Settings for TLS between cluster nodes, this key store being key store and trust store. */
  public String clusterHocon() {
    return "akka-chat.cluster.tls { enabled = on, key-store = \"" + keyStore
        + "\", key-store-password = \"" + password + "\", trust-store = \"" + keyStore
        + "\", trust-store-password = \"" + password + "\" }\n";
  }
}
