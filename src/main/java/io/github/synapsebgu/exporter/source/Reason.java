package io.github.synapsebgu.exporter.source;

/**
 * Why asking one source of a homeserver failed: exactly one per failure. Each source has its own
 * set (the admin API's are {@code synapse.FailureReason}); a new source adds its own without
 * touching the others'.
 */
public interface Reason {
  /** The Prometheus {@code reason} label value, e.g. {@code timeout}. */
  String label();

  /**
   * One sentence for logs and error output that tells the operator what to check. It speaks of the
   * homeserver, never of a flag: the same reason applies whichever way the source was configured.
   */
  String explanation();
}
