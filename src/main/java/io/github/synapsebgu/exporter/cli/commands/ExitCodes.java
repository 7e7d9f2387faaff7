package io.github.synapsebgu.exporter.cli.commands;

/**
 * The exit codes of the daemon and the operator commands, declared here only; a deploy script
 * branches on these, so they are fixed.
 */
public final class ExitCodes {
  public static final int OK = 0;

  /** {@code wait}: --timeout reached. One-shot commands: Synapse refused the request. */
  public static final int TIMEOUT_OR_REFUSED = 1;

  /** The daemon: a failure at run time, e.g. its listen address is in use. */
  public static final int RUNTIME_FAILURE = 1;

  /** An invalid flag, value or file, for the daemon and every command. */
  public static final int USAGE = 2;

  /** Synapse could not be reached or its answer not used ({@code wait}: longer than allowed). */
  public static final int UNREACHABLE = 3;

  /** {@code wait}: background updates are paused and --allow-paused was not given. */
  public static final int PAUSED = 4;

  /**
   * {@code wait} with {@code --synapse.metrics-url}: Synapse's updater aborted (5 failures in a
   * row); it retries nothing until Synapse restarts, so waiting would never end.
   */
  public static final int ABORTED = 5;

  /** Interrupted by Ctrl-C (SIGINT), as shells report it: 128 + 2. */
  public static final int INTERRUPTED = 130;

  private ExitCodes() {}
}
