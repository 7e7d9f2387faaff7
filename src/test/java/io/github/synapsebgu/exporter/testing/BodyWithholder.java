package io.github.synapsebgu.exporter.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A raw-socket client whose {@code Content-Length} promises a body it never sends: it reads the
 * answer it gets anyway and notes whether the server then closes the connection.
 */
public final class BodyWithholder implements AutoCloseable {
  private final Socket socket = new Socket();

  private BodyWithholder(InetSocketAddress server, String head) throws IOException {
    socket.connect(server, 2000);
    socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
    socket.getOutputStream().flush();
  }

  /**
   * Sends {@code METHOD path} with the extra header lines (e.g. {@code "Authorization: ..."}) and
   * {@code Content-Length: 1000}, and not one byte of body.
   */
  public static BodyWithholder send(
      InetSocketAddress server, String method, String path, String... headers) throws IOException {
    StringBuilder head = new StringBuilder(method + " " + path + " HTTP/1.1\r\n");
    head.append("Host: 127.0.0.1\r\n");
    for (String h : headers) {
      head.append(h).append("\r\n");
    }
    head.append("Content-Length: 1000\r\n\r\n");
    return new BodyWithholder(server, head.toString());
  }

  /**
   * Everything the server sent until it closed the connection.
   *
   * @throws AssertionError if the connection is still open after {@code limit}
   */
  public String answerUntilClosed(Duration limit) throws IOException {
    socket.setSoTimeout((int) limit.toMillis());
    ByteArrayOutputStream answer = new ByteArrayOutputStream();
    InputStream in = socket.getInputStream();
    byte[] buffer = new byte[4096];
    try {
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        answer.write(buffer, 0, n);
      }
    } catch (SocketTimeoutException e) {
      throw new AssertionError(
          "connection still open after "
              + limit
              + "; got so far: "
              + answer.toString(StandardCharsets.US_ASCII));
    } catch (IOException reset) {
      // Closed with unread data (the body we promised is not there to read): a reset is a close.
    }
    return answer.toString(StandardCharsets.US_ASCII);
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
