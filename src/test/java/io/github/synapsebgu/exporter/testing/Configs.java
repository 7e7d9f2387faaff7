package io.github.synapsebgu.exporter.testing;

import io.github.synapsebgu.exporter.config.ConfigException;
import io.github.synapsebgu.exporter.config.ConfigValidator;
import io.github.synapsebgu.exporter.config.Env;
import io.github.synapsebgu.exporter.config.ExporterConfig;
import io.github.synapsebgu.exporter.config.ServeOptions;
import java.util.Map;
import picocli.CommandLine;

/** Builds configurations the way the daemon does: picocli parsing, then the pure validator. */
public final class Configs {
  private Configs() {}

  public static ServeOptions parse(String... args) {
    ServeOptions options = new ServeOptions();
    new CommandLine(options).setOverwrittenOptionsAllowed(true).parseArgs(args);
    return options;
  }

  public static ExporterConfig of(Map<String, String> env, String... args) throws ConfigException {
    return ConfigValidator.validate(parse(args), new Env(env));
  }
}
