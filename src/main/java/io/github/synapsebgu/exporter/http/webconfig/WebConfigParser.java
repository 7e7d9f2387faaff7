package io.github.synapsebgu.exporter.http.webconfig;

import io.github.synapsebgu.exporter.http.webconfig.YamlFields.FieldException;
import io.github.synapsebgu.exporter.secrets.SafeFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Reads an exporter-toolkit web config file (the YAML a node_exporter user already has) into a
 * {@link WebConfig}: a pure function of the file and the files it names. Strict like the toolkit:
 * unknown keys and duplicate keys are errors.
 */
public final class WebConfigParser {
  private static final YAMLMapper YAML =
      YAMLMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
  private static final Set<String> TOP =
      Set.of("tls_server_config", "http_server_config", "basic_auth_users", "auth_excluded_paths");
  // Go's bcrypt accepts these three prefixes; cost 4..31 as bcrypt defines it.
  private static final Pattern BCRYPT =
      Pattern.compile("\\$2[aby]\\$(0[4-9]|[12][0-9]|3[01])\\$[./A-Za-z0-9]{53}");
  // The toolkit's list: only these headers, and these values where the header is an enumeration.
  private static final Map<String, Set<String>> HEADERS =
      Map.of(
          "Strict-Transport-Security", Set.of(),
          "X-Content-Type-Options", Set.of("nosniff"),
          "X-Frame-Options", Set.of("deny", "sameorigin"),
          "X-XSS-Protection", Set.of(),
          "Content-Security-Policy", Set.of());
  private static final long MAX_FILE_BYTES = 1024 * 1024;

  private WebConfigParser() {}

  /**
   * @throws InvalidWebConfigException naming the file and the field
   */
  public static WebConfig parse(Path file) throws InvalidWebConfigException {
    try {
      return parseFields(file);
    } catch (FieldException e) {
      throw new InvalidWebConfigException(file + ": " + e.getMessage());
    }
  }

  private static WebConfig parseFields(Path file) throws FieldException, InvalidWebConfigException {
    JsonNode root = readYaml(file);
    if (root == null || root.isMissingNode() || root.isNull()) {
      return WebConfig.open(); // an empty file is valid: no TLS, no auth
    }
    YamlFields top = YamlFields.of(root, "", TOP, Set.of("rate_limit"));
    List<Path> watched = new ArrayList<>();
    Path dir = file.toAbsolutePath().getParent();
    Optional<TlsSettings> tls = Optional.empty();
    Optional<JsonNode> tlsSection = top.get("tls_server_config");
    if (tlsSection.isPresent()) {
      tls = TlsParser.parse(tlsSection.get(), dir, watched);
    }
    return new WebConfig(tls, users(top), headers(top), Set.copyOf(excludedPaths(top)), watched);
  }

  private static JsonNode readYaml(Path file) throws InvalidWebConfigException {
    byte[] bytes;
    try {
      bytes = SafeFiles.readRegularFile(file, MAX_FILE_BYTES);
    } catch (IOException e) {
      throw new InvalidWebConfigException(file + ": " + e.getMessage());
    }
    try {
      return YAML.readTree(bytes);
    } catch (JacksonException e) {
      String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr();
      throw new InvalidWebConfigException(
          file + ": not valid YAML" + where + ": " + e.getOriginalMessage());
    }
  }

  private static Map<String, String> users(YamlFields top) throws FieldException {
    Map<String, String> users = new LinkedHashMap<>();
    Optional<JsonNode> section = top.get("basic_auth_users");
    if (section.isEmpty()) {
      return users;
    }
    if (!section.get().isObject()) {
      throw new FieldException(
          "basic_auth_users",
          "must be a mapping of user name to bcrypt hash, got " + YamlFields.kind(section.get()));
    }
    for (Map.Entry<String, JsonNode> e : section.get().properties()) {
      String user = e.getKey();
      String field = "basic_auth_users." + user;
      if (user.isEmpty() || user.contains(":") || user.chars().anyMatch(Character::isISOControl)) {
        throw new FieldException(
            field, "user names must be non-empty, without ':' or control characters");
      }
      JsonNode hash = e.getValue();
      // Never echo the value: a hash can be attacked offline.
      if (hash == null || !hash.isString() || !BCRYPT.matcher(hash.stringValue()).matches()) {
        throw new FieldException(
            field,
            "is not a bcrypt hash (expected 60 characters like $2y$10$..., e.g. from"
                + " `htpasswd -nbBC 10 USER PASSWORD`)");
      }
      users.put(user, hash.stringValue());
    }
    return users;
  }

  private static Map<String, String> headers(YamlFields top) throws FieldException {
    Map<String, String> headers = new LinkedHashMap<>();
    Optional<JsonNode> section = top.get("http_server_config");
    if (section.isEmpty()) {
      return headers;
    }
    // http2 is accepted for compatibility; this server speaks HTTP/1.1 only.
    YamlFields http =
        YamlFields.of(section.get(), "http_server_config", Set.of("headers", "http2"), Set.of());
    http.bool("http2");
    Optional<JsonNode> values = http.get("headers");
    if (values.isEmpty()) {
      return headers;
    }
    YamlFields h =
        YamlFields.of(values.get(), "http_server_config.headers", HEADERS.keySet(), Set.of());
    for (String name : HEADERS.keySet()) {
      Optional<String> value = h.string(name);
      if (value.isEmpty()) {
        continue; // "unset if blank", as the toolkit documents
      }
      Set<String> allowed = HEADERS.get(name);
      if (!allowed.isEmpty() && !allowed.contains(value.get())) {
        throw new FieldException(
            h.path(name),
            "invalid value \"" + value.get() + "\" (one of " + String.join(", ", allowed) + ")");
      }
      if (value.get().chars().anyMatch(Character::isISOControl)) {
        throw new FieldException(h.path(name), "must not contain control characters");
      }
      headers.put(name, value.get());
    }
    return headers;
  }

  private static List<String> excludedPaths(YamlFields top) throws FieldException {
    List<String> paths = top.strings("auth_excluded_paths").orElse(List.of());
    for (String p : paths) {
      if (!p.startsWith("/")) {
        throw new FieldException(
            "auth_excluded_paths", "\"" + p + "\" is not a path (must start with /)");
      }
    }
    return paths;
  }
}
