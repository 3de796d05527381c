package akkachat.config;

import com.typesafe.config.Config;

import java.io.File;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Collections;

/** Opens the key stores named in the settings, and checks them at start-up. */
public final class KeyStores {
  private KeyStores() {}

  /** Loads a key store file (PKCS12, or JKS), whatever its type, with its password. */
  public static KeyStore load(String path, Secret password)
      throws IOException, GeneralSecurityException {
    return KeyStore.getInstance(new File(path), password.chars());
  }

  /**
   * Checks that the key store at {@code akka-chat.<key>} opens with its password and, if
   * {@code needsKey}, holds a private key that the same password unlocks; otherwise throws a
   * bad-value error naming the key (never the password).
   */
  static void check(Config c, String key, Secret password, boolean needsKey, String when) {
    String path = c.getString(key).trim();
    if (path.isEmpty()) {
      throw ChatSettings.bad(c, key, "must name a key store file when " + when);
    }
    File file = new File(path);
    if (!file.isFile() || !file.canRead()) {
      throw ChatSettings.bad(c, key, "cannot read the key store file '" + path + "'");
    }
    try {
      KeyStore store = load(path, password);
      if (needsKey && !hasPrivateKey(store, password)) {
        throw ChatSettings.bad(c, key, "'" + path + "' holds no private key");
      }
    } catch (IOException | GeneralSecurityException e) {
      throw ChatSettings.bad(c, key, "cannot open '" + path + "' (wrong password or not a key "
          + "store): " + e.getMessage());
    }
  }

  private static boolean hasPrivateKey(KeyStore store, Secret password)
      throws GeneralSecurityException {
    for (String alias : Collections.list(store.aliases())) {
      if (store.isKeyEntry(alias) && store.getKey(alias, password.chars()) != null) {
        return true;
      }
    }
    return false;
  }
}
