package akkachat.web;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import akkachat.protocol.Lines;
import akkachat.support.ChatClient;
import akkachat.support.TestServer;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The chat page in a real headless Chromium against a real server: it logs in from the
 * server's prompt, chats both ways with an nc user, changes rooms through its room list, keeps
 * its member list current, and shows markup in a message as text. Uses Debian's chromium and
 * chromedriver; skipped where they are not installed.
 */
@Timeout(value = 180, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class BrowserTest {
  private static final File CHROMIUM = new File("/usr/bin/chromium");
  private static final File CHROMEDRIVER = new File("/usr/bin/chromedriver");
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final String HOSTILE = "<script>window.hacked=1</script><b>x</b>";
  /** Unlike a script tag, an event handler would run if this were ever parsed as markup. */
  private static final String HOSTILE_IMAGE = "<img src=x onerror=\"window.hacked=2\">";

  @TempDir
  Path profile;

  @Test
  void aBrowserChatsWithAnNcUserChangesRoomsAndShowsMarkupAsText() throws Exception {
    assumeChromium();
    WebDriver driver = startChromium();
    try (TestServer server = TestServer.start()) {
      Page page = new Page(driver);
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
    } finally {
      driver.quit();
    }
  }

  @Test
  void afterAShutdownThePageSaysSoReconnectsAndLogsInAgainIntoItsRoom() throws Exception {
    assumeChromium();
    WebDriver driver = startChromium();
    try {
      Page page = new Page(driver);
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
    } finally {
      driver.quit();
    }
  }

  private static void assumeChromium() {
    assumeTrue(CHROMIUM.canExecute() && CHROMEDRIVER.canExecute(),
        "needs /usr/bin/chromium and /usr/bin/chromedriver: "
            + "sudo apt-get install -y chromium chromium-driver");
  }

  /** Headless Chromium with a fresh profile; Selenium Manager is never asked for anything. */
  private WebDriver startChromium() {
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM);
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic",
        "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--window-size=1000,700", "--user-data-dir=" + profile);
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(CHROMEDRIVER)
        .usingAnyFreePort()
        .build();
    return new ChromeDriver(service, options);
  }

  /** What the test reads from and does to the page; every wait has a deadline. */
  private static final class Page {
    final WebDriver driver;
    final WebDriverWait wait;

    Page(WebDriver driver) {
      this.driver = driver;
      this.wait = new WebDriverWait(driver, WAIT);
    }

    Object js(String script) {
      return ((JavascriptExecutor) driver).executeScript(script);
    }

    @SuppressWarnings("unchecked")
    List<Object> lines() {
      return (List<Object>) js("return Array.from(document.querySelectorAll('#log li'),"
          + " li => li.textContent)");
    }

    long lineCount() {
      return (Long) js("return document.querySelectorAll('#log li').length");
    }

    String text(String id) {
      return driver.findElement(By.id(id)).getText();
    }

    @SuppressWarnings("unchecked")
    List<Object> members() {
      return (List<Object>) js("return Array.from(document.querySelectorAll('#members button'),"
          + " b => b.textContent)");
    }

    @SuppressWarnings("unchecked")
    List<Object> rooms() {
      return (List<Object>) js("return Array.from(document.querySelectorAll('#rooms button'),"
          + " b => b.textContent)");
    }

    /** Types a line into the input and sends it with Enter. */
    void type(String line) {
      driver.findElement(By.id("line")).sendKeys(line, Keys.ENTER);
    }

    <T> void await(String what, Supplier<T> actual, T expected) {
      new WebDriverWait(driver, WAIT)
          .withMessage(() -> what + ": expected " + expected + " but was " + actual.get())
          .until(d -> expected.equals(actual.get()));
    }

    /** Waits for a line of the log with this text, drawn in the given style. */
    void awaitLine(String style, String text) {
      await("a '" + style + "' line " + text, () -> {
        Object found = ((JavascriptExecutor) driver).executeScript(
            "return Array.from(document.querySelectorAll('#log li'))"
                + ".some(li => li.textContent === arguments[0] && li.classList.contains(arguments[1]))",
            text, style);
        return found;
      }, Boolean.TRUE);
    }

    void screenshot(String name) throws java.io.IOException {
      Path dir = Path.of(System.getProperty("akka-chat.screenshots", "target"));
      Files.createDirectories(dir);
      File shot = ((ChromeDriver) driver).getScreenshotAs(OutputType.FILE);
      Files.copy(shot.toPath(), dir.resolve(name), StandardCopyOption.REPLACE_EXISTING);
      assertTrue(Files.size(dir.resolve(name)) > 0);
    }
  }
}
