package akkachat.protocol;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

class SanitizerTest {

  @Test
  void keepsPlainTextUnchanged() {
    String line = "hello this is dog [x] * / ~";
    assertSame(line, Sanitizer.clean(line));
  }

  @Test
  void keepsNormalUnicode() {
    String line = "héllo wörld 日本語 Ελληνικά עברית 😀 \u00A0nbsp \u200Dzwj";
    assertEquals(line, Sanitizer.clean(line));
  }

  @Test
  void turnsTabIntoSpace() {
    assertEquals("a b  c", Sanitizer.clean("a\tb\t\tc"));
  }

  @Test
  void removesEveryC0ControlExceptTab() {
    for (char c = 0; c < 0x20; c++) {
      if (c == '\t') {
        continue;
      }
      assertEquals("ab", Sanitizer.clean("a" + c + "b"), "U+" + Integer.toHexString(c));
    }
  }

  @Test
  void removesEscapeSoNoTerminalSequenceSurvives() {
    assertEquals("[31mred[0m", Sanitizer.clean("\u001B[31mred\u001B[0m"));
    assertEquals("]0;title", Sanitizer.clean("\u001B]0;title\u0007"));
  }

  @Test
  void removesDel() {
    assertEquals("ab", Sanitizer.clean("a\u007Fb"));
  }

  @Test
  void removesEveryC1Control() {
    for (char c = 0x80; c <= 0x9F; c++) {
      assertEquals("ab", Sanitizer.clean("a" + c + "b"), "U+" + Integer.toHexString(c));
    }
  }

  @Test
  void removesBidiOverridesAndIsolates() {
    for (char c = 0x202A; c <= 0x202E; c++) {
      assertEquals("ab", Sanitizer.clean("a" + c + "b"), "U+" + Integer.toHexString(c));
    }
    for (char c = 0x2066; c <= 0x2069; c++) {
      assertEquals("ab", Sanitizer.clean("a" + c + "b"), "U+" + Integer.toHexString(c));
    }
  }

  @Test
  void keepsCharactersNextToTheRemovedRanges() {
    String neighbours = "\u0020\u007E\u00A0\u2029\u202F\u2065\u206A";
    assertEquals(neighbours, Sanitizer.clean(neighbours));
  }

  @Test
  void cleansMixedLineInOnePass() {
    assertEquals("evil admin: hi ",
        Sanitizer.clean("\u0000evil\u202E admin:\u0085 hi\u001B\t"));
  }

  @Test
  void removesEverythingFromLineOfOnlyControls() {
    assertEquals("", Sanitizer.clean("\u0000\u001B\u007F\u009B\u202E\r"));
  }
}
