package io.github.synapsebgu.exporter.config;

import java.net.InetSocketAddress;

/**
 * A listen address as exporters write it: {@code :9657}, {@code 127.0.0.1:9658}, {@code
 * [::1]:9657}.
 */
public record ListenAddress(String host, int port) {

  public static ListenAddress parse(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("empty address (use host:port or :port)");
    }
    int colon = text.lastIndexOf(':');
    if (colon < 0) {
      throw new IllegalArgumentException(
          "invalid address \"" + text + "\" (use host:port or :port, e.g. :9657)");
    }
    String host = text.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    } else if (host.contains(":")) {
      throw new IllegalArgumentException(
          "invalid address \"" + text + "\" (write IPv6 hosts in brackets, e.g. [::1]:9657)");
    }
    int port;
    try {
      port = Integer.parseInt(text.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("invalid port in \"" + text + "\" (0-65535)", e);
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("invalid port in \"" + text + "\" (0-65535)");
    }
    return new ListenAddress(host, port);
  }

  /** An empty host means every interface, as in Go's net.Listen. */
  public InetSocketAddress toSocketAddress() {
    return host.isEmpty() ? new InetSocketAddress(port) : new InetSocketAddress(host, port);
  }

  @Override
  public String toString() {
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }
}
