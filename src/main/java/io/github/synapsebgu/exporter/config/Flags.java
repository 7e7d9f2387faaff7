package io.github.synapsebgu.exporter.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/** Parsers for single flag values; each failure names the flag and what is allowed. */
public final class Flags {
  private Flags() {}

  public static Duration duration(String flag, String raw, Duration fallback, Duration min)
      throws ConfigException {
    if (raw == null) {
      return fallback;
    }
    Duration d;
    try {
      d = PromDuration.parse(raw.strip());
    } catch (IllegalArgumentException e) {
      throw new ConfigException(flag, e.getMessage());
    }
    if (d.compareTo(min) < 0) {
      throw new ConfigException(
          flag, "\"" + raw + "\" is too short (minimum " + PromDuration.format(min) + ")");
    }
    return d;
  }

  public static boolean bool(String flag, String raw, boolean fallback) throws ConfigException {
    if (raw == null) {
      return fallback;
    }
    return switch (raw.strip().toLowerCase(Locale.ROOT)) {
      case "true", "1", "yes" -> true;
      case "false", "0", "no" -> false;
      default -> throw new ConfigException(flag, "invalid boolean \"" + raw + "\" (true or false)");
    };
  }

  public static <E extends Enum<E>> E choice(String flag, String raw, E fallback, Class<E> type)
      throws ConfigException {
    if (raw == null) {
      return fallback;
    }
    try {
      return Enum.valueOf(type, raw.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      StringBuilder allowed = new StringBuilder();
      for (E value : type.getEnumConstants()) {
        allowed
            .append(allowed.length() == 0 ? "" : ", ")
            .append(value.name().toLowerCase(Locale.ROOT));
      }
      throw new ConfigException(flag, "invalid value \"" + raw + "\" (one of " + allowed + ")");
    }
  }

  public static ListenAddress listenAddress(String flag, String raw, String fallback)
      throws ConfigException {
    try {
      return ListenAddress.parse(raw == null ? fallback : raw.strip());
    } catch (IllegalArgumentException e) {
      throw new ConfigException(flag, e.getMessage());
    }
  }

  /** An http(s) URL without credentials, query or fragment; a trailing slash is dropped. */
  public static URI httpUrl(String flag, String raw) throws ConfigException {
    URI uri;
    try {
      uri = new URI(raw.strip());
    } catch (URISyntaxException e) {
      throw new ConfigException(flag, "invalid URL \"" + raw + "\" (" + e.getReason() + ")");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new ConfigException(
          flag, "URL must start with http:// or https://, e.g. http://localhost:8008");
    }
    if (uri.getHost() == null || uri.getHost().isEmpty()) {
      throw new ConfigException(flag, "URL has no host, e.g. http://localhost:8008");
    }
    if (uri.getRawUserInfo() != null) {
      throw new ConfigException(
          flag, "credentials in the URL are not supported (they would show in logs and ps)");
    }
    if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
      throw new ConfigException(flag, "URL must not have a query or fragment");
    }
    String path = uri.getRawPath() == null ? "" : uri.getRawPath().replaceAll("/+$", "");
    return URI.create(scheme + "://" + uri.getRawAuthority() + path);
  }

  public static Path readableFile(String flag, String raw) throws ConfigException {
    Path path = Path.of(raw.strip());
    if (!Files.isRegularFile(path)) {
      throw new ConfigException(flag, "no such file: " + path);
    }
    if (!Files.isReadable(path)) {
      throw new ConfigException(flag, "file not readable: " + path);
    }
    return path;
  }

  public static String urlPath(String flag, String raw, String fallback) throws ConfigException {
    String path = raw == null ? fallback : raw.strip();
    if (!path.startsWith("/") || path.contains("?") || path.contains("#") || path.contains(" ")) {
      throw new ConfigException(
          flag, "invalid path \"" + path + "\" (must start with /, e.g. /metrics)");
    }
    return path;
  }
}
