package io.github.synapsebgu.exporter.config;

import io.github.synapsebgu.exporter.config.YamlTree.Entry;
import io.github.synapsebgu.exporter.config.YamlTree.Mapping;
import io.github.synapsebgu.exporter.config.YamlTree.Node;
import io.github.synapsebgu.exporter.config.YamlTree.Scalar;
import io.github.synapsebgu.exporter.source.database.DatabaseUrl;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks a parsed {@code --config.file} and turns it into {@link FleetMember}s: a pure function of
 * the tree and the defaults (it reads no token), reporting every problem with its line, not only
 * the first. Each value goes through the parser of the flag that sets it for one homeserver, so a
 * file and the flags follow one rule.
 */
public final class FleetFileValidator {
  /** What {@code /probe?target=} takes: never a URL, so a probe can only reach the file's URLs. */
  public static final Pattern NAME = Pattern.compile("[a-zA-Z0-9_.-]{1,128}");

  private static final Pattern LABEL = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]{0,127}");
  private static final int MAX_LABEL_VALUE = 1024;
  private static final Set<String> TOP = Set.of("defaults", "homeservers");
  private static final Set<String> DEFAULTS =
      Set.of(
          "timeout",
          "poll_interval",
          "stale_after",
          "tls_ca_file",
          "insecure_skip_verify",
          "labels");
  private static final Set<String> HOMESERVER =
      union(DEFAULTS, "url", "token_file", "metrics_url", "databases", "database_password_file");

  private final List<FleetProblem> problems = new ArrayList<>();

  private FleetFileValidator() {}

  /** The homeservers in file order, and every problem; the homeservers count only without any. */
  public record Result(List<FleetMember> members, List<FleetProblem> problems) {
    public Result {
      members = List.copyOf(members);
      problems = List.copyOf(problems);
    }
  }

  static Result validate(Node root, FleetDefaults base) {
    FleetFileValidator v = new FleetFileValidator();
    List<FleetMember> members = v.top(root, base);
    return new Result(v.problems.isEmpty() ? members : List.of(), v.problems);
  }

  private List<FleetMember> top(Node root, FleetDefaults base) {
    if (root == null) {
      problem(0, "", "the file is empty: it needs homeservers:");
      return List.of();
    }
    Map<String, Entry> top = fields(root, "", TOP);
    if (top == null) {
      return List.of();
    }
    FleetDefaults defaults = base;
    Entry d = top.get("defaults");
    if (d != null && !isNull(d.value())) {
      defaults = defaults(d.value(), base);
    }
    Entry hs = top.get("homeservers");
    if (hs == null || isNull(hs.value())) {
      problem(hs == null ? root.line() : hs.line(), "homeservers", "required: at least one");
      return List.of();
    }
    Map<String, Entry> entries = fields(hs.value(), "homeservers", null);
    if (entries == null) {
      return List.of();
    }
    if (entries.isEmpty()) {
      problem(hs.line(), "homeservers", "required: at least one");
    }
    List<FleetMember> members = new ArrayList<>();
    for (Entry e : entries.values()) {
      String path = "homeservers." + e.key();
      if (!NAME.matcher(e.key()).matches()) {
        problem(
            e.line(),
            path,
            "invalid name (letters, digits, '_', '.', '-'; at most 128): it is what /probe?target="
                + " takes");
        continue;
      }
      FleetMember m = homeserver(e, path, defaults);
      if (m != null) {
        members.add(m);
      }
    }
    return members;
  }

  private FleetDefaults defaults(Node node, FleetDefaults base) {
    Map<String, Entry> f = fields(node, "defaults", DEFAULTS);
    if (f == null) {
      return base;
    }
    String p = "defaults";
    return new FleetDefaults(
        duration(f, p, "timeout", FlagCatalog.SYNAPSE_TIMEOUT).orElse(base.timeout()),
        duration(f, p, "poll_interval", FlagCatalog.POLL_INTERVAL).orElse(base.pollInterval()),
        duration(f, p, "stale_after", FlagCatalog.POLL_STALE_AFTER).orElse(base.staleAfter()),
        flagValue(f, p, "tls_ca_file", FlagCatalog.SYNAPSE_TLS_CA_FILE).or(base::caFile),
        bool(f, p, "insecure_skip_verify").orElse(base.insecureSkipVerify()),
        labels(f, p).orElse(base.labels()));
  }

  private FleetMember homeserver(Entry e, String p, FleetDefaults d) {
    Map<String, Entry> f = fields(e.value(), p, HOMESERVER);
    if (f == null) {
      return null;
    }
    int before = problems.size();
    Optional<URI> url = flagValue(f, p, "url", FlagCatalog.SYNAPSE_URL);
    Optional<String> token = string(f, p, "token_file");
    if (!f.containsKey("url")) {
      problem(e.line(), p + ".url", "required: the homeserver's base URL");
    }
    if (!f.containsKey("token_file")) {
      problem(
          e.line(),
          p + ".token_file",
          "required: a file holding a server admin's access token (secrets only by file)");
    }
    Duration timeout = duration(f, p, "timeout", FlagCatalog.SYNAPSE_TIMEOUT).orElse(d.timeout());
    Duration interval =
        duration(f, p, "poll_interval", FlagCatalog.POLL_INTERVAL).orElse(d.pollInterval());
    Duration stale =
        duration(f, p, "stale_after", FlagCatalog.POLL_STALE_AFTER).orElse(d.staleAfter());
    Optional<Path> ca = flagValue(f, p, "tls_ca_file", FlagCatalog.SYNAPSE_TLS_CA_FILE);
    boolean insecure = bool(f, p, "insecure_skip_verify").orElse(d.insecureSkipVerify());
    Optional<URI> metricsUrl = flagValue(f, p, "metrics_url", FlagCatalog.SYNAPSE_METRICS_URL);
    List<DatabaseUrl> databases = databases(f, p);
    Optional<Path> password =
        flagValue(f, p, "database_password_file", FlagCatalog.DATABASE_PASSWORD_FILE);
    if (password.isPresent()
        && databases.stream().noneMatch(db -> db instanceof DatabaseUrl.Postgres)) {
      Entry pe = f.get("database_password_file");
      problem(pe.line(), p + ".database_password_file", "needs a postgresql:// database");
    }
    Map<String, String> labels = new LinkedHashMap<>(d.labels());
    labels(f, p).ifPresent(labels::putAll);
    if (problems.size() > before || url.isEmpty() || token.isEmpty()) {
      return null;
    }
    return new FleetMember(
        e.key(),
        e.line(),
        new HomeserverSpec(
            url.get(),
            Path.of(token.get()),
            timeout,
            interval,
            stale,
            ca.or(d::caFile),
            insecure,
            metricsUrl,
            databases,
            password),
        labels);
  }

  private List<DatabaseUrl> databases(Map<String, Entry> f, String p) {
    Entry e = f.get("databases");
    if (e == null || isNull(e.value())) {
      return List.of();
    }
    Map<String, Entry> dbs = fields(e.value(), p + ".databases", null);
    if (dbs == null) {
      return List.of();
    }
    List<DatabaseUrl> out = new ArrayList<>();
    for (Entry db : dbs.values()) {
      String key = p + ".databases." + db.key();
      Optional<String> raw = scalarString(db, key);
      if (raw.isEmpty()) {
        continue;
      }
      try {
        out.add(FlagCatalog.DATABASE_URL.parseAs(key, db.key() + "=" + raw.get()));
      } catch (ConfigException ex) {
        problem(db.line(), key, ex.problem());
      }
    }
    return out;
  }

  private Optional<Map<String, String>> labels(Map<String, Entry> f, String p) {
    Entry e = f.get("labels");
    if (e == null || isNull(e.value())) {
      return Optional.empty();
    }
    Map<String, Entry> l = fields(e.value(), p + ".labels", null);
    if (l == null) {
      return Optional.empty();
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (Entry label : l.values()) {
      String key = p + ".labels." + label.key();
      if (!LABEL.matcher(label.key()).matches() || label.key().startsWith("__")) {
        problem(
            label.line(),
            key,
            "invalid label name ([a-zA-Z_][a-zA-Z0-9_]*, not starting with __, at most 128)");
        continue;
      }
      Optional<String> value = scalarString(label, key);
      if (value.isPresent() && value.get().length() > MAX_LABEL_VALUE) {
        problem(label.line(), key, "longer than " + MAX_LABEL_VALUE + " characters");
      } else {
        value.ifPresent(v -> out.put(label.key(), v));
      }
    }
    return Optional.of(out);
  }

  private Optional<Duration> duration(
      Map<String, Entry> f, String p, String key, Flag<Duration> flag) {
    return flagValue(f, p, key, flag);
  }

  /** A string value checked by {@code flag}'s own parser, reported under the file's key. */
  private <T> Optional<T> flagValue(Map<String, Entry> f, String p, String key, Flag<T> flag) {
    Optional<String> raw = string(f, p, key);
    if (raw.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(flag.parseAs(p + "." + key, raw.get()));
    } catch (ConfigException e) {
      problem(f.get(key).line(), p + "." + key, e.problem());
      return Optional.empty();
    }
  }

  private Optional<String> string(Map<String, Entry> f, String p, String key) {
    Entry e = f.get(key);
    return e == null ? Optional.empty() : scalarString(e, p + "." + key);
  }

  private Optional<String> scalarString(Entry e, String key) {
    if (e.value() instanceof Scalar s && s.value() instanceof String str) {
      if (str.isBlank()) {
        problem(e.line(), key, "must not be empty");
        return Optional.empty();
      }
      return Optional.of(str);
    }
    problem(e.line(), key, "must be a string, got " + YamlTree.kind(e.value()));
    return Optional.empty();
  }

  private Optional<Boolean> bool(Map<String, Entry> f, String p, String key) {
    Entry e = f.get(key);
    if (e == null) {
      return Optional.empty();
    }
    if (e.value() instanceof Scalar s && s.value() instanceof Boolean b) {
      return Optional.of(b);
    }
    problem(e.line(), p + "." + key, "must be true or false, got " + YamlTree.kind(e.value()));
    return Optional.empty();
  }

  /**
   * The entries of a mapping by key, after reporting what is not a mapping, unknown keys (when
   * {@code known} is given) and duplicates (the first one counts).
   *
   * @return null when {@code node} is not a mapping
   */
  private Map<String, Entry> fields(Node node, String path, Set<String> known) {
    if (!(node instanceof Mapping m)) {
      problem(node.line(), path, "must be a mapping, got " + YamlTree.kind(node));
      return null;
    }
    Map<String, Entry> out = new LinkedHashMap<>();
    Map<String, Integer> seen = new HashMap<>();
    for (Entry e : m.entries()) {
      String key = path.isEmpty() ? e.key() : path + "." + e.key();
      Integer first = seen.putIfAbsent(e.key(), e.line());
      if (first != null) {
        problem(e.line(), key, "duplicate key (first at line " + first + ")");
        continue;
      }
      if (known != null && !known.contains(e.key())) {
        problem(
            e.line(),
            key,
            "unknown key (known: " + String.join(", ", known.stream().sorted().toList()) + ")");
        continue;
      }
      out.put(e.key(), e);
    }
    return out;
  }

  private static boolean isNull(Node n) {
    return n instanceof Scalar s && s.value() == null;
  }

  private void problem(int line, String key, String problem) {
    problems.add(new FleetProblem(line, key, problem));
  }

  private static Set<String> union(Set<String> a, String... more) {
    Set<String> out = new HashSet<>(a);
    out.addAll(List.of(more));
    return Set.copyOf(out);
  }
}
