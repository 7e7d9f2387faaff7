package io.github.synapsebgu.exporter.cli.commands;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The rules of {@code wait}.
 *
 * @param settlePolls how many polls in a row must show no current update
 * @param settleTime how far apart the first and last of those polls must be at least
 * @param timeout when to give up with exit 1; empty waits forever
 * @param maxUnreachable how long polls may keep failing before exit 3
 * @param allowPaused keep waiting while updates are paused instead of exiting 4
 */
public record WaitSettings(
    Duration pollInterval,
    int settlePolls,
    Duration settleTime,
    Optional<Duration> timeout,
    Duration maxUnreachable,
    boolean allowPaused) {

  public WaitSettings {
    Objects.requireNonNull(pollInterval, "pollInterval");
    Objects.requireNonNull(settleTime, "settleTime");
    Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(maxUnreachable, "maxUnreachable");
    if (settlePolls < 1) {
      throw new IllegalArgumentException("settlePolls must be at least 1");
    }
  }
}
