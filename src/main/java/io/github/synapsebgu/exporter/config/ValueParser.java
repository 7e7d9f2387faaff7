package io.github.synapsebgu.exporter.config;

/** Turns one flag's value, as typed, into what the program uses; failures name the flag. */
@FunctionalInterface
public interface ValueParser<T> {
  /**
   * @param flag the flag's name, for the error message
   * @param raw the value as typed or taken from the environment; never null
   */
  T parse(String flag, String raw) throws ConfigException;
}
