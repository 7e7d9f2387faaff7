package io.github.synapsebgu.exporter.source;

import java.util.Map;

/**
 * A failed attempt to ask one source of a homeserver, classified: which source, and one {@link
 * Reason}. The message is for humans and never carries a secret.
 */
public abstract class SourceException extends Exception {
  private static final long serialVersionUID = 1L;

  private final String source;
  private final Reason reason;

  protected SourceException(String source, Reason reason, String message) {
    super(message);
    this.source = source;
    this.reason = reason;
  }

  /** Which source failed, e.g. {@code admin_api}. */
  public String source() {
    return source;
  }

  public Reason reason() {
    return reason;
  }

  /**
   * What the source itself said, as log fields in a fixed order (e.g. an HTTP status); a value may
   * be null when the source did not say it this time.
   */
  public Map<String, Object> details() {
    return Map.of();
  }
}
