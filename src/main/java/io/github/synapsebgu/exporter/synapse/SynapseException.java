package io.github.synapsebgu.exporter.synapse;

import java.util.Optional;

/**
 * A failed call to Synapse, classified. Carries what Synapse said ({@code errcode}, {@code error})
 * when it answered with its own JSON error body, so callers can pass refusals through unchanged.
 * Never carries the token.
 */
public final class SynapseException extends Exception {
  private static final long serialVersionUID = 1L;

  private final FailureReason reason;
  private final int httpStatus;
  private final String errcode;
  private final String error;

  public SynapseException(FailureReason reason, String message) {
    this(reason, message, 0, null, null);
  }

  public SynapseException(
      FailureReason reason, String message, int httpStatus, String errcode, String error) {
    super(message);
    this.reason = reason;
    this.httpStatus = httpStatus;
    this.errcode = errcode;
    this.error = error;
  }

  public FailureReason reason() {
    return reason;
  }

  /** The HTTP status Synapse answered, or 0 when there was no HTTP answer. */
  public int httpStatus() {
    return httpStatus;
  }

  public Optional<String> errcode() {
    return Optional.ofNullable(errcode);
  }

  public Optional<String> error() {
    return Optional.ofNullable(error);
  }
}
