package akkachat.support;

import akka.actor.typed.ActorSystem;
import akka.event.Logging;
import akka.event.LoggingAdapter;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.AppenderBase;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Records the ERROR events logged anywhere in this JVM (server included) while it is attached
 * to the root logger: {@code try (LogCapture errors = LogCapture.errors()) { ... }}; and every
 * message that reaches the root logger, for tests of what is (not) logged.
 */
public final class LogCapture implements AutoCloseable {
  private final ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<String> messages = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<Marker> markers = new ConcurrentLinkedQueue<>();
  private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
  private final AppenderBase<ILoggingEvent> appender = new AppenderBase<>() {
    @Override
    protected void append(ILoggingEvent event) {
      markers.forEach(m -> m.seen(event.getFormattedMessage()));
      messages.add(describe(event));
      if (event.getLevel().isGreaterOrEqual(Level.ERROR)) {
        errors.add(describe(event));
      }
    }
  };

  private record Marker(String text, CountDownLatch latch) {
    void seen(String message) {
      if (text.equals(message)) {
        latch.countDown();
      }
    }
  }

  private LogCapture() {
    appender.setName("log-capture-" + UUID.randomUUID());
    appender.setContext(root.getLoggerContext());
    appender.start();
    root.addAppender(appender);
  }

  public static LogCapture errors() {
    return new LogCapture();
  }

  /** Each ERROR event so far: logger, message and the exception, if any. */
  public List<String> errorsSoFar() {
    return List.copyOf(errors);
  }

  /** Every event so far (INFO and up, as the test logging lets through), described as above. */
  public List<String> messagesSoFar() {
    return List.copyOf(messages);
  }

  /**
   * Waits until what Akka has logged through {@code system}'s event stream so far (failures of
   * actors and streams go that way, asynchronously) has reached this capture.
   */
  public void flush(ActorSystem<?> system) {
    Marker marker = new Marker("log-capture flush " + UUID.randomUUID(), new CountDownLatch(1));
    markers.add(marker);
    try {
      LoggingAdapter log = Logging.getLogger(system.classicSystem(), LogCapture.class);
      log.info(marker.text());
      if (!marker.latch().await(ChatClient.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        fail("the log did not catch up within " + ChatClient.TIMEOUT);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      fail("interrupted");
    } finally {
      markers.remove(marker);
    }
  }

  private static String describe(ILoggingEvent event) {
    StringBuilder sb = new StringBuilder()
        .append(event.getLoggerName()).append(": ").append(event.getFormattedMessage());
    for (IThrowableProxy t = event.getThrowableProxy(); t != null; t = t.getCause()) {
      sb.append(" | ").append(t.getClassName()).append(": ").append(t.getMessage());
    }
    return sb.toString();
  }

  @Override
  public void close() {
    root.detachAppender(appender);
    appender.stop();
  }
}
