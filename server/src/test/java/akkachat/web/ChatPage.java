package akkachat.web;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The chat page in a headless Chromium, as BrowserTest reads and drives it: Debian's chromium
 * and chromedriver by path, so Selenium Manager never downloads anything. Every wait has a
 * deadline; nothing sleeps.
 */
final class ChatPage implements AutoCloseable {
  private static final File CHROMIUM = new File("/usr/bin/chromium");
  private static final File CHROMEDRIVER = new File("/usr/bin/chromedriver");
  private static final Duration WAIT = Duration.ofSeconds(20);

  final ChromeDriver driver;
  final WebDriverWait wait;

  private ChatPage(ChromeDriver driver) {
    this.driver = driver;
    this.wait = new WebDriverWait(driver, WAIT);
  }

  /**
   * Starts headless Chromium with a fresh profile in {@code profile}; the test is skipped if
   * chromium or chromedriver is not installed.
   */
  static ChatPage start(Path profile) {
    assumeTrue(CHROMIUM.canExecute() && CHROMEDRIVER.canExecute(),
        "needs /usr/bin/chromium and /usr/bin/chromedriver: "
            + "sudo apt-get install -y chromium chromium-driver");
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM);
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic",
        "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--window-size=1000,700", "--user-data-dir=" + profile);
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(CHROMEDRIVER)
        .usingAnyFreePort()
        .build();
    return new ChatPage(new ChromeDriver(service, options));
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

  /** Saves a screenshot under the build directory (system property akka-chat.screenshots). */
  void screenshot(String name) throws IOException {
    Path dir = Path.of(System.getProperty("akka-chat.screenshots", "target"));
    Files.createDirectories(dir);
    File shot = driver.getScreenshotAs(OutputType.FILE);
    Files.copy(shot.toPath(), dir.resolve(name), StandardCopyOption.REPLACE_EXISTING);
    assertTrue(Files.size(dir.resolve(name)) > 0);
  }

  @Override
  public void close() {
    driver.quit();
  }
}
