package akkachat.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akkachat.support.TestServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The chat page as a browser gets it over real HTTP: one small file that loads in one round trip
 * (nothing else to fetch) and never turns server text into markup.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class PageTest {
  private static final int MAX_BYTES = 50 * 1024;
  /** Every attribute or CSS construct through which a page loads another resource. */
  private static final Pattern REFERENCE = Pattern.compile(
      "(?:\\b(?:src|href|action|srcset|poster)\\s*=\\s*[\"']?|url\\(\\s*[\"']?|@import\\s+[\"']?)"
          + "([^\"'\\s>)]*)", Pattern.CASE_INSENSITIVE);

  @Test
  void theRootIsOneSmallSelfContainedHtmlPageThatNeverUsesInnerHtml() throws Exception {
    try (TestServer server = TestServer.start()) {
      HttpResponse<byte[]> response = HttpClient.newBuilder()
          .connectTimeout(Duration.ofSeconds(10)).build()
          .send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort() + "/"))
              .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofByteArray());

      assertEquals(200, response.statusCode());
      String type = response.headers().firstValue("Content-Type").orElse("");
      assertTrue(type.toLowerCase(Locale.ROOT).startsWith("text/html"), type);
      byte[] body = response.body();
      assertTrue(body.length < MAX_BYTES, "the page is " + body.length + " bytes, over 50 KB");
      String page = new String(body, StandardCharsets.UTF_8);
      assertTrue(page.startsWith("<!DOCTYPE html>"), "an HTML page");

      List<String> outside = new ArrayList<>();
      Matcher m = REFERENCE.matcher(page);
      while (m.find()) {
        if (!m.group(1).startsWith("data:")) {
          outside.add(m.group());
        }
      }
      assertEquals(List.of(), outside, "references to other resources (only data: is allowed)");
      assertFalse(page.contains("innerHTML"),
          "server text must reach the page through textContent, never innerHTML");
      assertFalse(page.contains("outerHTML") || page.contains("insertAdjacentHTML")
          || page.contains("document.write"), "no other way of turning text into markup");
      assertTrue(page.contains("\"/ws\""), "the page connects to the WebSocket of its own host");
    }
  }
}
