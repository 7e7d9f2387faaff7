package io.github.synapsebgu.exporter.source.metrics;

import java.util.Optional;

/**
 * The state of one database's background updater, as Synapse's own gauge {@code
 * synapse_background_update_status} reports it (measured on Synapse 1.160: see
 * docs/synapse-admin-api.md, "Synapse's own metric").
 */
public enum UpdaterState {
  /** Five back-to-back failures: the updater stopped and retries only after a Synapse restart. */
  ABORTED(-1, "aborted"),
  /** Background updates switched off in Synapse's config or by the enabled API. */
  DISABLED(0, "disabled"),
  NOT_STARTED(1, "not_started"),
  /** Running an update, including the sleeps between its batches. */
  RUNNING(2, "running"),
  /** Nothing left to run. */
  COMPLETE(3, "complete");

  private final int code;
  private final String label;

  UpdaterState(int code, String label) {
    this.code = code;
    this.label = label;
  }

  /** The gauge's value for this state. */
  public int code() {
    return code;
  }

  /** The value of a {@code state} label, lower-case and stable. */
  public String label() {
    return label;
  }

  /** The state whose gauge value is exactly {@code value}; empty for anything else (NaN, 2.5). */
  public static Optional<UpdaterState> ofGaugeValue(double value) {
    for (UpdaterState state : values()) {
      if (state.code == value) {
        return Optional.of(state);
      }
    }
    return Optional.empty();
  }
}
