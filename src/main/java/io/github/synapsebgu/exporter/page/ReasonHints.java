package io.github.synapsebgu.exporter.page;

import io.github.synapsebgu.exporter.source.Reason;
import io.github.synapsebgu.exporter.synapse.FailureReason;
import java.util.Map;

/**
 * What to do about a failed poll: for the admin API, the "What to do" column of the README's
 * "Troubleshooting by error reason" ({@code ReasonHintsTest} keeps the two equal); for the other
 * sources, their reason's own explanation.
 */
final class ReasonHints {
  static final Map<FailureReason, String> ADMIN_API =
      Map.of(
          FailureReason.CONNECT,
          "Is Synapse running? Is the URL's host and port right, from where the exporter runs?",
          FailureReason.TIMEOUT,
          "Synapse or its database overloaded; a proxy that holds requests; raise the timeout if"
              + " Synapse is just slow.",
          FailureReason.TLS,
          "Private CA: `--synapse.tls.ca-file`. Wrong host name in the certificate. http vs https"
              + " mixed up.",
          FailureReason.REDIRECT,
          "Set `--synapse.url` to the final URL the log shows (often `https://`).",
          FailureReason.UNAUTHORIZED,
          "Token expired, logged out, or the file holds something else. Log in again and rewrite"
              + " the token file.",
          FailureReason.FORBIDDEN,
          "Make the user an admin, or use an admin's token.",
          FailureReason.NOT_FOUND,
          "Wrong path prefix in the URL; pointed at a worker instead of the main process; a"
              + " reverse proxy that does not route `/_synapse/admin`.",
          FailureReason.SERVER_ERROR,
          "Synapse down behind its proxy, or failing: check its logs.",
          FailureReason.HTTP_OTHER,
          "The log shows the status and Synapse's error.",
          FailureReason.INVALID_RESPONSE,
          "Something else answers at that URL (a login portal, a maintenance page): check with"
              + " `curl`.");

  private ReasonHints() {}

  static String hint(Reason reason) {
    if (reason instanceof FailureReason f) {
      // The README's markup (backticks around flags) would show as such on the page.
      return f.explanation() + ". " + ADMIN_API.get(f).replace("`", "");
    }
    return reason.explanation();
  }
}
