package io.github.synapsebgu.exporter.admin;

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
 * a test sees exactly what an operator's log would hold. The fake homeserver's own logging is left
 * out: it is not the exporter's output.
 */
final class LogCapture extends AppenderBase<ILoggingEvent> implements AutoCloseable {
  private final List<String> lines = new CopyOnWriteArrayList<>();
  private final LogfmtLayout logfmt = new LogfmtLayout();
  private final JsonLayout json = new JsonLayout();
  private final Logger root;

  LogCapture() {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    setContext(context);
    logfmt.setContext(context);
    json.setContext(context);
    logfmt.start();
    json.start();
    start();
    root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.addAppender(this);
  }

  @Override
  protected void append(ILoggingEvent event) {
    if (event.getLoggerName().contains("wiremock")) {
      return;
    }
    lines.add(logfmt.doLayout(event));
    lines.add(json.doLayout(event));
  }

  /** Logfmt lines only, one per event. */
  List<String> logfmtLines() {
    return lines.stream().filter(l -> !l.startsWith("{")).toList();
  }

  List<String> all() {
    return List.copyOf(lines);
  }

  @Override
  public void close() {
    root.detachAppender(this);
    stop();
  }
}
