package io.github.synapsebgu.exporter.synapse;

import io.github.synapsebgu.exporter.secrets.TokenSource;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.HttpHeaders;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;

/**
 * Calls Synapse's background-updates admin API. Every failure comes out as a {@link
 * SynapseException} with one {@link FailureReason}; the token is sent only to the configured URL
 * and never appears in an exception.
 */
public final class SynapseClient implements Closeable {
  static final String API = "/_synapse/admin/v1/background_updates/";

  /** The status body is a few hundred bytes; anything near this is not Synapse. */
  public static final int MAX_BODY_BYTES = 1024 * 1024;

  private final SynapseHttpSettings settings;
  private final TokenSource token;
  private final CloseableHttpClient http;
  private final String base;
  private final RequestDeadlines deadlines;
  // Set when the deadline timer is this client's own, so it goes with the client.
  private final RequestDeadlines ownDeadlines;

  /**
   * A client with a deadline timer of its own, closed with it: for a one-shot command or a test.
   */
  public SynapseClient(SynapseHttpSettings settings, TokenSource token, String userAgent) {
    this(settings, token, userAgent, new RequestDeadlines(), true);
  }

  /**
   * A client whose requests are cancelled at their deadline by the process's shared timer, which
   * the caller closes after the client.
   */
  public SynapseClient(
      SynapseHttpSettings settings,
      TokenSource token,
      String userAgent,
      RequestDeadlines deadlines) {
    this(settings, token, userAgent, deadlines, false);
  }

  private SynapseClient(
      SynapseHttpSettings settings,
      TokenSource token,
      String userAgent,
      RequestDeadlines deadlines,
      boolean own) {
    this.settings = settings;
    this.token = token;
    this.deadlines = deadlines;
    this.ownDeadlines = own ? deadlines : null;
    try {
      this.http = HttpClientFactory.create(settings, userAgent);
    } catch (RuntimeException e) {
      if (own) {
        deadlines.close();
      }
      throw e;
    }
    this.base = settings.baseUrl().toString().replaceAll("/+$", "");
  }

  public SynapseHttpSettings settings() {
    return settings;
  }

  /** {@code GET .../background_updates/status}, parsed and checked. */
  public StatusResponse fetchStatus() throws SynapseException {
    byte[] body = call(new HttpGet(base + API + "status"));
    try {
      return StatusParser.parse(body);
    } catch (InvalidResponseException e) {
      throw new SynapseException(FailureReason.INVALID_RESPONSE, e.getMessage());
    }
  }

  /** {@code GET .../background_updates/NAME}; returns the JSON body of a 2xx answer. */
  public byte[] get(String endpoint) throws SynapseException {
    return call(new HttpGet(base + API + endpoint));
  }

  /**
   * {@code POST .../background_updates/NAME} with a JSON body; returns the JSON body of a 2xx
   * answer.
   */
  public byte[] post(String endpoint, byte[] json) throws SynapseException {
    HttpPost post = new HttpPost(base + API + endpoint);
    post.setEntity(new ByteArrayEntity(json, ContentType.APPLICATION_JSON));
    return call(post);
  }

  private byte[] call(HttpUriRequestBase request) throws SynapseException {
    request.setHeader(HttpHeaders.AUTHORIZATION, "Bearer " + token.current().reveal());
    request.setHeader(HttpHeaders.ACCEPT, "application/json");
    AtomicBoolean expired = new AtomicBoolean();
    ScheduledFuture<?> deadline =
        deadlines.schedule(
            settings.timeout(),
            () -> {
              expired.set(true);
              request.cancel();
            });
    try {
      return http.execute(request, response -> read(request, response));
    } catch (IOException | RuntimeException e) {
      if (expired.get() && !(e instanceof UncheckedSynapse)) {
        throw timedOut();
      }
      throw Failures.classify(e);
    } finally {
      deadline.cancel(false);
    }
  }

  private SynapseException timedOut() {
    return new SynapseException(
        FailureReason.TIMEOUT,
        "no complete answer within " + settings.timeout().toMillis() + " ms (the request timeout)");
  }

  private byte[] read(HttpUriRequestBase request, ClassicHttpResponse response) throws IOException {
    int status = response.getCode();
    boolean ok = status >= 200 && status < 300;
    // Error pages are only quoted in a log line: 64 KiB is plenty, and the rest is never read.
    byte[] body = readUpTo(response.getEntity(), ok ? MAX_BODY_BYTES + 1 : 64 * 1024);
    if (body.length > MAX_BODY_BYTES || !ok) {
      // Abort instead of draining: the rest of a huge or dripping body is not worth waiting for.
      request.cancel();
    }
    if (body.length > MAX_BODY_BYTES) {
      throw new UncheckedSynapse(
          new SynapseException(
              FailureReason.INVALID_RESPONSE,
              "response body larger than 1 MiB, not read further",
              status,
              null,
              null));
    }
    if (status >= 300 && status < 400) {
      Header location = response.getFirstHeader(HttpHeaders.LOCATION);
      throw new UncheckedSynapse(
          new SynapseException(
              FailureReason.REDIRECT,
              "Synapse answered "
                  + status
                  + " redirecting to "
                  + (location == null
                      ? "(no Location)"
                      : Failures.stripUserInfo(location.getValue()))
                  + "; redirects are not followed so the token cannot travel elsewhere: configure"
                  + " the homeserver's final URL",
              status,
              null,
              null));
    }
    if (status < 200 || status >= 300) {
      throw new UncheckedSynapse(Failures.fromErrorStatus(status, body));
    }
    HttpEntity entity = response.getEntity();
    String type = entity == null ? null : entity.getContentType();
    if (type != null && !type.toLowerCase(java.util.Locale.ROOT).contains("json")) {
      throw new UncheckedSynapse(
          new SynapseException(
              FailureReason.INVALID_RESPONSE,
              "expected JSON but got Content-Type " + type + ": " + Failures.snippet(body),
              status,
              null,
              null));
    }
    return body;
  }

  private static byte[] readUpTo(HttpEntity entity, int limit) throws IOException {
    if (entity == null) {
      return new byte[0];
    }
    InputStream in = entity.getContent();
    return in == null ? new byte[0] : in.readNBytes(limit);
  }

  @Override
  public void close() throws IOException {
    if (ownDeadlines != null) {
      ownDeadlines.close();
    }
    http.close();
  }

  /**
   * Carries a classified failure out of HttpClient's response handler, which may only throw
   * IOException.
   */
  static final class UncheckedSynapse extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UncheckedSynapse(SynapseException cause) {
      super(cause.getMessage(), cause, false, false);
    }

    SynapseException failure() {
      return (SynapseException) getCause();
    }
  }
}
