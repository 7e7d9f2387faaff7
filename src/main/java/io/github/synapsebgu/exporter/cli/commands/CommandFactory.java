package io.github.synapsebgu.exporter.cli.commands;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import picocli.CommandLine;

/**
 * Creates the operator commands with their {@link CliContext}; anything else (picocli's own
 * helpers, mixins) comes from picocli's default factory.
 */
public final class CommandFactory implements CommandLine.IFactory {
  private final CliContext context;
  private final CommandLine.IFactory fallback = CommandLine.defaultFactory();

  public CommandFactory(CliContext context) {
    this.context = context;
  }

  /**
   * The factory as picocli's type: code that only hands it to picocli (cli/Main) then does not load
   * picocli to check that a {@code CommandFactory} is one, at every start (issue 17).
   */
  public static CommandLine.IFactory of(CliContext context) {
    return new CommandFactory(context);
  }

  @Override
  public <K> K create(Class<K> type) throws Exception {
    Constructor<K> withContext;
    try {
      withContext = type.getDeclaredConstructor(CliContext.class);
    } catch (NoSuchMethodException e) {
      return fallback.create(type);
    }
    try {
      return withContext.newInstance(context);
    } catch (InvocationTargetException e) {
      throw e.getCause() instanceof Exception cause ? cause : e;
    }
  }
}
