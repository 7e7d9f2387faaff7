package io.github.synapsebgu.exporter.synapse;

import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.TokenStreamFactory;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.core.util.JsonRecyclerPools;

/**
 * Reads the status JSON strictly where it matters (the fields we export) and leniently elsewhere
 * (unknown fields are ignored, so a newer Synapse that adds fields keeps working).
 *
 * <p>Uses Jackson's streaming parser into plain Java values rather than jackson-databind's tree:
 * databind loads about 500 classes and every locale of the JDK on first use, which cost the
 * exporter about 9 MiB of memory and a few hundred milliseconds before its first poll finished.
 */
public final class StatusParser {
  // No symbol table and no recycled buffers: Jackson would otherwise keep every database name it
  // has seen (interned, in a table shared by all parses) and the buffers of the largest body,
  // memory that a status of a thousand long names would hold on to for good.
  private static final JsonFactory JSON =
      JsonFactory.builder()
          .disable(TokenStreamFactory.Feature.CANONICALIZE_PROPERTY_NAMES)
          .disable(TokenStreamFactory.Feature.INTERN_PROPERTY_NAMES)
          .recyclerPool(JsonRecyclerPools.nonRecyclingPool())
          .build();

  /**
   * Longest database or update name accepted. Synapse's update names are identifiers of under 60
   * characters ({@code populate_user_directory_process_users}) and its database names are the keys
   * of its {@code databases:} config ({@code master}); each name is written into four series per
   * scrape, so a longer one is not Synapse and would only cost memory.
   */
  public static final int MAX_NAME_CHARS = 128;

  /**
   * Most databases accepted in {@code current_updates}. Synapse has one per entry of its {@code
   * databases:} config, in practice one to three.
   */
  public static final int MAX_DATABASES = 1000;

  private static final Set<String> ROOT_FIELDS = Set.of("enabled", "current_updates");
  private static final Set<String> UPDATE_FIELDS =
      Set.of("name", "total_item_count", "total_duration_ms", "average_items_per_ms");

  /** JSON's null, as distinct from a missing field (Java's null). */
  private static final Object NULL = new Object();

  /** An array or a nested object, skipped: only its kind matters. */
  private static final Object ARRAY = new Object();

  private static final Object OBJECT = new Object();

  private StatusParser() {}

  public static StatusResponse parse(byte[] body) throws InvalidResponseException {
    Object root;
    try (JsonParser parser = JSON.createParser(ObjectReadContext.empty(), body)) {
      JsonToken first = parser.nextToken();
      if (first == null) {
        throw new InvalidResponseException("empty body");
      }
      root = value(parser, first, 0, false);
      if (parser.nextToken() != null) {
        throw new InvalidResponseException("body is not JSON: more content after the value");
      }
    } catch (JacksonException e) {
      throw new InvalidResponseException("body is not JSON: " + e.getOriginalMessage());
    }
    if (!(root instanceof Map<?, ?> object)) {
      throw new InvalidResponseException("expected a JSON object, got " + kind(root));
    }
    Object enabled = object.get("enabled");
    if (!(enabled instanceof Boolean on)) {
      throw new InvalidResponseException(
          "field \"enabled\" must be a boolean, got " + kind(enabled));
    }
    Object updates = object.get("current_updates");
    if (!(updates instanceof Map<?, ?> byDatabase)) {
      throw new InvalidResponseException(
          "field \"current_updates\" must be an object, got " + kind(updates));
    }
    Map<String, CurrentUpdate> current = new LinkedHashMap<>();
    for (Map.Entry<?, ?> entry : byDatabase.entrySet()) {
      String database = (String) entry.getKey();
      checkName("a database name in current_updates", database);
      current.put(database, parseUpdate(database, entry.getValue()));
    }
    return new StatusResponse(on, current);
  }

  /**
   * The value starting at {@code token}: a Map, String, Boolean, Long, BigInteger, Double, or a
   * marker. Only what the status can hold is kept: fields we do not read, arrays and objects below
   * an update's fields are skipped (the parser still checks they are JSON), so a large or hostile
   * body costs at most memory in proportion to what we read.
   */
  private static Object value(JsonParser parser, JsonToken token, int depth, boolean databases)
      throws InvalidResponseException {
    switch (token) {
      case START_OBJECT:
        if (depth > 2) {
          parser.skipChildren();
          return OBJECT;
        }
        Map<String, Object> object = new LinkedHashMap<>();
        for (String name = parser.nextName(); name != null; name = parser.nextName()) {
          JsonToken next = parser.nextToken();
          if ((depth == 0 && !ROOT_FIELDS.contains(name))
              || (depth == 2 && !UPDATE_FIELDS.contains(name))) {
            parser.skipChildren();
          } else {
            if (databases && object.size() == MAX_DATABASES) {
              // Refused while reading: the rest is not worth keeping in memory.
              throw new InvalidResponseException(
                  "current_updates lists more than " + MAX_DATABASES + " databases");
            }
            boolean isDatabases = depth == 0 && name.equals("current_updates");
            object.put(name, value(parser, next, depth + 1, isDatabases));
          }
        }
        return object;
      case START_ARRAY:
        parser.skipChildren();
        return ARRAY;
      case VALUE_STRING:
        return parser.getString();
      case VALUE_TRUE:
        return Boolean.TRUE;
      case VALUE_FALSE:
        return Boolean.FALSE;
      case VALUE_NULL:
        return NULL;
      case VALUE_NUMBER_INT:
        return parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER
            ? parser.getBigIntegerValue()
            : (Object) parser.getLongValue();
      case VALUE_NUMBER_FLOAT:
        return parser.getDoubleValue();
      default:
        throw new IllegalStateException("unexpected JSON token " + token);
    }
  }

  private static CurrentUpdate parseUpdate(String database, Object node)
      throws InvalidResponseException {
    String where = "current_updates[\"" + database + "\"]";
    if (!(node instanceof Map<?, ?> update)) {
      throw new InvalidResponseException(where + " must be an object, got " + kind(node));
    }
    Object name = update.get("name");
    if (!(name instanceof String text) || text.isEmpty()) {
      throw new InvalidResponseException(
          where + ".name must be a non-empty string, got " + kind(name));
    }
    checkName(where + ".name", text);
    Object items = update.get("total_item_count");
    if (!(items instanceof Number count) || !isWholeNonNegative(count)) {
      throw new InvalidResponseException(
          where + ".total_item_count must be a non-negative integer, got " + kind(items));
    }
    double durationMs =
        nonNegativeNumber(update.get("total_duration_ms"), where + ".total_duration_ms");
    Object rate = update.get("average_items_per_ms");
    OptionalDouble averagePerMs;
    if (rate == null) {
      throw new InvalidResponseException(where + ".average_items_per_ms is missing");
    } else if (rate == NULL) {
      averagePerMs = OptionalDouble.empty();
    } else {
      averagePerMs = OptionalDouble.of(nonNegativeNumber(rate, where + ".average_items_per_ms"));
    }
    CurrentUpdate parsed = new CurrentUpdate(text, count.longValue(), durationMs, averagePerMs);
    // Checked after conversion too: 1e308 items/ms is a finite number, its items/s is not.
    if (!Double.isFinite(parsed.durationSeconds())) {
      throw new InvalidResponseException(
          where + ".total_duration_ms is too large to export in seconds: " + durationMs);
    }
    if (parsed.itemsPerSecond().isPresent()
        && !Double.isFinite(parsed.itemsPerSecond().getAsDouble())) {
      throw new InvalidResponseException(
          where
              + ".average_items_per_ms is too large to export per second: "
              + averagePerMs.getAsDouble());
    }
    return parsed;
  }

  private static void checkName(String what, String name) throws InvalidResponseException {
    if (name.length() > MAX_NAME_CHARS) {
      // Quote only the start: the message goes into logs and the admin API's status.
      throw new InvalidResponseException(
          what
              + " is "
              + name.length()
              + " characters long, more than the "
              + MAX_NAME_CHARS
              + " accepted (Synapse's names are short identifiers): \""
              + name.substring(0, 32)
              + "...\"");
    }
  }

  private static boolean isWholeNonNegative(Number n) {
    if (n instanceof Long l) {
      return l >= 0;
    }
    if (n instanceof BigInteger) {
      return false; // beyond a long
    }
    double d = n.doubleValue();
    return d >= 0 && d == Math.rint(d) && d < 9.0e15;
  }

  private static double nonNegativeNumber(Object n, String where) throws InvalidResponseException {
    if (!(n instanceof Number number)) {
      throw new InvalidResponseException(where + " must be a number, got " + kind(n));
    }
    double d = number.doubleValue();
    if (!Double.isFinite(d) || d < 0) {
      throw new InvalidResponseException(where + " must be a finite non-negative number, got " + d);
    }
    return d;
  }

  /** The JSON type of a value, as the messages name it ("nothing" for a missing field). */
  private static String kind(Object n) {
    if (n == null) {
      return "nothing";
    } else if (n == NULL) {
      return "null";
    } else if (n instanceof Map || n == OBJECT) {
      return "object";
    } else if (n == ARRAY) {
      return "array";
    } else if (n instanceof String) {
      return "string";
    } else if (n instanceof Boolean) {
      return "boolean";
    }
    return "number";
  }
}
