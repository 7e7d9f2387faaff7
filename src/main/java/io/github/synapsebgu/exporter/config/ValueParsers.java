package io.github.synapsebgu.exporter.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/** The parsers of flag values; each failure names the flag and what is allowed. */
public final class ValueParsers {
  private ValueParsers() {}

  /** The value as typed (a file name, say, that its user opens and checks itself). */
  public static ValueParser<String> text() {
    return (flag, raw) -> raw;
  }

  /** A Prometheus duration ({@code 1h30m}) of at least {@code min}. */
  public static ValueParser<Duration> duration(Duration min) {
    return (flag, raw) -> {
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
    };
  }

  public static ValueParser<Boolean> bool() {
    return (flag, raw) ->
        switch (raw.strip().toLowerCase(Locale.ROOT)) {
          case "true", "1", "yes" -> true;
          case "false", "0", "no" -> false;
          default ->
              throw new ConfigException(flag, "invalid boolean \"" + raw + "\" (true or false)");
        };
  }

  /** One of an enum's constants, written in lower case. */
  public static <E extends Enum<E>> ValueParser<E> choice(Class<E> type) {
    return (flag, raw) -> {
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
    };
  }

  /** A whole number from {@code min} to {@code max}. */
  public static ValueParser<Integer> count(int min, int max) {
    return (flag, raw) -> {
      try {
        int n = Integer.parseInt(raw.strip());
        if (n >= min && n <= max) {
          return n;
        }
      } catch (NumberFormatException e) {
        // reported below
      }
      throw new ConfigException(
          flag, "\"" + raw + "\" is not a whole number from " + min + " to " + max);
    };
  }

  public static ValueParser<ListenAddress> listenAddress() {
    return (flag, raw) -> {
      try {
        return ListenAddress.parse(raw.strip());
      } catch (IllegalArgumentException e) {
        throw new ConfigException(flag, e.getMessage());
      }
    };
  }

  /** An http(s) URL without credentials, query or fragment; a trailing slash is dropped. */
  public static ValueParser<URI> httpUrl() {
    return ValueParsers::httpUrl;
  }

  private static URI httpUrl(String flag, String raw) throws ConfigException {
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

  public static ValueParser<Path> readableFile() {
    return (flag, raw) -> {
      Path path = Path.of(raw.strip());
      if (!Files.isRegularFile(path)) {
        throw new ConfigException(flag, "no such file: " + path);
      }
      if (!Files.isReadable(path)) {
        throw new ConfigException(flag, "file not readable: " + path);
      }
      return path;
    };
  }

  /** A URL path such as {@code /metrics}. */
  public static ValueParser<String> urlPath() {
    return (flag, raw) -> {
      String path = raw.strip();
      if (!path.startsWith("/") || path.contains("?") || path.contains("#") || path.contains(" ")) {
        throw new ConfigException(
            flag, "invalid path \"" + path + "\" (must start with /, e.g. /metrics)");
      }
      return path;
    };
  }
}
