package io.github.synapsebgu.exporter.config;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * One flag, declared once: its name, the environment variable named after it (daemon flags only),
 * its default, how its value is parsed and checked, and what it means. The command line takes the
 * name (picocli's {@code @Option} names it with the {@code Names} constant this declaration uses
 * too) and the help text ({@link #help()}, given to picocli by {@link FlagHelp}); {@link Env} takes
 * the variable, the default and the parser; tests keep the options and the README's flag tables
 * equal to the declarations.
 *
 * @param <T> what the program uses, e.g. a {@code Duration} for {@code --poll.interval}
 */
public final class Flag<T> {
  private final String name;
  private final boolean fromEnvironment;
  private final Optional<String> defaultValue;
  private final boolean onOff;
  private final ValueParser<T> parser;
  private final String meaning;

  private Flag(
      String name,
      boolean fromEnvironment,
      Optional<String> defaultValue,
      boolean onOff,
      ValueParser<T> parser,
      String meaning) {
    if (!name.startsWith("--")) {
      throw new IllegalArgumentException("a flag's name starts with --: " + name);
    }
    this.name = name;
    this.fromEnvironment = fromEnvironment;
    this.defaultValue = defaultValue;
    this.onOff = onOff;
    this.parser = Objects.requireNonNull(parser, "parser");
    this.meaning = Objects.requireNonNull(meaning, "meaning");
  }

  /**
   * A flag taking a value, with an environment variable named after it.
   *
   * @param defaultValue as a user would type it (it goes through {@code parser} like any value);
   *     null when the flag has none
   * @param meaning the help text, without the default and the variable (both are added)
   */
  public static <T> Flag<T> of(
      String name, String defaultValue, ValueParser<T> parser, String meaning) {
    return new Flag<>(name, true, Optional.ofNullable(defaultValue), false, parser, meaning);
  }

  /** An on/off flag, off by default: {@code --demo} alone means on, {@code --demo=false} off. */
  public static Flag<Boolean> onOff(String name, String meaning) {
    return new Flag<>(name, true, Optional.of("false"), true, ValueParsers.bool(), meaning);
  }

  /** The same flag without an environment variable (an operator command's own flag). */
  public Flag<T> withoutEnvironment() {
    return new Flag<>(name, false, defaultValue, onOff, parser, meaning);
  }

  /** {@code --poll.interval}. */
  public String name() {
    return name;
  }

  /** {@code --poll.interval} reads {@code POLL_INTERVAL}; empty for a command's own flag. */
  public Optional<String> environmentVariable() {
    if (!fromEnvironment) {
      return Optional.empty();
    }
    return Optional.of(
        name.replaceFirst("^--", "").replaceAll("[.-]", "_").toUpperCase(Locale.ROOT));
  }

  /** The default as typed (e.g. {@code 15s}), if the flag has one. */
  public Optional<String> defaultValue() {
    return defaultValue;
  }

  /** Whether the flag may be given without a value, meaning {@code true}. */
  public boolean onOff() {
    return onOff;
  }

  /**
   * The text {@code --help} shows: the meaning, the default of a flag taking a value, the variable.
   */
  public String help() {
    StringBuilder help = new StringBuilder(meaning);
    if (!onOff && defaultValue.isPresent()) {
      help.append(" (default ").append(defaultValue.get()).append(')');
    }
    help.append('.');
    environmentVariable().ifPresent(v -> help.append(" [env: ").append(v).append(']'));
    return help.toString();
  }

  /**
   * The value given (from the command line or the environment), else the default.
   *
   * @param raw the value given, or null
   * @return null when neither a value nor a default exists
   * @throws ConfigException naming the flag when the value is invalid
   */
  public T parse(String raw) throws ConfigException {
    String value = raw != null ? raw : defaultValue.orElse(null);
    return value == null ? null : parser.parse(name, value);
  }

  /**
   * The same check of a value given under another name: a key of the {@code --config.file}, so a
   * file and the flags follow one rule.
   *
   * @throws ConfigException naming {@code key}
   */
  public T parseAs(String key, String raw) throws ConfigException {
    return parser.parse(key, raw);
  }

  @Override
  public String toString() {
    return name;
  }
}
