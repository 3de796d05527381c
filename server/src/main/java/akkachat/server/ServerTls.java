package akkachat.server;

import akka.NotUsed;
import akka.stream.IgnoreCancel$;
import akka.stream.TLSClosing;
import akka.stream.TLSProtocol;
import akka.stream.javadsl.BidiFlow;
import akka.stream.javadsl.Flow;
import akka.stream.javadsl.TLS;
import akka.util.ByteString;
import akkachat.config.KeyStores;
import akkachat.config.TlsSettings;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLHandshakeException;

/**
 * TLS for the client listener: the server's {@link SSLContext} from the PKCS12 key store of
 * {@code akka-chat.tls}, and the Akka Streams TLS stage that sits between the socket and a
 * connection's line flow, so that flow (and the session behind it) is the same on both ports.
 */
final class ServerTls {
  private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};
  /** TLSClosing.ignoreCancel(), which Java cannot call (it clashes with an instance method). */
  private static final TLSClosing IGNORE_CANCEL = IgnoreCancel$.MODULE$;

  private ServerTls() {}

  static SSLContext context(TlsSettings tls) throws IOException, GeneralSecurityException {
    KeyStore store = KeyStores.load(tls.keyStore(), tls.keyStorePassword());
    KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keys.init(store, tls.keyStorePassword().chars());
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(keys.getKeyManagers(), null, null);
    return context;
  }

  /**
   * Socket bytes (TLS records) on the outside, the connection's cleartext bytes inside. The
   * connection closes (close_notify, then the socket) once the server has sent its last byte:
   * the session's end alone (inbound cancelled) does not cut off the lines still on their way.
   */
  static BidiFlow<ByteString, ByteString, ByteString, ByteString, NotUsed> layer(
      SSLContext context) {
    BidiFlow<TLSProtocol.SslTlsOutbound, ByteString, ByteString, TLSProtocol.SslTlsInbound,
        NotUsed> tls = TLS.create(() -> engine(context), IGNORE_CANCEL);
    BidiFlow<TLSProtocol.SslTlsInbound, ByteString, ByteString, TLSProtocol.SslTlsOutbound,
        NotUsed> bytes = BidiFlow.fromFlows(
            Flow.<TLSProtocol.SslTlsInbound>create()
                .filter(in -> in instanceof TLSProtocol.SessionBytes)
                .map(in -> ((TLSProtocol.SessionBytes) in).bytes()),
            Flow.<ByteString>create().<TLSProtocol.SslTlsOutbound>map(TLSProtocol.SendBytes::new));
    return tls.reversed().atop(bytes);
  }

  /** Whether a connection ended because its TLS handshake failed (no session could begin). */
  static boolean isHandshakeFailure(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof SSLHandshakeException) {
        return true;
      }
    }
    return false;
  }

  private static SSLEngine engine(SSLContext context) {
    SSLEngine engine = context.createSSLEngine();
    engine.setUseClientMode(false);
    engine.setEnabledProtocols(PROTOCOLS);
    return engine;
  }
}
