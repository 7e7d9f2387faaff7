package io.github.synapsebgu.exporter.http.webconfig;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * One HTTP/1.1 request on a fresh connection, plain or TLS, written and read by hand so a test sees
 * exactly what went over the wire (and any handshake failure as an exception).
 */
public final class RawHttp {
  /** Header names in lower case. */
  public record Response(int status, Map<String, List<String>> headers, String body) {
    public String header(String name) {
      List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
      return values == null ? null : values.get(0);
    }
  }

  private RawHttp() {}

  public static String basic(String user, String password) {
    return "Basic "
        + Base64.getEncoder()
            .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  /**
   * @param tls null for plain HTTP; otherwise the client's context (host name 127.0.0.1 is verified
   *     against the certificate)
   * @param authorization null for none
   */
  public static Response get(
      SSLContext tls, InetSocketAddress server, String path, String authorization)
      throws IOException {
    try (Socket socket = open(tls, server, null)) {
      return exchange(socket, server, path, authorization);
    }
  }

  /** The TLS handshake only; returns the session's protocol, e.g. {@code TLSv1.3}. */
  public static SSLSocket handshake(SSLContext tls, InetSocketAddress server, String... protocols)
      throws IOException {
    return (SSLSocket) open(tls, server, protocols.length == 0 ? null : protocols);
  }

  public static Response exchange(
      Socket socket, InetSocketAddress server, String path, String authorization)
      throws IOException {
    StringBuilder request =
        new StringBuilder("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + server.getPort());
    request.append("\r\nConnection: close\r\n");
    if (authorization != null) {
      request.append("Authorization: ").append(authorization).append("\r\n");
    }
    request.append("\r\n");
    OutputStream out = socket.getOutputStream();
    out.write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
    return parse(readAll(socket.getInputStream()));
  }

  private static Socket open(SSLContext tls, InetSocketAddress server, String[] protocols)
      throws IOException {
    Socket plain = new Socket();
    plain.connect(server, 2000);
    plain.setSoTimeout(5000);
    if (tls == null) {
      return plain;
    }
    SSLSocket socket =
        (SSLSocket) tls.getSocketFactory().createSocket(plain, "127.0.0.1", server.getPort(), true);
    SSLParameters params = socket.getSSLParameters();
    params.setEndpointIdentificationAlgorithm("HTTPS");
    if (protocols != null) {
      params.setProtocols(protocols);
    }
    socket.setSSLParameters(params);
    try {
      socket.startHandshake();
    } catch (IOException e) {
      socket.close();
      throw e;
    }
    return socket;
  }

  private static byte[] readAll(InputStream in) throws IOException {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    in.transferTo(buffer);
    return buffer.toByteArray();
  }

  static Response parse(byte[] raw) throws IOException {
    String text = new String(raw, StandardCharsets.ISO_8859_1);
    int end = text.indexOf("\r\n\r\n");
    if (!text.startsWith("HTTP/1.") || end < 0) {
      throw new IOException("not an HTTP response: " + text.length() + " bytes");
    }
    String[] lines = text.substring(0, end).split("\r\n");
    int status = Integer.parseInt(lines[0].split(" ")[1]);
    Map<String, List<String>> headers = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      headers
          .computeIfAbsent(
              lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
          .add(lines[i].substring(colon + 1).strip());
    }
    // Chunk sizes count bytes: de-chunk the Latin-1 text (one char a byte), then decode UTF-8.
    String body = text.substring(end + 4);
    if ("chunked".equalsIgnoreCase(headers.getOrDefault("transfer-encoding", List.of("")).get(0))) {
      body = dechunk(body);
    }
    return new Response(
        status,
        headers,
        new String(body.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8));
  }

  private static String dechunk(String body) {
    StringBuilder out = new StringBuilder();
    int i = 0;
    while (i < body.length()) {
      int eol = body.indexOf("\r\n", i);
      int size = Integer.parseInt(body.substring(i, eol).split(";")[0].strip(), 16);
      if (size == 0) {
        break;
      }
      out.append(body, eol + 2, eol + 2 + size);
      i = eol + 2 + size + 2;
    }
    return out.toString();
  }
}
