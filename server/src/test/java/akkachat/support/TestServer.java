package akkachat.support;

import akka.actor.CoordinatedShutdown;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Adapter;
import akka.actor.typed.javadsl.AskPattern;
import akka.management.javadsl.AkkaManagement;
import akkachat.Guardian;
import akkachat.config.ChatConfig;
import akkachat.config.ChatSettings;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;

import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;

/** A whole chat node started inside a test, listening on a free loopback port. */
public final class TestServer implements AutoCloseable {
  private static final AtomicInteger COUNTER = new AtomicInteger();

  public final ActorSystem<Guardian.Command> system;
  public final ChatSettings settings;
  /** The plain port (with {@code tls.plaintext = off} the TLS port). */
  public final int port;
  /** The TLS port, or -1 if TLS is off. */
  public final int tlsPort;
  private final List<ChatClient> clients = new CopyOnWriteArrayList<>();
  private final List<WsClient> wsClients = new CopyOnWriteArrayList<>();

  private TestServer(ActorSystem<Guardian.Command> system, ChatSettings settings, int port,
      int tlsPort) {
    this.system = system;
    this.settings = settings;
    this.port = port;
    this.tlsPort = tlsPort;
  }

  /** Starts a node with the defaults overridden by {@code hocon} (keys under akka-chat). */
  public static TestServer start(String hocon) {
    return start("chat-test-" + COUNTER.incrementAndGet(), hocon, Duration.ofSeconds(10));
  }

  /**
   * Starts a node in an actor system named {@code systemName} (the nodes of one cluster need the
   * same name), with the defaults overridden by {@code hocon}; waits up to {@code upWithin} for
   * the node to be Up and listening.
   */
  public static TestServer start(String systemName, String hocon, Duration upWithin) {
    Config config = ChatConfig.load(ConfigFactory.parseString(
        "akka-chat { host = \"127.0.0.1\", port = 0, cluster.port = 0, cluster.seeds = \"\","
            + " management.port = 0, http.port = 0 }\n"
            + "akka.coordinated-shutdown.run-by-jvm-shutdown-hook = off\n"
            + hocon));
    ChatSettings settings = ChatSettings.fromConfig(config);
    ActorSystem<Guardian.Command> system =
        ActorSystem.create(Guardian.create(settings), systemName, config);
    try {
      int port = AskPattern.<Guardian.Command, InetSocketAddress>ask(system,
              Guardian.GetAddress::new, upWithin, system.scheduler())
          .toCompletableFuture().get(upWithin.toMillis() + 5_000, TimeUnit.MILLISECONDS)
          .getPort();
      int tlsPort = -1;
      Config bound = config;
      if (settings.tls().enabled()) {
        tlsPort = AskPattern.<Guardian.Command, InetSocketAddress>ask(system,
                Guardian.GetTlsAddress::new, upWithin, system.scheduler())
            .toCompletableFuture().get(upWithin.toMillis() + 5_000, TimeUnit.MILLISECONDS)
            .getPort();
        bound = bound.withValue("akka-chat.tls.port", ConfigValueFactory.fromAnyRef(tlsPort));
      }
      if (settings.tls().plaintext()) {
        bound = bound.withValue("akka-chat.port", ConfigValueFactory.fromAnyRef(port));
      }
      return new TestServer(system, ChatSettings.fromConfig(bound), port, tlsPort);
    } catch (Exception e) {
      system.terminate();
      throw new IllegalStateException("test server did not start", e);
    }
  }

  public static TestServer start() {
    return start("");
  }

  /** A new connection; {@link #close} closes it if the test has not. */
  public ChatClient connect() {
    return connect(s -> { });
  }

  /** A new connection whose socket {@code setup} configures first; closed as {@link #connect()}. */
  public ChatClient connect(ChatClient.SocketSetup setup) {
    ChatClient c = ChatClient.connect(port, setup);
    clients.add(c);
    return c;
  }

  /** A new TLS connection to {@link #tlsPort}, trusting what {@code context} trusts. */
  public ChatClient connectTls(SSLContext context) {
    ChatClient c = ChatClient.connectTls(tlsPort, context);
    clients.add(c);
    return c;
  }

  /** Connects and logs in as {@code name}, consuming the login lines. */
  public ChatClient login(String name) {
    ChatClient c = connect();
    c.login(name);
    return c;
  }

  /**
   * Logs in every name in turn into the default room (which must be empty); each client has
   * also read the join lines of the ones after it, so all of them are ready for the next line.
   */
  public List<ChatClient> loginAll(String... names) {
    List<ChatClient> logged = new ArrayList<>();
    for (String name : names) {
      ChatClient c = login(name);
      for (ChatClient earlier : logged) {
        earlier.expectLine("*** " + name + " just joined the chatroom");
      }
      logged.add(c);
    }
    return logged;
  }

  /**
   * The base address of the node's management port (health checks, metrics), once it listens;
   * the node must have it enabled.
   */
  public URI managementUri() {
    if (!settings.management().enabled()) {
      throw new IllegalStateException("management is off on this node");
    }
    try {
      return URI.create(AkkaManagement.get(Adapter.toClassic(system)).start()
          .toCompletableFuture().get(20, TimeUnit.SECONDS).toString());
    } catch (Exception e) {
      throw new IllegalStateException("management port did not start", e);
    }
  }

  /** The browser listener's port (page and WebSocket), once bound; it must be enabled. */
  public int httpPort() {
    try {
      return AskPattern.<Guardian.Command, InetSocketAddress>ask(system,
              Guardian.GetHttpAddress::new, Duration.ofSeconds(20), system.scheduler())
          .toCompletableFuture().get(30, TimeUnit.SECONDS).getPort();
    } catch (Exception e) {
      throw new IllegalStateException("browser listener did not start", e);
    }
  }

  /** A new browser connection: a WebSocket to {@code /ws}; closed as {@link #connect()}. */
  public WsClient connectWs() {
    WsClient c = WsClient.connect(URI.create("ws://127.0.0.1:" + httpPort() + "/ws"), null);
    wsClients.add(c);
    return c;
  }

  /** Connects over a WebSocket and logs in as {@code name}, consuming the login frames. */
  public WsClient loginWs(String name) {
    WsClient c = connectWs();
    c.login(name);
    return c;
  }

  /** Runs the node's coordinated shutdown, as Ctrl-C or SIGTERM would, and waits for it. */
  public void shutdownGracefully() {
    try {
      CoordinatedShutdown.get(system).runAll(CoordinatedShutdown.unknownReason())
          .toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("shutdown did not finish", e);
    }
  }

  /** Closes every client connected through this server that the test has not closed. */
  public void closeClients() {
    clients.forEach(ChatClient::close);
    wsClients.forEach(WsClient::close);
  }

  @Override
  public void close() {
    closeClients();
    system.terminate();
    try {
      system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("test server did not stop", e);
    }
  }
}
