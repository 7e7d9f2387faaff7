package io.github.synapsebgu.exporter.synapse;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.EntityDetails;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpHeaders;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.nio.AsyncResponseConsumer;
import org.apache.hc.core5.http.nio.CapacityChannel;
import org.apache.hc.core5.http.protocol.HttpContext;

/**
 * Reads an answer's body up to a cap: {@link SynapseClient#MAX_BODY_BYTES} plus one for a 2xx
 * answer, 64 KiB of an error page (only ever quoted in a log line). At the cap it completes with
 * what it has and aborts the exchange, so the connection is closed rather than drained: the rest of
 * a huge or dripping body is not worth waiting for.
 */
final class CappedBodyConsumer implements AsyncResponseConsumer<Answer> {
  static final int ERROR_PAGE_BYTES = 64 * 1024;

  private final ByteArrayOutputStream body = new ByteArrayOutputStream(512);
  private FutureCallback<Answer> result;
  private HttpResponse response;
  private int limit;

  @Override
  public void consumeResponse(
      HttpResponse response,
      EntityDetails entity,
      HttpContext context,
      FutureCallback<Answer> resultCallback) {
    this.response = response;
    this.result = resultCallback;
    int status = response.getCode();
    this.limit =
        status >= 200 && status < 300 ? SynapseClient.MAX_BODY_BYTES + 1 : ERROR_PAGE_BYTES;
    if (entity == null) {
      complete();
    }
  }

  @Override
  public void informationResponse(HttpResponse response, HttpContext context) {
    // 1xx: nothing to keep
  }

  @Override
  public void updateCapacity(CapacityChannel channel) throws IOException {
    channel.update(Integer.MAX_VALUE);
  }

  @Override
  public void consume(ByteBuffer src) throws IOException {
    int take = Math.min(src.remaining(), limit - body.size());
    byte[] chunk = new byte[take];
    src.get(chunk);
    body.write(chunk, 0, take);
    if (body.size() >= limit) {
      complete();
      throw new CapReached();
    }
  }

  @Override
  public void streamEnd(List<? extends Header> trailers) {
    complete();
  }

  private void complete() {
    FutureCallback<Answer> callback = result;
    if (callback != null) {
      result = null;
      callback.completed(
          new Answer(
              response.getCode(),
              value(response.getFirstHeader(HttpHeaders.CONTENT_TYPE)),
              value(response.getFirstHeader(HttpHeaders.LOCATION)),
              body.toByteArray()));
    }
  }

  private static String value(Header header) {
    return header == null ? null : header.getValue();
  }

  @Override
  public void failed(Exception cause) {
    FutureCallback<Answer> callback = result;
    if (callback != null) {
      result = null;
      callback.failed(cause);
    }
  }

  @Override
  public void releaseResources() {
    // the body stays with the answer already handed on, if any
  }

  /** Ends the exchange at the cap; the answer was completed just before, so it is not a failure. */
  static final class CapReached extends IOException {
    private static final long serialVersionUID = 1L;

    CapReached() {
      super("body cap reached", null);
    }
  }
}
