package io.github.synapsebgu.exporter.admin;

import java.util.Locale;

/** What an admin API request asked for: the {@code action} label and audit field. */
enum Action {
  STATUS,
  ENABLE,
  DISABLE,
  START_JOB;

  /**
   * A request to {@code /api/v1/enabled} refused before its body said which way (401, 405, 413,
   * 415, unreadable JSON) counts as a pause attempt: pausing is the change worth watching.
   */
  static final Action UNREAD_ENABLED_REQUEST = DISABLE;

  String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
