package io.github.synapsebgu.exporter.synapse;

import io.github.synapsebgu.exporter.secrets.Redactor;
import io.github.synapsebgu.exporter.secrets.TokenSource;
import java.io.Closeable;
import java.io.IOException;
import java.net.URI;
import java.util.Locale;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpHeaders;
import org.apache.hc.core5.http.Method;
import org.apache.hc.core5.http.message.BasicHttpRequest;
import org.apache.hc.core5.http.nio.AsyncEntityProducer;
import org.apache.hc.core5.http.nio.entity.BasicAsyncEntityProducer;
import org.apache.hc.core5.http.nio.support.BasicRequestProducer;
import org.apache.hc.core5.util.Timeout;

/**
 * Calls Synapse's background-updates admin API. Every failure comes out as a {@link
 * SynapseException} with one {@link FailureReason}; the token is sent only to the configured URL
 * and never appears in an exception. Requests are asynchronous ({@link #fetchStatusAsync()}: a poll
 * waiting on its answer holds no thread) on an HTTP client that may be shared by every homeserver
 * of the process ({@link SynapseHttp}); the other methods wait for the answer.
 */
public final class SynapseClient implements Closeable {
  static final String API = "/_synapse/admin/v1/background_updates/";

  /** The status body is a few hundred bytes; anything near this is not Synapse. */
  public static final int MAX_BODY_BYTES = 1024 * 1024;

  private final SynapseHttpSettings settings;
  private final TokenSource token;
  private final Redactor redactor;
  private final CloseableHttpAsyncClient http;
  private final String base;
  private final RequestConfig requestConfig;
  private final RequestDeadlines deadlines;
  // Set when the deadline timer and the HTTP client are this client's own, so they go with it.
  private final RequestDeadlines ownDeadlines;
  private final SynapseHttp ownHttp;

  /**
   * A client with a deadline timer and an HTTP client of its own, closed with it: for a one-shot
   * command or a test.
   */
  public SynapseClient(SynapseHttpSettings settings, TokenSource token, String userAgent) {
    this(settings, token, userAgent, Redactor.of(token));
  }

  /**
   * A client with a deadline timer and HTTP client of its own whose failures are redacted by {@code
   * redactor}.
   *
   * @param redactor removes every secret the process holds (at least {@code token}) from what
   *     Synapse or a proxy answered, before it becomes part of a failure's message
   */
  public SynapseClient(
      SynapseHttpSettings settings, TokenSource token, String userAgent, Redactor redactor) {
    this(settings, token, new RequestDeadlines(), true, new SynapseHttp(userAgent), true, redactor);
  }

  /**
   * A client whose requests are cancelled at their deadline by the process's shared timer, which
   * the caller closes after the client; its HTTP client is its own.
   */
  public SynapseClient(
      SynapseHttpSettings settings,
      TokenSource token,
      String userAgent,
      RequestDeadlines deadlines) {
    this(settings, token, userAgent, deadlines, Redactor.of(token));
  }

  /** The same, redacting with {@code redactor}. */
  public SynapseClient(
      SynapseHttpSettings settings,
      TokenSource token,
      String userAgent,
      RequestDeadlines deadlines,
      Redactor redactor) {
    this(settings, token, deadlines, false, new SynapseHttp(userAgent), true, redactor);
  }

  /**
   * What the daemon builds for each homeserver: the process's shared HTTP clients and deadline
   * timer, both closed by the caller after every client.
   */
  public SynapseClient(
      SynapseHttpSettings settings,
      TokenSource token,
      SynapseHttp http,
      RequestDeadlines deadlines,
      Redactor redactor) {
    this(settings, token, deadlines, false, http, false, redactor);
  }

  private SynapseClient(
      SynapseHttpSettings settings,
      TokenSource token,
      RequestDeadlines deadlines,
      boolean ownTimer,
      SynapseHttp http,
      boolean ownClient,
      Redactor redactor) {
    this.settings = settings;
    this.token = token;
    this.redactor = redactor;
    this.deadlines = deadlines;
    this.ownDeadlines = ownTimer ? deadlines : null;
    this.ownHttp = ownClient ? http : null;
    try {
      this.http = http.client(settings);
    } catch (RuntimeException e) {
      closeOwn();
      throw e;
    }
    this.base = settings.baseUrl().toString().replaceAll("/+$", "");
    Timeout timeout = Timeout.of(settings.timeout());
    this.requestConfig =
        RequestConfig.custom()
            .setConnectionRequestTimeout(timeout)
            .setResponseTimeout(timeout)
            .build();
  }

  public SynapseHttpSettings settings() {
    return settings;
  }

  /** For callers that quote an answer themselves (an unexpected 2xx body). */
  public Redactor redactor() {
    return redactor;
  }

  /** {@code GET .../background_updates/status}, parsed and checked. */
  public StatusResponse fetchStatus() throws SynapseException {
    return await(fetchStatusAsync());
  }

  /**
   * {@code GET .../background_updates/status} without waiting: completes with the parsed answer or
   * exceptionally with a {@link SynapseException}; cancelling it aborts the request.
   */
  public CompletableFuture<StatusResponse> fetchStatusAsync() {
    return call(Method.GET, "status", null).thenApply(this::parse);
  }

  private StatusResponse parse(byte[] body) {
    try {
      return StatusParser.parse(body);
    } catch (InvalidResponseException e) {
      throw new CompletionException(
          Failures.redacted(
              new SynapseException(FailureReason.INVALID_RESPONSE, e.getMessage()), redactor));
    }
  }

  /** {@code GET .../background_updates/NAME}; returns the JSON body of a 2xx answer. */
  public byte[] get(String endpoint) throws SynapseException {
    return await(call(Method.GET, endpoint, null));
  }

  /**
   * {@code POST .../background_updates/NAME} with a JSON body; returns the JSON body of a 2xx
   * answer.
   */
  public byte[] post(String endpoint, byte[] json) throws SynapseException {
    return await(
        call(
            Method.POST,
            endpoint,
            new BasicAsyncEntityProducer(json, ContentType.APPLICATION_JSON)));
  }

  /** Waits for a call; an interrupted wait aborts the request and fails as a timeout. */
  private <T> T await(CompletableFuture<T> call) throws SynapseException {
    try {
      return call.get();
    } catch (ExecutionException e) {
      throw unwrap(e.getCause());
    } catch (InterruptedException e) {
      call.cancel(true);
      Thread.currentThread().interrupt();
      throw new SynapseException(FailureReason.TIMEOUT, "interrupted while waiting for Synapse");
    } catch (CancellationException e) {
      throw new SynapseException(FailureReason.TIMEOUT, "cancelled while waiting for Synapse");
    }
  }

  private SynapseException unwrap(Throwable t) {
    Throwable cause = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    if (cause instanceof SynapseException e) {
      return e;
    }
    return Failures.redacted(
        Failures.classify(cause instanceof Exception e ? e : new RuntimeException(cause)),
        redactor);
  }

  /**
   * One request, with the whole-request deadline: completes with the body of a 2xx JSON answer, or
   * exceptionally with exactly one {@link SynapseException}.
   */
  private CompletableFuture<byte[]> call(Method method, String endpoint, AsyncEntityProducer body) {
    CompletableFuture<byte[]> result = new CompletableFuture<>();
    BasicHttpRequest request = new BasicHttpRequest(method, URI.create(base + API + endpoint));
    request.setHeader(HttpHeaders.AUTHORIZATION, "Bearer " + token.current().reveal());
    request.setHeader(HttpHeaders.ACCEPT, "application/json");
    HttpClientContext context = HttpClientContext.create();
    context.setRequestConfig(requestConfig);
    AtomicBoolean expired = new AtomicBoolean();
    Future<Answer> exchange;
    try {
      exchange =
          http.execute(
              new BasicRequestProducer(request, body),
              new CappedBodyConsumer(),
              context,
              new FutureCallback<>() {
                @Override
                public void completed(Answer answer) {
                  try {
                    result.complete(check(answer));
                  } catch (SynapseException e) {
                    result.completeExceptionally(e);
                  }
                }

                @Override
                public void failed(Exception e) {
                  // Every message built from what came back (pages, headers, exception texts)
                  // leaves here redacted.
                  result.completeExceptionally(
                      expired.get()
                          ? timedOut()
                          : Failures.redacted(Failures.classify(e), redactor));
                }

                @Override
                public void cancelled() {
                  result.completeExceptionally(
                      expired.get()
                          ? timedOut()
                          : new SynapseException(FailureReason.TIMEOUT, "request cancelled"));
                }
              });
    } catch (RuntimeException e) {
      result.completeExceptionally(Failures.redacted(Failures.classify(e), redactor));
      return result;
    }
    ScheduledFuture<?> deadline =
        deadlines.schedule(
            settings.timeout(),
            () -> {
              expired.set(true);
              exchange.cancel(true);
              result.completeExceptionally(timedOut());
            });
    result.whenComplete(
        (v, e) -> {
          deadline.cancel(false);
          if (result.isCancelled()) {
            exchange.cancel(true); // the caller gave up (a poller closing): abort the request
          }
        });
    return result;
  }

  private SynapseException timedOut() {
    return new SynapseException(
        FailureReason.TIMEOUT,
        "no complete answer within " + settings.timeout().toMillis() + " ms (the request timeout)");
  }

  private byte[] check(Answer answer) throws SynapseException {
    int status = answer.status();
    byte[] body = answer.body();
    if (body.length > MAX_BODY_BYTES) {
      throw new SynapseException(
          FailureReason.INVALID_RESPONSE,
          "response body larger than 1 MiB, not read further",
          status,
          null,
          null);
    }
    if (status >= 300 && status < 400) {
      String location = answer.location();
      throw new SynapseException(
          FailureReason.REDIRECT,
          "Synapse answered "
              + status
              + " redirecting to "
              + (location == null ? "(no Location)" : Failures.stripUserInfo(location))
              + "; redirects are not followed so the token cannot travel elsewhere: configure"
              + " the homeserver's final URL",
          status,
          null,
          null);
    }
    if (status < 200 || status >= 300) {
      throw Failures.fromErrorStatus(status, body, redactor);
    }
    String type = answer.contentType();
    if (type != null && !type.toLowerCase(Locale.ROOT).contains("json")) {
      throw new SynapseException(
          FailureReason.INVALID_RESPONSE,
          "expected JSON but got Content-Type " + type + ": " + Failures.snippet(body, redactor),
          status,
          null,
          null);
    }
    return body;
  }

  /** Closes what is its own; a shared HTTP client and timer stay (their owner closes them). */
  @Override
  public void close() throws IOException {
    closeOwn();
  }

  private void closeOwn() {
    if (ownHttp != null) {
      ownHttp.close();
    }
    if (ownDeadlines != null) {
      ownDeadlines.close();
    }
  }
}
