package io.github.synapsebgu.exporter.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.MappingIterator;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The repository's deployment files, read and parsed as they are shipped (no copies, no fixtures).
 */
final class RepoFiles {
  static final Path ROOT = findRoot();
  static final JsonMapper JSON = new JsonMapper();
  static final YAMLMapper YAML = new YAMLMapper();

  private RepoFiles() {}

  private static Path findRoot() {
    // Surefire runs in the module directory; walking up also works from an IDE started elsewhere.
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve("pom.xml")) && Files.isDirectory(p.resolve("src"))) {
        return p;
      }
    }
    throw new IllegalStateException("no pom.xml above " + Path.of("").toAbsolutePath());
  }

  static Path path(String relative) {
    return ROOT.resolve(relative);
  }

  static String read(String relative) {
    try {
      return Files.readString(path(relative), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static byte[] bytes(String relative) {
    try {
      return Files.readAllBytes(path(relative));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static JsonNode yaml(String relative) {
    return YAML.readTree(read(relative));
  }

  static JsonNode json(String relative) {
    return JSON.readTree(read(relative));
  }

  /** Every non-empty document of a multi-document YAML stream, such as helm template output. */
  static List<JsonNode> yamlDocuments(String text) {
    List<JsonNode> docs = new ArrayList<>();
    try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(text)) {
      while (it.hasNextValue()) {
        JsonNode doc = it.nextValue();
        if (doc != null && doc.isObject() && !doc.isEmpty()) {
          docs.add(doc);
        }
      }
    }
    return docs;
  }

  /** The project version: the first version element after the artifactId in pom.xml. */
  static String pomVersion() {
    Matcher m =
        Pattern.compile("</artifactId>\\s*<version>([^<]+)</version>").matcher(read("pom.xml"));
    if (!m.find()) {
      throw new AssertionError("no project version in pom.xml");
    }
    return m.group(1);
  }

  /** A scalar as text, or null when the node is missing, null or a container. */
  static String text(JsonNode node) {
    return node != null && node.isValueNode() && !node.isNull() ? node.asString() : null;
  }
}
