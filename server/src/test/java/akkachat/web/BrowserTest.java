package akkachat.web;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akkachat.auth.Tokens;
import akkachat.protocol.Lines;
import akkachat.support.ChatClient;
import akkachat.support.TestServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The chat page in a real headless Chromium against a real server: it logs in from the
 * server's prompt, chats both ways with an nc user, changes rooms through its room list, keeps
 * its member list current, shows markup in a message as text, reconnects after a shutdown and
 * asks for a token when the server does. Uses Debian's chromium and chromedriver
 * ({@link ChatPage}); skipped where they are not installed.
 */
@Timeout(value = 180, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class BrowserTest {
  private static final String HOSTILE = "<script>window.hacked=1</script><b>x</b>";
  /** Unlike a script tag, an event handler would run if this were ever parsed as markup. */
  private static final String HOSTILE_IMAGE = "<img src=x onerror=\"window.hacked=2\">";

  @TempDir
  Path profile;

  @Test
  void aBrowserChatsWithAnNcUserChangesRoomsAndShowsMarkupAsText() throws Exception {
    try (ChatPage page = ChatPage.start(profile); TestServer server = TestServer.start()) {
      WebDriver driver = page.driver;
      ChatClient bob = server.login("bob");

      driver.get("http://127.0.0.1:" + server.httpPort() + "/");
      page.wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("login-input")))
          .sendKeys("alice", Keys.ENTER);
      page.wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("line")));
      assertEquals("line", driver.switchTo().activeElement().getAttribute("id"),
          "after login the keyboard is in the input line");
      bob.expectLine("*** alice just joined the chatroom");
      page.await("members alice and bob", () -> page.members(), List.of("alice (you)", "bob"));
      page.await("the room, from /rooms", () -> page.text("room"), "lobby");

      bob.send("hello from nc");
      bob.expectLine("[bob] hello from nc");
      page.awaitLine("chat", "[bob] hello from nc");
      page.type("hello from the browser");
      bob.expectLine("[alice] hello from the browser");
      page.awaitLine("chat", "[alice] hello from the browser");
      bob.send("/me waves");
      bob.expectLine("* bob waves");
      page.awaitLine("action", "* bob waves");
      page.type("/msg bob see you in dev");
      bob.expectLine("[alice -> bob] see you in dev");
      page.awaitLine("pm", "[alice -> bob] see you in dev");
      page.type("/nosuch");
      page.awaitLine("error", "*** error: unknown command /nosuch (try /help)");
      page.screenshot("chat-page.png");

      long shown = page.lineCount();
      bob.send(HOSTILE);
      bob.send(HOSTILE_IMAGE);
      bob.expectLines("[bob] " + HOSTILE, "[bob] " + HOSTILE_IMAGE);
      page.await("two more lines", page::lineCount, shown + 2);
      assertAll("markup in a message is text",
          () -> assertEquals(List.of("[bob] " + HOSTILE, "[bob] " + HOSTILE_IMAGE),
              page.js("return Array.from(document.querySelectorAll('#log li'), li => li.textContent)"
                  + ".slice(-2)")),
          () -> assertEquals("undefined", page.js("return typeof window.hacked"),
              "a script from a message ran"),
          () -> assertEquals(0L, page.js(
                  "return document.querySelectorAll('#log b, #log script, #log img').length"),
              "markup from a message became elements"));

      driver.findElement(By.id("join-input")).sendKeys("dev", Keys.ENTER);
      bob.expectLine("*** alice left the chatroom");
      page.await("the room", () -> page.text("room"), "dev");
      page.awaitLine("notice", "*** Now chatting in room dev");
      page.await("members of dev", () -> page.members(), List.of("alice (you)"));
      page.await("the room list", () -> page.rooms(), List.of("dev (1)", "lobby (1)"));

      ChatClient carol = server.login("carol");
      carol.send("/join dev");
      carol.readUntil("*** carol just joined the chatroom");
      bob.expectLines("*** carol just joined the chatroom", "*** carol left the chatroom");
      page.await("carol in the members", () -> page.members(), List.of("alice (you)", "carol"));
      carol.send("/quit");
      carol.readUntil(Lines.BYE);
      page.awaitLine("notice", "*** carol has disconnected");
      page.await("carol gone from the members", () -> page.members(), List.of("alice (you)"));

      page.wait.until(ExpectedConditions.elementToBeClickable(
          By.xpath("//ul[@id='rooms']//button[starts-with(., 'lobby')]"))).click();
      bob.expectLine("*** alice just joined the chatroom");
      page.await("back in lobby", () -> page.text("room"), "lobby");
      page.await("members of lobby", () -> page.members(), List.of("alice (you)", "bob"));

      // A phone: the members and rooms fold away behind a button, reachable from the keyboard.
      driver.manage().window().setSize(new Dimension(390, 700));
      WebElement toggle = page.wait.until(
          ExpectedConditions.visibilityOfElementLocated(By.id("toggle-side")));
      page.wait.until(ExpectedConditions.invisibilityOfElementLocated(By.id("side")));
      assertTrue(driver.findElement(By.id("line")).isDisplayed(), "the input line on a phone");
      toggle.sendKeys(Keys.ENTER);
      page.wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("members")));
      assertEquals("true", toggle.getAttribute("aria-expanded"));
      page.screenshot("chat-page-phone.png");
      driver.findElement(By.id("refresh-rooms")).sendKeys(Keys.ESCAPE);
      page.wait.until(ExpectedConditions.invisibilityOfElementLocated(By.id("side")));
      assertEquals("false", toggle.getAttribute("aria-expanded"));
    }
  }

  @Test
  void afterAShutdownThePageSaysSoReconnectsAndLogsInAgainIntoItsRoom() throws Exception {
    try (ChatPage page = ChatPage.start(profile)) {
      WebDriver driver = page.driver;
      int httpPort;
      try (TestServer first = TestServer.start()) {
        httpPort = first.httpPort();
        driver.get("http://127.0.0.1:" + httpPort + "/");
        page.wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("login-input")))
            .sendKeys("alice", Keys.ENTER);
        page.type("/join dev");
        page.await("the room", () -> page.text("room"), "dev");
        first.shutdownGracefully();
        page.awaitLine("notice", Lines.SHUTTING_DOWN);
        page.await("the page's own notice", () -> page.lines().stream().anyMatch(
            l -> l.toString().startsWith("The server is shutting down. Reconnecting in ")), true);
      }
      // The same address again, as after a restart; the page is retrying meanwhile.
      try (TestServer second = TestServer.start("akka-chat.http.port = " + httpPort)) {
        ChatClient bob = second.login("bob");
        WebDriverWait restart = new WebDriverWait(driver, Duration.ofSeconds(60));
        restart.until(d -> page.lines().contains("Reconnected as alice."));
        bob.expectLines("*** alice just joined the chatroom", "*** alice left the chatroom");
        page.await("back in dev", () -> page.text("room"), "dev");
        page.await("members of dev", () -> page.members(), List.of("alice (you)"));
        page.await("the status", () -> page.text("status"), "");
        page.type("back again");
        page.awaitLine("chat", "[alice] back again");
      }
    }
  }

  @Test
  void withTokenLoginThePageAsksForTheTokenWhenTheServerDoes() {
    String secret = "the-chat-secret-for-browser-tests-0123456789";
    Tokens tokens = new Tokens(secret.getBytes(StandardCharsets.UTF_8), Clock.systemUTC());
    try (ChatPage page = ChatPage.start(profile); TestServer server = TestServer.start(
        "akka-chat.auth { mode = token, secret = \"" + secret + "\" }")) {
      WebDriver driver = page.driver;
      driver.get("http://127.0.0.1:" + server.httpPort() + "/");
      WebElement input = page.wait.until(
          ExpectedConditions.visibilityOfElementLocated(By.id("login-input")));
      page.await("the name field", () -> page.text("login-label"), "Your name");
      input.sendKeys("alice", Keys.ENTER);
      page.await("the token field", () -> page.text("login-label"), "Token for alice");
      assertEquals("password", input.getAttribute("type"));
      input.sendKeys("not-a-token", Keys.ENTER);
      page.await("the refusal and the name again", () -> page.text("login-error")
          + " / " + page.text("login-label"), "error: invalid token / Your name");
      assertEquals("alice", input.getAttribute("value"), "the name is kept for a second try");
      input.sendKeys(Keys.ENTER);
      page.await("the token field", () -> page.text("login-label"), "Token for alice");
      input.sendKeys(tokens.issue("alice", Duration.ofHours(1)), Keys.ENTER);
      page.wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("line")));
      page.awaitLine("system", "Welcome, alice");
      page.await("members", () -> page.members(), List.of("alice (you)"));
    }
  }
}
