package io.github.synapsebgu.exporter.source.database;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * What the PostgreSQL driver logs through java.util.logging (not through our SLF4J setup), at its
 * finest level, so a test can check the password is not in it either.
 */
final class JulCapture extends Handler implements AutoCloseable {
  private final Logger logger;
  private final Level previous;
  private final List<String> lines = new CopyOnWriteArrayList<>();

  JulCapture(String name) {
    logger = Logger.getLogger(name);
    previous = logger.getLevel();
    logger.setLevel(Level.FINEST);
    setLevel(Level.FINEST);
    logger.addHandler(this);
  }

  @Override
  public void publish(LogRecord record) {
    String message = record.getMessage();
    Object[] params = record.getParameters();
    if (params != null) {
      for (Object p : params) {
        message += " " + p;
      }
    }
    if (record.getThrown() != null) {
      message += " " + record.getThrown();
    }
    lines.add(message);
  }

  String all() {
    return String.join("\n", lines);
  }

  @Override
  public void flush() {}

  @Override
  public void close() {
    logger.removeHandler(this);
    logger.setLevel(previous);
  }
}
