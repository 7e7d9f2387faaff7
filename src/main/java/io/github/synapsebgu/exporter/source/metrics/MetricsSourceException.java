package io.github.synapsebgu.exporter.source.metrics;

import io.github.synapsebgu.exporter.source.SourceException;

/**
 * A read of Synapse's metrics endpoint that gave no usable answer. The message is for operators: it
 * names the problem and never carries a secret (this source sends none).
 */
public final class MetricsSourceException extends SourceException {
  private static final long serialVersionUID = 1L;

  /** The source name, as in {@code synapse_background_updates_source_up{source}}. */
  public static final String SOURCE = "synapse_metrics";

  /** Why the read failed; {@link #label()} is the {@code reason} label. */
  public enum Reason implements io.github.synapsebgu.exporter.source.Reason {
    CONNECT("connect", "cannot connect to Synapse's metrics listener, or the connection broke"),
    TIMEOUT("timeout", "Synapse's metrics listener did not send its answer within the timeout"),
    HTTP_STATUS(
        "http_status",
        "Synapse's metrics listener answered with a status other than 200: check the URL"
            + " (the main process's listener of type metrics, path /_synapse/metrics)"),
    TOO_LARGE("too_large", "the metrics body is larger than the cap: is this Synapse?"),
    INVALID_DATA(
        "invalid_data",
        "the body is not the Prometheus text format with synapse_background_update_status");

    private final String label;
    private final String explanation;

    Reason(String label, String explanation) {
      this.label = label;
      this.explanation = explanation;
    }

    @Override
    public String label() {
      return label;
    }

    @Override
    public String explanation() {
      return explanation;
    }
  }

  private final Reason reason;

  public MetricsSourceException(Reason reason, String message) {
    super(SOURCE, reason, message);
    this.reason = reason;
  }

  public MetricsSourceException(Reason reason, String message, Throwable cause) {
    this(reason, message);
    initCause(cause);
  }

  @Override
  public Reason reason() {
    return reason;
  }
}
