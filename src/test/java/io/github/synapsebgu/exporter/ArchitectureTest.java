package io.github.synapsebgu.exporter;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The package map of docs/architecture.md, checked on the sources: no package cycle, and the lower
 * layers never reach up. Read from the source text (imports and fully qualified names outside
 * comments), so it needs no bytecode library.
 */
class ArchitectureTest {
  private static final Path MAIN = Path.of("src/main/java/io/github/synapsebgu/exporter");
  private static final Pattern REFERENCE =
      Pattern.compile("io\\.github\\.synapsebgu\\.exporter\\.([a-z][a-z0-9.]*?)\\.[A-Z]");

  /** Package -> the packages of ours it refers to. */
  private static final Map<String, Set<String>> GRAPH = new TreeMap<>();

  /**
   * Every package and what it may use of ours: the table of docs/architecture.md. A new package or
   * a new dependency is a decision to make there first (the test names the package that is off).
   */
  private static final Map<String, Set<String>> ALLOWED =
      Map.ofEntries(
          Map.entry("secrets", Set.of()),
          Map.entry("outbound", Set.of()),
          Map.entry("source", Set.of()),
          Map.entry("build", Set.of()),
          Map.entry("signal", Set.of()),
          Map.entry("scrape", Set.of()),
          Map.entry("http.webconfig", Set.of("secrets")),
          Map.entry("http", Set.of("http.webconfig", "secrets")),
          Map.entry("synapse", Set.of("outbound", "secrets", "source")),
          Map.entry("source.metrics", Set.of("outbound", "source")),
          Map.entry("source.database", Set.of("source", "secrets")),
          Map.entry("poll", Set.of("synapse", "secrets", "source")),
          Map.entry(
              "metrics",
              Set.of(
                  "build",
                  "poll",
                  "scrape",
                  "source",
                  "source.database",
                  "source.metrics",
                  "synapse")),
          Map.entry(
              "config",
              Set.of("http.webconfig", "secrets", "source.database", "source.metrics", "synapse")),
          Map.entry("logging", Set.of("config")),
          Map.entry(
              "homeserver",
              Set.of(
                  "config",
                  "metrics",
                  "poll",
                  "scrape",
                  "secrets",
                  "source",
                  "source.database",
                  "source.metrics",
                  "synapse")),
          Map.entry("demo", Set.of("http", "secrets")),
          Map.entry(
              "fleet",
              Set.of("config", "homeserver", "http", "poll", "secrets", "source", "synapse")),
          Map.entry(
              "admin",
              Set.of(
                  "config",
                  "homeserver",
                  "http",
                  "http.webconfig",
                  "poll",
                  "secrets",
                  "source",
                  "synapse")),
          Map.entry(
              "cli.commands",
              Set.of(
                  "build",
                  "config",
                  "secrets",
                  "source",
                  "source.database",
                  "source.metrics",
                  "synapse")),
          Map.entry(
              "cli",
              Set.of(
                  "admin",
                  "build",
                  "cli.commands",
                  "config",
                  "demo",
                  "fleet",
                  "homeserver",
                  "http",
                  "http.webconfig",
                  "logging",
                  "metrics",
                  "poll",
                  "scrape",
                  "secrets",
                  "signal",
                  "source",
                  "synapse")),
          Map.entry("cds", Set.of("build", "cli", "config", "logging")));

  @BeforeAll
  static void readSources() throws IOException {
    try (Stream<Path> files = Files.walk(MAIN)) {
      files.filter(p -> p.toString().endsWith(".java")).forEach(ArchitectureTest::read);
    }
  }

  private static void read(Path file) {
    String pkg = MAIN.relativize(file.getParent()).toString().replace('/', '.');
    Set<String> uses = GRAPH.computeIfAbsent(pkg, k -> new TreeSet<>());
    try {
      for (String line : Files.readAllLines(file)) {
        String code = line.strip();
        if (code.startsWith("*") || code.startsWith("/*") || code.startsWith("//")) {
          continue;
        }
        Matcher m = REFERENCE.matcher(code);
        while (m.find()) {
          if (!m.group(1).equals(pkg)) {
            uses.add(m.group(1));
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void the_sources_were_found() {
    assertThat(GRAPH).containsKeys("synapse", "poll", "cli", "admin", "secrets");
  }

  @Test
  void every_package_is_in_the_map() {
    assertThat(ALLOWED.keySet()).as("packages in docs/architecture.md").containsAll(GRAPH.keySet());
  }

  @Test
  void no_package_reaches_itself_through_others() {
    List<String> cycles = new ArrayList<>();
    for (String start : GRAPH.keySet()) {
      findCycle(start).ifPresent(cycles::add);
    }
    assertThat(cycles).as("package cycles").isEmpty();
  }

  @Test
  void lower_layers_use_only_what_they_may() {
    Map<String, Set<String>> violations = new TreeMap<>();
    ALLOWED.forEach(
        (pkg, allowed) -> {
          Set<String> extra = new TreeSet<>(GRAPH.getOrDefault(pkg, Set.of()));
          extra.removeAll(allowed);
          if (!extra.isEmpty()) {
            violations.put(pkg, extra);
          }
        });
    assertThat(violations).as("package -> packages it must not use").isEmpty();
  }

  /** A path from {@code start} back to itself, breadth first, as "a -> b -> a". */
  private static Optional<String> findCycle(String start) {
    Deque<List<String>> queue = new ArrayDeque<>();
    queue.add(List.of(start));
    Set<String> seen = new TreeSet<>();
    while (!queue.isEmpty()) {
      List<String> path = queue.poll();
      String last = path.get(path.size() - 1);
      for (String next : GRAPH.getOrDefault(last, Set.of())) {
        List<String> longer = new ArrayList<>(path);
        longer.add(next);
        if (next.equals(start)) {
          return Optional.of(String.join(" -> ", longer));
        }
        if (seen.add(next)) {
          queue.add(longer);
        }
      }
    }
    return Optional.empty();
  }
}
