package io.github.synapsebgu.exporter.signal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SIGHUP, the Unix way to ask a daemon to reload its configuration (as Prometheus does). The JDK's
 * only API for it is {@code sun.misc.Signal} (module jdk.unsupported, present in every JDK build):
 * kept to this one class, compiled on its own (see pom.xml), so nothing else touches it.
 */
public final class Hangup {
  private static final Logger log = LoggerFactory.getLogger(Hangup.class);

  private Hangup() {}

  /**
   * Runs {@code action} on the JVM's signal thread at each SIGHUP, instead of the JVM's default
   * (which ends the process). Where the platform has no SIGHUP, logs that only the other reload
   * triggers work.
   *
   * @return whether the handler is installed
   */
  public static boolean onHangup(Runnable action) {
    try {
      sun.misc.Signal.handle(
          new sun.misc.Signal("HUP"),
          signal -> {
            try {
              action.run();
            } catch (RuntimeException e) {
              log.atError().setCause(e).log("SIGHUP handler failed");
            }
          });
      return true;
    } catch (IllegalArgumentException e) {
      log.atInfo().log("No SIGHUP on this platform: reload with POST /-/reload or a file change");
      return false;
    }
  }
}
