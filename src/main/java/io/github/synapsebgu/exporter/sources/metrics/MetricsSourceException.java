package io.github.synapsebgu.exporter.sources.metrics;

/**
 * A read of Synapse's metrics endpoint that gave no usable answer. The message is for operators: it
 * names the problem and never carries a secret (this source sends none).
 */
public final class MetricsSourceException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Why the read failed; {@link #label()} is meant for a {@code reason} label. */
  public enum Reason {
    CONNECT("connect"),
    TIMEOUT("timeout"),
    /** An answer other than 200. */
    HTTP_STATUS("http_status"),
    /** A body over the cap. */
    TOO_LARGE("too_large"),
    /** Not the Prometheus text format, or not the values Synapse's gauge takes. */
    INVALID_DATA("invalid_data");

    private final String label;

    Reason(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }

  private final Reason reason;

  public MetricsSourceException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public MetricsSourceException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
