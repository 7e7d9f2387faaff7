package io.github.synapsebgu.exporter.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.LayoutBase;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import io.github.synapsebgu.exporter.config.LogSettings;
import org.slf4j.LoggerFactory;

/** Sends logs to stderr in the configured format and level. */
public final class LoggingSetup {
  private LoggingSetup() {}

  public static void apply(LogSettings settings) {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    configure(context, settings);
  }

  static void configure(LoggerContext context, LogSettings settings) {
    context.reset();
    LayoutBase<ILoggingEvent> layout =
        settings.format() == LogSettings.Format.JSON ? new JsonLayout() : new LogfmtLayout();
    layout.setContext(context);
    layout.start();
    LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
    encoder.setContext(context);
    encoder.setLayout(layout);
    encoder.start();
    ConsoleAppender<ILoggingEvent> appender = new ConsoleAppender<>();
    appender.setContext(context);
    appender.setName("stderr");
    appender.setTarget("System.err");
    appender.setEncoder(encoder);
    appender.start();
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.toLevel(settings.level().name(), Level.INFO));
    root.addAppender(appender);
    // HttpClient logs request headers, the Authorization header included, at DEBUG: never let it.
    context.getLogger("org.apache.hc").setLevel(Level.WARN);
  }
}
