package io.github.synapsebgu.exporter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.synapsebgu.exporter.cli.commands.CommandFlags;
import io.github.synapsebgu.exporter.config.Flag;
import io.github.synapsebgu.exporter.config.FlagCatalog;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The command line as {@code main()} builds it offers exactly the declared flags: each option is a
 * declaration of {@link FlagCatalog} or {@code CommandFlags}, shows that declaration's help, and
 * takes a value unless the declaration says it is an on/off flag.
 */
class FlagDeclarationsTest {
  private static final CommandLine FULL = Main.commandLine(new Main(), Map.of());

  private static final Map<String, Flag<?>> DECLARED = new LinkedHashMap<>();

  static {
    Stream.concat(FlagCatalog.DAEMON.stream(), CommandFlags.ALL.stream())
        .forEach(f -> assertThat(DECLARED.put(f.name(), f)).as(f + " declared twice").isNull());
  }

  /** The command line and each command's, by name ("" for the top one). */
  private static Map<String, CommandLine> commandLines() {
    Map<String, CommandLine> lines = new LinkedHashMap<>();
    lines.put("", FULL);
    lines.putAll(FULL.getSubcommands());
    return lines;
  }

  private static List<OptionSpec> ownOptions(CommandLine line) {
    List<OptionSpec> options = new ArrayList<>();
    for (OptionSpec option : line.getCommandSpec().options()) {
      if (!option.usageHelp() && !option.versionHelp()) {
        options.add(option);
      }
    }
    return options;
  }

  private static List<String> names(List<OptionSpec> options) {
    return options.stream().map(OptionSpec::longestName).toList();
  }

  private static List<String> flagNames(List<Flag<?>> flags) {
    return flags.stream().map(Flag::name).toList();
  }

  @Test
  void every_option_is_a_declared_flag_with_its_help_and_arity() {
    Set<String> used = new HashSet<>();
    commandLines()
        .forEach(
            (command, line) -> {
              for (OptionSpec option : ownOptions(line)) {
                String where = (command + " " + option.longestName()).strip();
                Flag<?> flag = DECLARED.get(option.longestName());
                assertThat(flag).as(where + " is declared").isNotNull();
                used.add(flag.name());
                assertThat(String.join(" ", option.description()))
                    .as(where + " help")
                    .isEqualTo(flag.help());
                assertThat(option.arity().min() == 0).as(where + " on/off").isEqualTo(flag.onOff());
                if (flag.onOff()) {
                  assertThat(option.fallbackValue()).as(where + " alone").isEqualTo("true");
                }
              }
            });
    assertThat(used).as("declared flags that no command offers").containsAll(DECLARED.keySet());
  }

  @Test
  void the_daemon_offers_its_flags_in_the_declared_order_with_or_without_serve() {
    List<String> daemon = flagNames(FlagCatalog.DAEMON);
    assertThat(names(ownOptions(FULL))).containsExactlyElementsOf(daemon);
    assertThat(names(ownOptions(FULL.getSubcommands().get("serve"))))
        .containsExactlyElementsOf(daemon);
  }

  @Test
  void every_command_that_talks_to_synapse_offers_the_synapse_flags() {
    List<String> synapse = flagNames(FlagCatalog.SYNAPSE);
    for (String command : List.of("status", "wait", "pause", "resume", "start-job")) {
      assertThat(names(ownOptions(FULL.getSubcommands().get(command))))
          .as(command)
          .startsWith(synapse.toArray(String[]::new));
    }
  }
}
