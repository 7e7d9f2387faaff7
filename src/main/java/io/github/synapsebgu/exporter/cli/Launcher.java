package io.github.synapsebgu.exporter.cli;

import java.io.PrintWriter;
import java.util.Map;
import java.util.Optional;

/**
 * The jar's entry point: a plain start runs with no picocli class loaded ({@link PlainStart#run}),
 * anything else goes to {@link Main}. Not {@code Main} itself: the launcher looks its {@code main}
 * up by reflection, which loads the types of every public method of the class, and {@code Main}'s
 * return picocli's {@code CommandLine}.
 */
public final class Launcher {
  private Launcher() {}

  public static void main(String[] args) {
    Map<String, String> env = System.getenv();
    Optional<Integer> plain = PlainStart.run(args, env, new PrintWriter(System.err, true));
    System.exit(plain.isPresent() ? plain.get() : Main.run(args, env));
  }
}
