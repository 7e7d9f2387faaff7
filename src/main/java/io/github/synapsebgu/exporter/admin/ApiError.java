package io.github.synapsebgu.exporter.admin;

/** Ends a request early with a prepared error {@link Reply}. */
final class ApiError extends Exception {
  private static final long serialVersionUID = 1L;

  private final transient Reply reply;

  ApiError(Reply reply) {
    // No stack trace: this is control flow, and it is never logged.
    super(reply.status() + " " + reply.outcome().label(), null, false, false);
    this.reply = reply;
  }

  Reply reply() {
    return reply;
  }
}
