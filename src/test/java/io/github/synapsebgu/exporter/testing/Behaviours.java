package io.github.synapsebgu.exporter.testing;

import io.github.synapsebgu.exporter.testing.FaultySocketServer.Behaviour;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Random;

/**
 * The ways {@link FaultySocketServer} can answer: healthy (a recorded Synapse body), and the faults
 * no HTTP library lets a server commit.
 */
public final class Behaviours {
  /** What a healthy answer carries: 12 items of populate_stats_process_rooms on master. */
  public static final String STATUS_JSON = SynapseBodies.RUNNING_12;

  private Behaviours() {}

  public static Behaviour healthy() {
    return healthy(STATUS_JSON);
  }

  /** 200 with the JSON, keeping the connection alive like Synapse does. */
  public static Behaviour healthy(String json) {
    return (s, r) -> {
      respond(s, 200, "application/json", json.getBytes(StandardCharsets.UTF_8), "");
      return true;
    };
  }

  /** 200 with the JSON and {@code Connection: close}, so the client keeps nothing pooled. */
  public static Behaviour healthyThenClose() {
    return (s, r) -> {
      respond(
          s,
          200,
          "application/json",
          STATUS_JSON.getBytes(StandardCharsets.UTF_8),
          "Connection: close\r\n");
      return false;
    };
  }

  public static Behaviour status(int code, String contentType, String body) {
    return (s, r) -> {
      respond(s, code, contentType, body.getBytes(StandardCharsets.UTF_8), "");
      return true;
    };
  }

  public static Behaviour redirect(String location) {
    return (s, r) -> {
      respond(s, 302, "text/plain", new byte[0], "Location: " + location + "\r\n");
      return true;
    };
  }

  /** Headers promising 1000 bytes, 100 of them, then a TCP reset. */
  public static Behaviour resetMidResponse() {
    return (s, r) -> {
      OutputStream out = s.getOutputStream();
      out.write(head(200, "application/json", "Content-Length: 1000\r\n"));
      out.write(STATUS_JSON.substring(0, 100).getBytes(StandardCharsets.UTF_8));
      out.flush();
      s.setSoLinger(true, 0); // close() now sends RST instead of FIN
      return false;
    };
  }

  /** Reads the request, answers nothing, closes. */
  public static Behaviour emptyResponse() {
    return (s, r) -> false;
  }

  public static Behaviour malformedChunked() {
    return (s, r) -> {
      OutputStream out = s.getOutputStream();
      out.write(head(200, "application/json", "Transfer-Encoding: chunked\r\n"));
      out.write("zz\r\n{\"enabled\"\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      return false;
    };
  }

  public static Behaviour randomBytesThenClose() {
    return (s, r) -> {
      byte[] junk = new byte[512];
      new Random(42).nextBytes(junk);
      s.getOutputStream().write(junk);
      s.getOutputStream().flush();
      return false;
    };
  }

  /** Headers, then nothing for {@code millis} (the client should give up long before). */
  public static Behaviour headersThenSilence(long millis) {
    return (s, r) -> {
      OutputStream out = s.getOutputStream();
      out.write(head(200, "application/json", "Content-Length: 200\r\n"));
      out.flush();
      waitForClientToLeave(s, millis);
      return false;
    };
  }

  /** A valid body, one byte a second. */
  public static Behaviour drip() {
    return (s, r) -> {
      byte[] body = STATUS_JSON.getBytes(StandardCharsets.UTF_8);
      OutputStream out = s.getOutputStream();
      out.write(head(200, "application/json", "Content-Length: " + body.length + "\r\n"));
      out.flush();
      for (byte b : body) {
        out.write(b);
        out.flush(); // throws once the client has given up and closed
        Thread.sleep(1000);
      }
      return false;
    };
  }

  /** 10 MiB of (valid-looking) JSON, written as fast as the client takes it. */
  public static Behaviour hugeBody() {
    return (s, r) -> {
      int size = 10 * 1024 * 1024;
      OutputStream out = s.getOutputStream();
      out.write(head(200, "application/json", "Content-Length: " + size + "\r\n"));
      byte[] chunk = new byte[64 * 1024];
      java.util.Arrays.fill(chunk, (byte) ' ');
      chunk[0] = '{';
      for (int sent = 0; sent < size; sent += chunk.length) {
        out.write(chunk);
        chunk[0] = ' ';
      }
      out.flush();
      return false;
    };
  }

  /**
   * 200 in Prometheus' text format, chunked, then {@code chunk} again and again with {@code
   * pauseMillis} between, for ever: until the client hangs up (the write throws).
   */
  public static Behaviour endlessChunks(String chunk, long pauseMillis) {
    return (s, r) -> {
      OutputStream out = s.getOutputStream();
      out.write(head(200, "text/plain; version=0.0.4", "Transfer-Encoding: chunked\r\n"));
      byte[] bytes = chunk.getBytes(StandardCharsets.UTF_8);
      byte[] size =
          (Integer.toHexString(bytes.length) + "\r\n").getBytes(StandardCharsets.US_ASCII);
      byte[] end = "\r\n".getBytes(StandardCharsets.US_ASCII);
      while (true) {
        out.write(size);
        out.write(bytes);
        out.write(end);
        out.flush();
        if (pauseMillis > 0) {
          Thread.sleep(pauseMillis);
        }
      }
    };
  }

  private static void waitForClientToLeave(Socket s, long millis) throws IOException {
    s.setSoTimeout((int) millis);
    try {
      while (s.getInputStream().read() >= 0) {
        // discard; -1 means the client closed
      }
    } catch (java.net.SocketTimeoutException stillThere) {
      // the client never left: the test will say so
    }
  }

  static void respond(Socket s, int code, String type, byte[] body, String extra)
      throws IOException {
    OutputStream out = s.getOutputStream();
    out.write(head(code, type, "Content-Length: " + body.length + "\r\n" + extra));
    out.write(body);
    out.flush();
  }

  private static byte[] head(int code, String type, String extra) {
    return ("HTTP/1.1 " + code + " X\r\nContent-Type: " + type + "\r\n" + extra + "\r\n")
        .getBytes(StandardCharsets.US_ASCII);
  }
}
