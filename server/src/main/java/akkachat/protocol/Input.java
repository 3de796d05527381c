package akkachat.protocol;

/** What the framing stage hands a session for each line a client sends. */
public sealed interface Input {

  /** A complete line: decoded, with line breaks and control characters removed. */
  record Line(String text) implements Input {}

  /** A line longer than {@code max-line-bytes} was dropped whole. */
  record TooLong() implements Input {}
}
