package io.github.synapsebgu.exporter.synapse;

import io.github.synapsebgu.exporter.source.Reason;
import java.util.Locale;

/**
 * Why a request to Synapse's admin API failed: exactly one per failure, used as the {@code reason}
 * label.
 */
public enum FailureReason implements Reason {
  CONNECT("cannot connect to Synapse, or the connection broke"),
  TIMEOUT("Synapse did not answer within the request timeout"),
  TLS("TLS handshake failed (certificate not trusted, wrong host name or protocol)"),
  REDIRECT("Synapse answered with a redirect; configure the target URL directly"),
  UNAUTHORIZED("the access token was rejected (401)"),
  FORBIDDEN("the token's user is not a server admin (403)"),
  NOT_FOUND("the admin API was not found (404): wrong URL or path prefix, a worker, or not routed"),
  SERVER_ERROR("Synapse or a proxy in front of it failed (5xx)"),
  HTTP_OTHER("unexpected HTTP status"),
  INVALID_RESPONSE("the response is not the status JSON Synapse sends");

  private final String explanation;

  FailureReason(String explanation) {
    this.explanation = explanation;
  }

  /** The Prometheus label value. */
  @Override
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** One sentence for logs and error output that tells the operator what to check. */
  @Override
  public String explanation() {
    return explanation;
  }

  public static FailureReason forStatus(int status) {
    if (status >= 300 && status < 400) {
      return REDIRECT;
    }
    return switch (status) {
      case 401 -> UNAUTHORIZED;
      case 403 -> FORBIDDEN;
      case 404 -> NOT_FOUND;
      default -> status >= 500 && status < 600 ? SERVER_ERROR : HTTP_OTHER;
    };
  }
}
