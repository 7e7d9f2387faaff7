package io.github.synapsebgu.exporter.poll;

import io.github.synapsebgu.exporter.source.Reason;
import io.github.synapsebgu.exporter.source.SourceException;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * Logs poll failures the way an operator wants to read them: once when polling starts failing (or
 * the reason changes), a reminder at most every {@code repeatEvery} while it persists, and once on
 * recovery.
 */
final class FailureLog {
  private final Logger log;
  private final Clock clock;
  private final Duration repeatEvery;
  private Reason failing;
  private long failingSinceMillis;
  private long lastLoggedMillis;
  private long failedPolls;
  private final String sourceKey;

  FailureLog(Logger log, Clock clock, Duration repeatEvery) {
    this(log, clock, repeatEvery, null);
  }

  /**
   * @param sourceKey logged as {@code source}, for the optional sources; null for the admin API,
   *     whose lines keep their keys
   */
  FailureLog(Logger log, Clock clock, Duration repeatEvery, String sourceKey) {
    this.log = log;
    this.clock = clock;
    this.repeatEvery = repeatEvery;
    this.sourceKey = sourceKey;
  }

  void failed(SourceException e) {
    long now = clock.millis();
    if (failing == null) {
      failingSinceMillis = now;
    }
    failedPolls++;
    boolean changed = !e.reason().equals(failing);
    if (changed || now - lastLoggedMillis >= repeatEvery.toMillis()) {
      LoggingEventBuilder line = log.atWarn();
      if (sourceKey != null) {
        line.addKeyValue("source", sourceKey);
      }
      line.addKeyValue("reason", e.reason().label());
      e.details().forEach(line::addKeyValue);
      line.addKeyValue("failing_for", Duration.ofMillis(now - failingSinceMillis).toSeconds() + "s")
          .addKeyValue("failed_polls", failedPolls)
          .addKeyValue("err", e.getMessage())
          .log(changed ? "Polling Synapse failed" : "Polling Synapse still failing");
      lastLoggedMillis = now;
    }
    failing = e.reason();
  }

  void recovered() {
    if (failing != null) {
      long now = clock.millis();
      LoggingEventBuilder line = log.atInfo();
      if (sourceKey != null) {
        line.addKeyValue("source", sourceKey);
      }
      line.addKeyValue("failed_for", Duration.ofMillis(now - failingSinceMillis).toSeconds() + "s")
          .addKeyValue("failed_polls", failedPolls)
          .log("Polling Synapse recovered");
      failing = null;
      failedPolls = 0;
    }
  }
}
