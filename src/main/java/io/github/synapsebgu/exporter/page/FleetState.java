package io.github.synapsebgu.exporter.page;

/**
 * A homeserver's state in one word, most urgent first: the fleet table's order without JavaScript
 * and its counts.
 */
public enum FleetState {
  /** The admin API's last poll failed, or an optional source's. */
  FAILING("failing", "Failing"),
  /** Synapse's updater stopped after five failures in a row on some database. */
  ABORTED("aborted", "Aborted"),
  /** Background updates are switched off. */
  PAUSED("paused", "Paused"),
  /** An update runs, or the queue is not empty. */
  RUNNING("running", "Running"),
  /** The first poll has not finished. */
  STARTING("starting", "Starting"),
  /** Nothing runs, nothing is pending, the updater is complete where known. */
  SAFE("safe", "Safe to upgrade");

  private final String label;
  private final String title;

  FleetState(String label, String title) {
    this.label = label;
    this.title = title;
  }

  /** Lower case and stable: the JSON value and the filter's. */
  public String label() {
    return label;
  }

  public String title() {
    return title;
  }
}
