package akkachat.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akkachat.protocol.Lines;
import akkachat.support.ChatClient;
import akkachat.support.TestServer;
import akkachat.support.WsClient;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The browser's transport over real sockets, with the JDK's WebSocket client: one text frame per
 * line each way, the same session, rooms, limits and departures as a TCP client's.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class WebSocketTest {

  @Test
  void aBrowserLogsInWithThePromptAsAFrameOfItsOwn() {
    try (TestServer server = TestServer.start()) {
      WsClient ws = server.connectWs();
      ws.expectFrame("Welcome to akka-chat!");
      ws.expectFrame("Please enter your username: ");
      ws.send("alice\n"); // a line break at the end of a frame is dropped
      ws.expectFrame("Welcome, alice");
      ws.expectFrame("*** Users online: alice");
      ws.expectFrame("*** alice just joined the chatroom");
      ws.send("/quit");
      ws.expectFrame(Lines.BYE);
      ws.expectClosed();
    }
  }

  @Test
  void aBrowserAndAnNcUserChatBothWaysInTheSameRoom() {
    try (TestServer server = TestServer.start()) {
      ChatClient bob = server.login("bob");
      WsClient alice = server.loginWs("alice");
      bob.expectLine("*** alice just joined the chatroom");
      alice.send("hi bob");
      alice.expectFrame("[alice] hi bob");
      bob.expectLine("[alice] hi bob");
      bob.send("hi alice");
      bob.expectLine("[bob] hi alice");
      alice.expectFrame("[bob] hi alice");
      alice.send("/msg bob psst");
      alice.expectFrame("[alice -> bob] psst");
      bob.expectLine("[alice -> bob] psst");
      bob.send("/who");
      bob.expectLine("*** Users online: alice, bob");
    }
  }

  @Test
  void tooLongFramesBinaryFramesAndLongSplitMessagesGetTheLongLineError() {
    try (TestServer server = TestServer.start("akka-chat.max-line-bytes = 100")) {
      WsClient ws = server.loginWs("alice");
      String tooLong = Lines.lineTooLong(100);
      ws.send("x".repeat(101));
      ws.expectFrame(tooLong);
      ws.send("é".repeat(51)); // 102 bytes in UTF-8
      ws.expectFrame(tooLong);
      ws.sendBinary(new byte[] {1, 2, 3});
      ws.expectFrame(tooLong);
      ws.sendInParts("y".repeat(60), "y".repeat(60));
      ws.expectFrame(tooLong);
      ws.sendInParts("z".repeat(50), "z".repeat(50));
      ws.expectFrame("[alice] " + "z".repeat(100));
    }
  }

  @Test
  void aVanishedBrowserIsReportedOnceAsDisconnected() {
    try (TestServer server = TestServer.start()) {
      ChatClient bob = server.login("bob");
      WsClient alice = server.loginWs("alice");
      bob.expectLine("*** alice just joined the chatroom");
      alice.abort();
      bob.expectLine("*** alice has disconnected");
      bob.send("still here");
      bob.expectLine("[bob] still here");
    }
  }

  /**
   * A quiet WebSocket is pinged (so proxies keep it), but pings are not the user's activity:
   * the idle timeout closes it all the same.
   */
  @Test
  void anIdleBrowserIsPingedAndStillClosedByTheIdleTimeout() {
    try (TestServer server = TestServer.start("akka-chat.idle-timeout = 3s\n"
        + "akka.http.server.websocket.periodic-keep-alive-max-idle = 200ms")) {
      WsClient alice = server.loginWs("alice");
      alice.awaitFrame(Lines.idleTimeout("3 seconds"));
      assertTrue(alice.pings() >= 2, "pings while quiet: " + alice.pings());
      alice.expectClosed();
    }
  }

  @Test
  void connectionLimitsCountWebSockets() {
    try (TestServer server = TestServer.start("akka-chat.max-connections-per-ip = 1")) {
      ChatClient bob = server.login("bob");
      WsClient refused = server.connectWs();
      refused.expectFrame(Lines.SERVER_FULL);
      refused.expectClosed();
      bob.send("/quit");
      bob.expectLine(Lines.BYE);
      bob.expectClosed();
      server.loginWs("alice"); // its place is free again
    }
  }

  @Test
  void anUpgradeFromAnotherSitesPageIsRefused() {
    try (TestServer server = TestServer.start(
        "akka-chat.http.allowed-origins = [\"https://chat.example.com\"]")) {
      int port = server.httpPort();
      URI ws = URI.create("ws://127.0.0.1:" + port + "/ws");
      assertEquals(403, WsClient.refusedStatus(ws, "https://evil.example.com"));
      assertEquals(403, WsClient.refusedStatus(ws, "http://127.0.0.1:" + (port + 1)));
      assertEquals(-1, WsClient.refusedStatus(ws, "http://127.0.0.1:" + port),
          "the page's own origin");
      assertEquals(-1, WsClient.refusedStatus(ws, "https://chat.example.com"),
          "an allowed origin");
      WsClient own = WsClient.connect(ws, "http://127.0.0.1:" + port);
      own.login("alice");
      own.close();
      assertTrue(port > 0);
    }
  }
}
