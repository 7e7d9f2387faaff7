package io.github.synapsebgu.exporter.synapse;

import io.github.synapsebgu.exporter.secrets.Redactor;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import javax.net.ssl.SSLException;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.core5.http.MalformedChunkCodingException;
import org.apache.hc.core5.http.MessageConstraintException;
import org.apache.hc.core5.http.NoHttpResponseException;
import org.apache.hc.core5.http.ProtocolException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Turns what went wrong on the wire into one {@link FailureReason} and a message for humans. */
final class Failures {
  private static final JsonMapper MAPPER = JsonMapper.builder().build();
  private static final int SNIPPET_CHARS = 200;
  private static final int REDACTED_BYTES = 64 * 1024;

  private Failures() {}

  static SynapseException classify(Exception e) {
    Throwable root = e;
    // HttpClient wraps protocol problems; look at the whole chain for the telling type.
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SSLException) {
        return new SynapseException(FailureReason.TLS, "TLS failure: " + message(t));
      }
      root = t;
    }
    if (root instanceof ConnectTimeoutException || root instanceof SocketTimeoutException) {
      return new SynapseException(FailureReason.TIMEOUT, "timed out: " + message(root));
    }
    if (root instanceof UnknownHostException) {
      return new SynapseException(FailureReason.CONNECT, "unknown host: " + message(root));
    }
    if (root instanceof ConnectException || root instanceof NoRouteToHostException) {
      return new SynapseException(FailureReason.CONNECT, "cannot connect: " + message(root));
    }
    if (root instanceof NoHttpResponseException) {
      return new SynapseException(
          FailureReason.CONNECT, "the server closed the connection without answering");
    }
    if (root instanceof MalformedChunkCodingException
        || root instanceof ProtocolException
        || root instanceof MessageConstraintException) {
      // The parser quotes what it got, which may be binary: keep the log line printable.
      return new SynapseException(
          FailureReason.INVALID_RESPONSE, "not a valid HTTP response: " + printable(message(root)));
    }
    if (root instanceof InterruptedIOException) {
      return new SynapseException(FailureReason.TIMEOUT, "interrupted: " + message(root));
    }
    return new SynapseException(FailureReason.CONNECT, "connection failed: " + message(root));
  }

  /** A non-2xx answer: keep Synapse's errcode and error when it sent its JSON error body. */
  static SynapseException fromErrorStatus(int status, byte[] body, Redactor redactor) {
    FailureReason reason = FailureReason.forStatus(status);
    String errcode = null;
    String error = null;
    try {
      JsonNode json = MAPPER.readTree(body);
      if (json != null && json.isObject()) {
        errcode = json.path("errcode").isString() ? json.path("errcode").stringValue() : null;
        error = json.path("error").isString() ? json.path("error").stringValue() : null;
      }
    } catch (JacksonException notJson) {
      // a proxy's HTML page: the snippet below says what it was
    }
    // A proxy's JSON may quote the request too: what Synapse "said" is redacted like a page.
    // Synapse's own are a few words; anything longer is cut like a page's snippet.
    errcode = shortened(redactor.redact(errcode), 64);
    error = shortened(redactor.redact(error), SNIPPET_CHARS);
    String detail =
        errcode != null || error != null
            ? Objects.requireNonNullElse(errcode, "?")
                + ": "
                + Objects.requireNonNullElse(error, "")
            : snippet(body, redactor);
    return new SynapseException(
        reason,
        "HTTP " + status + " (" + reason.explanation() + "): " + detail,
        status,
        errcode,
        error);
  }

  /**
   * At most 200 printable characters of a body, for a log line that shows what a proxy answered,
   * without the process's secrets. The whole page read (an error page is read up to 64 KiB) is
   * redacted before it is cut, so a cut cannot leave half a token that the redactor would no longer
   * recognise.
   */
  static String snippet(byte[] body, Redactor redactor) {
    if (body.length == 0) {
      return "(empty body)";
    }
    String text =
        new String(body, 0, Math.min(body.length, REDACTED_BYTES), StandardCharsets.UTF_8);
    text = redactor.redact(text).replaceAll("[\\p{Cntrl}\\s]+", " ").strip();
    return text.length() > SNIPPET_CHARS ? text.substring(0, SNIPPET_CHARS) + "..." : text;
  }

  /** A failure as the rest of the process may see it: message and Synapse's text redacted. */
  static SynapseException redacted(SynapseException e, Redactor redactor) {
    return new SynapseException(
        e.reason(),
        redactor.redact(e.getMessage()),
        e.httpStatus(),
        redactor.redact(e.errcode().orElse(null)),
        redactor.redact(e.error().orElse(null)));
  }

  private static String shortened(String text, int chars) {
    return text == null || text.length() <= chars ? text : text.substring(0, chars) + "...";
  }

  static String stripUserInfo(String url) {
    return url.replaceFirst("^([a-zA-Z][a-zA-Z0-9+.-]*://)[^/@]*@", "$1");
  }

  static String printable(String text) {
    String clean = text.replaceAll("[^\\x20-\\x7e]", "?");
    return clean.length() > SNIPPET_CHARS ? clean.substring(0, SNIPPET_CHARS) + "..." : clean;
  }

  private static String message(Throwable t) {
    return Objects.requireNonNullElse(t.getMessage(), t.getClass().getSimpleName());
  }
}
