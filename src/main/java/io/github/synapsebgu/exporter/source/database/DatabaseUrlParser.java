package io.github.synapsebgu.exporter.source.database;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Parses {@code --database.url} values: {@code [NAME=]postgresql://user@host[:port]/db[?params]} or
 * {@code [NAME=]sqlite:/path/homeserver.db}. A pure function with errors that name the problem.
 * Because a password in a URL ends up in {@code ps}, shell history and config dumps, one is
 * refused, and no error message ever repeats the value it was given (it might hold one).
 */
public final class DatabaseUrlParser {
  public static final String DEFAULT_NAME = "master";

  /** Synapse's database config keys are YAML keys; these are the ones worth accepting. */
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}");

  /**
   * The driver parameters an operator may need (TLS, an application name in pg_stat_activity).
   * Others are refused: several of pgjdbc's load classes by name or write files.
   */
  private static final Set<String> POSTGRES_PARAMETERS =
      Set.of("sslmode", "sslrootcert", "sslcert", "sslkey", "application_name");

  private static final Set<String> SSL_MODES =
      Set.of("disable", "allow", "prefer", "require", "verify-ca", "verify-full");

  private static final String PASSWORD_HELP =
      "put the password in PGPASSFILE (~/.pgpass) or in the file named by"
          + " --database.password-file";

  private DatabaseUrlParser() {}

  /**
   * @throws IllegalArgumentException with a message for the operator, never repeating the value
   */
  public static DatabaseUrl parse(String value) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("the database URL is empty");
    }
    String text = value.strip();
    String name = DEFAULT_NAME;
    int colon = text.indexOf(':');
    int equals = text.indexOf('=');
    if (equals >= 0 && (colon < 0 || equals < colon)) {
      name = text.substring(0, equals);
      text = text.substring(equals + 1);
      if (!NAME.matcher(name).matches()) {
        throw new IllegalArgumentException(
            "the database name before '=' must be a name from Synapse's databases: config"
                + " (letters, digits, '_', '.', '-')");
      }
    }
    String lower = text.toLowerCase(Locale.ROOT);
    if (lower.startsWith("postgresql://") || lower.startsWith("postgres://")) {
      return postgres(name, text);
    }
    if (lower.startsWith("sqlite:")) {
      return sqlite(name, text.substring("sqlite:".length()));
    }
    throw new IllegalArgumentException(
        "the database URL for "
            + name
            + " must start with postgresql:// or sqlite: (e.g. postgresql://user@host:5432/synapse"
            + " or sqlite:/var/lib/matrix-synapse/homeserver.db)");
  }

  private static DatabaseUrl.Postgres postgres(String name, String text) {
    String where = "the database URL for " + name;
    URI uri;
    try {
      uri = new URI(text);
    } catch (URISyntaxException e) {
      // The exception's message quotes the input, which may hold a password.
      throw new IllegalArgumentException(where + " is not a valid URL");
    }
    String authority = uri.getRawAuthority() == null ? "" : uri.getRawAuthority();
    int at = authority.lastIndexOf('@');
    if (at >= 0 && authority.substring(0, at).contains(":")) {
      throw new IllegalArgumentException(where + " must not contain a password: " + PASSWORD_HELP);
    }
    if (uri.getHost() == null) {
      // java.net.URI leaves the host empty for a bad port or host name too.
      throw new IllegalArgumentException(
          where + " names no host, or no valid host and port: postgresql://user@HOST:5432/synapse");
    }
    String userInfo = uri.getRawUserInfo();
    if (userInfo != null && userInfo.contains(":")) {
      throw new IllegalArgumentException(where + " must not contain a password: " + PASSWORD_HELP);
    }
    Map<String, String> parameters = parameters(where, uri.getRawQuery());
    String userParameter = parameters.remove("user");
    if (userInfo != null && userParameter != null) {
      // The driver would take the parameter's: the exporter would log in as another role.
      throw new IllegalArgumentException(
          where + " gives the user twice (before @ and as ?user=): give it once");
    }
    String user = userInfo == null ? userParameter : decode(where, userInfo);
    if (user == null || user.isEmpty()) {
      throw new IllegalArgumentException(
          where + " names no user: postgresql://USER@host:5432/synapse");
    }
    String path = uri.getRawPath() == null ? "" : uri.getRawPath();
    String database = decode(where, path.startsWith("/") ? path.substring(1) : path);
    if (database.isEmpty() || database.contains("/")) {
      throw new IllegalArgumentException(
          where + " names no database: postgresql://user@host:5432/DATABASE");
    }
    if (uri.getRawFragment() != null) {
      throw new IllegalArgumentException(where + " must not have a #fragment");
    }
    int port = uri.getPort() == -1 ? 5432 : uri.getPort();
    return new DatabaseUrl.Postgres(name, uri.getHost(), port, database, user, parameters);
  }

  private static Map<String, String> parameters(String where, String query) {
    Map<String, String> parameters = new LinkedHashMap<>();
    if (query == null || query.isEmpty()) {
      return parameters;
    }
    for (String pair : query.split("&", -1)) {
      int eq = pair.indexOf('=');
      String key = decode(where, eq < 0 ? pair : pair.substring(0, eq)).toLowerCase(Locale.ROOT);
      String value = eq < 0 ? "" : decode(where, pair.substring(eq + 1));
      if (key.contains("password")) {
        throw new IllegalArgumentException(
            where + " must not contain a password: " + PASSWORD_HELP);
      }
      if (!key.equals("user") && !POSTGRES_PARAMETERS.contains(key)) {
        throw new IllegalArgumentException(
            where
                + " has a parameter this exporter does not pass on; allowed: "
                + String.join(", ", new java.util.TreeSet<>(POSTGRES_PARAMETERS)));
      }
      if (key.equals("sslmode") && !SSL_MODES.contains(value)) {
        throw new IllegalArgumentException(
            where
                + ": sslmode must be one of "
                + String.join(", ", new java.util.TreeSet<>(SSL_MODES)));
      }
      if (parameters.put(key, value) != null) {
        throw new IllegalArgumentException(where + " gives the parameter " + key + " twice");
      }
    }
    return parameters;
  }

  private static DatabaseUrl.Sqlite sqlite(String name, String rest) {
    String where = "the database URL for " + name;
    String path = rest;
    if (path.startsWith("//")) {
      // sqlite:///var/lib/... (an empty authority) is the same file as sqlite:/var/lib/...
      path = path.substring(2);
    }
    if (path.contains("?") || path.contains("#")) {
      throw new IllegalArgumentException(
          where + " must be sqlite:/path/to/homeserver.db, without parameters");
    }
    if (!path.startsWith("/")) {
      throw new IllegalArgumentException(
          where + " must name the file by its absolute path: sqlite:/path/to/homeserver.db");
    }
    return new DatabaseUrl.Sqlite(name, Path.of(path).normalize());
  }

  private static String decode(String where, String raw) {
    try {
      return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(where + " has a broken %-escape");
    }
  }
}
