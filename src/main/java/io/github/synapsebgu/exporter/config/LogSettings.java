package io.github.synapsebgu.exporter.config;

/** {@code --log.level} and {@code --log.format}. */
public record LogSettings(Level level, Format format) {
  public enum Level {
    DEBUG,
    INFO,
    WARN,
    ERROR
  }

  public enum Format {
    LOGFMT,
    JSON
  }

  public static LogSettings defaults() {
    return new LogSettings(Level.INFO, Format.LOGFMT);
  }
}
