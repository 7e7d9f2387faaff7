package io.github.synapsebgu.exporter.cli.commands;

import io.github.synapsebgu.exporter.synapse.CurrentUpdate;
import io.github.synapsebgu.exporter.synapse.SynapseException;
import java.time.Duration;

/** A change that {@code wait} reports: each becomes one line of output. */
public sealed interface WaitEvent {
  /**
   * A database has an update it did not have at the last poll.
   *
   * @param seenAtStart the update was already running when {@code wait} first read the status
   */
  record Running(String database, CurrentUpdate update, boolean seenAtStart) implements WaitEvent {}

  /** The update a database had is gone or replaced by another. */
  record Finished(String database, String update) implements WaitEvent {}

  /** No database has a current update: settling starts. */
  record Idle() implements WaitEvent {}

  record Paused() implements WaitEvent {}

  record Resumed() implements WaitEvent {}

  /** A poll failed after a good one, or failed for a different reason than the one before. */
  record Unreachable(SynapseException failure) implements WaitEvent {}

  /** A poll succeeded after failing ones. */
  record Reachable(Duration after) implements WaitEvent {}

  /**
   * The number of rows left in Synapse's {@code background_updates} tables changed.
   *
   * @param most the most seen while waiting
   */
  record Queue(int left, int most) implements WaitEvent {}

  /** An optional source could not be read (first time, or for another reason than before). */
  record SourceFailed(String source, String reason, String message) implements WaitEvent {}
}
