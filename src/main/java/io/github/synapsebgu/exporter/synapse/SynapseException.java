package io.github.synapsebgu.exporter.synapse;

import io.github.synapsebgu.exporter.source.SourceException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A failed call to Synapse's admin API, classified. Carries what Synapse said ({@code errcode},
 * {@code error}) when it answered with its own JSON error body, so callers can pass refusals
 * through unchanged. Never carries the token.
 */
public final class SynapseException extends SourceException {
  private static final long serialVersionUID = 1L;

  /** The source name of everything {@link SynapseClient} calls. */
  public static final String SOURCE = "admin_api";

  private final FailureReason reason;
  private final int httpStatus;
  private final String errcode;
  private final String error;

  public SynapseException(FailureReason reason, String message) {
    this(reason, message, 0, null, null);
  }

  public SynapseException(
      FailureReason reason, String message, int httpStatus, String errcode, String error) {
    super(SOURCE, reason, message);
    this.reason = reason;
    this.httpStatus = httpStatus;
    this.errcode = errcode;
    this.error = error;
  }

  @Override
  public FailureReason reason() {
    return reason;
  }

  /** The HTTP status and Matrix error code, when Synapse answered. */
  @Override
  public Map<String, Object> details() {
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("status", httpStatus == 0 ? null : httpStatus);
    details.put("errcode", errcode);
    return details;
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

  /**
   * True when Synapse itself answered and turned this request down: a 4xx with a Matrix error code,
   * other than the auth and routing answers (401, 403, 404), which mean the API cannot be used at
   * all rather than that this request was wrong. Such a refusal is the request's answer, to pass on
   * as it is; anything else is a failure to reach the API.
   */
  public boolean refusedBySynapse() {
    return reason == FailureReason.HTTP_OTHER
        && httpStatus >= 400
        && httpStatus < 500
        && errcode != null;
  }
}
