package io.github.synapsebgu.exporter.admin;

import com.sun.net.httpserver.HttpExchange;
import io.github.synapsebgu.exporter.secrets.TokenSource;
import java.util.List;
import java.util.Locale;

/**
 * Checks {@code Authorization: Bearer <token>} against the admin token file (re-read when it
 * changes), in constant time.
 */
final class BearerAuth {
  static final String CHALLENGE = "Bearer realm=\"synapse-bgu-exporter admin API\"";

  private final TokenSource token;

  BearerAuth(TokenSource token) {
    this.token = token;
  }

  /**
   * @throws ApiError 401 with {@code WWW-Authenticate: Bearer ...}; the audit says why (missing,
   *     malformed, wrong) but never what was sent
   */
  void check(HttpExchange exchange) throws ApiError {
    List<String> headers = exchange.getRequestHeaders().get("Authorization");
    if (headers == null || headers.isEmpty()) {
      throw unauthorized("missing", "send the header Authorization: Bearer <admin API token>");
    }
    if (headers.size() > 1) {
      throw unauthorized("malformed", "send exactly one Authorization header");
    }
    String value = headers.get(0);
    // The scheme is case-insensitive (RFC 9110); the token is not.
    if (value.length() <= 7 || !value.substring(0, 7).toLowerCase(Locale.ROOT).equals("bearer ")) {
      throw unauthorized("malformed", "send the header Authorization: Bearer <admin API token>");
    }
    if (!token.current().matches(value.substring(7).strip())) {
      throw unauthorized("wrong_token", "the token is not the admin API token");
    }
  }

  private static ApiError unauthorized(String why, String detail) {
    return new ApiError(
        Reply.error(401, Outcome.UNAUTHORIZED, "unauthorized", detail)
            .withHeader("WWW-Authenticate", CHALLENGE)
            .withAudit("auth", why));
  }
}
