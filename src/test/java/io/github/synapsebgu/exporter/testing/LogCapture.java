package io.github.synapsebgu.exporter.testing;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import io.github.synapsebgu.exporter.logging.JsonLayout;
import io.github.synapsebgu.exporter.logging.LogfmtLayout;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.LoggerFactory;

/**
 * Every line the exporter logs while open, rendered by the production layouts (logfmt and JSON), so
 * a test sees exactly what an operator's log would hold. Captures at debug, so a secret leaking
 * into a debug line is caught too. The fake homeserver's own logging is left out: it is not the
 * exporter's output.
 */
public final class LogCapture extends AppenderBase<ILoggingEvent> implements AutoCloseable {
  private final List<String> logfmtLines = new CopyOnWriteArrayList<>();
  private final List<String> jsonLines = new CopyOnWriteArrayList<>();
  private final LogfmtLayout logfmt = new LogfmtLayout();
  private final JsonLayout json = new JsonLayout();
  private final Logger root;
  private final Level previous;

  public LogCapture() {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    setContext(context);
    logfmt.setContext(context);
    json.setContext(context);
    logfmt.start();
    json.start();
    start();
    root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    previous = root.getLevel();
    root.setLevel(Level.DEBUG);
    root.addAppender(this);
  }

  @Override
  protected void append(ILoggingEvent event) {
    if (event.getLoggerName().contains("wiremock")) {
      return;
    }
    logfmtLines.add(logfmt.doLayout(event));
    jsonLines.add(json.doLayout(event));
  }

  /** Logfmt lines, one per event. */
  public List<String> lines() {
    return List.copyOf(logfmtLines);
  }

  /** Every event in both formats, for "never logged" checks. */
  public String all() {
    return String.join("", logfmtLines) + String.join("", jsonLines);
  }

  @Override
  public void close() {
    root.detachAppender(this);
    root.setLevel(previous);
    stop();
  }
}
