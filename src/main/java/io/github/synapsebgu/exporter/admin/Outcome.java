package io.github.synapsebgu.exporter.admin;

import java.util.Locale;

/** How an admin API request ended: the {@code outcome} label and audit field. */
enum Outcome {
  OK,
  /** No, a malformed, or a wrong bearer token (401). */
  UNAUTHORIZED,
  /** Refused by the exporter before reaching Synapse: 400, 404, 405, 413, 415. */
  BAD_REQUEST,
  /** Synapse refused, failed or could not be reached (its 4xx passed through, or 502/503). */
  UPSTREAM_ERROR;

  String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
