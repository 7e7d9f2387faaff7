package io.github.synapsebgu.exporter.testing;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.github.synapsebgu.exporter.logging.LogfmtLayout;
import java.util.List;
import java.util.stream.Collectors;
import org.slf4j.LoggerFactory;

/** Collects every log event of the process, rendered as the logfmt lines an operator would see. */
public final class LogCapture implements AutoCloseable {
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
  private final Logger root;
  private final LogfmtLayout layout = new LogfmtLayout();
  private final ch.qos.logback.classic.Level previous;

  public LogCapture() {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    previous = root.getLevel();
    // Capture at debug, so a secret leaking into a debug line is caught too.
    root.setLevel(ch.qos.logback.classic.Level.DEBUG);
    appender.setContext(context);
    appender.start();
    layout.setContext(context);
    layout.start();
    root.addAppender(appender);
  }

  public List<String> lines() {
    synchronized (appender.list) {
      return appender.list.stream().map(layout::doLayout).collect(Collectors.toList());
    }
  }

  public String all() {
    return String.join("", lines());
  }

  @Override
  public void close() {
    root.detachAppender(appender);
    root.setLevel(previous);
  }
}
