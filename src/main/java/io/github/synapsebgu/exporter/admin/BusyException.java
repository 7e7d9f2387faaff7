package io.github.synapsebgu.exporter.admin;

/**
 * Another change to background updates still holds {@link TimedPause}'s lock after the wait: the
 * caller answers 503.
 */
final class BusyException extends Exception {
  private static final long serialVersionUID = 1L;

  BusyException() {
    super("another change to background updates is in progress", null, false, false);
  }
}
