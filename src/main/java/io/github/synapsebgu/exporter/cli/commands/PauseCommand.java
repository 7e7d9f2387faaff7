package io.github.synapsebgu.exporter.cli.commands;

import io.github.synapsebgu.exporter.config.ConfigException;
import java.io.IOException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code pause}: POST enabled {"enabled": false}. */
@Command(
    name = "pause",
    sortOptions = false,
    abbreviateSynopsis = true,
    usageHelpAutoWidth = true,
    description = {
      "Pause background updates now, until `resume` or a Synapse restart.",
      "A pause is not persisted over a restart. A batch already running, e.g. a CREATE INDEX,"
          + " finishes first. Synapse advises against keeping updates paused for long.",
      "A timed pause (--for) needs a process that lives on to resume: the exporter daemon's"
          + " admin API, POST /api/v1/enabled {\"enabled\": false, \"for\": \"30m\"}."
    },
    exitCodeListHeading = OneShotCommand.EXIT_CODES_HEADING,
    exitCodeList = {
      ExitCodes.OK + ":paused",
      ExitCodes.TIMEOUT_OR_REFUSED + ":Synapse refused the request (its error text is printed)",
      ExitCodes.USAGE + ":invalid flag or value, or --for (see above)",
      ExitCodes.UNREACHABLE + ":Synapse could not be reached, or its answer not used"
    })
public final class PauseCommand extends OneShotCommand {
  @Option(names = CommandFlags.Names.PAUSE_FOR, paramLabel = "DURATION")
  String forDuration;

  public PauseCommand(CliContext context) {
    super(context);
  }

  @Override
  public Integer call() throws ConfigException, IOException {
    if (forDuration != null) {
      err()
          .println(
              name()
                  + ": --for: a timed pause needs something that stays running to resume the updates"
                  + " when it ends, and this command exits right away. Either pause now and run"
                  + " `resume` yourself later, or ask a running exporter daemon's admin API"
                  + " (--admin.enabled; default address 127.0.0.1:9658; with its admin token):"
                  + " POST /api/v1/enabled with {\"enabled\": false, \"for\": \""
                  + forDuration
                  + "\"}.");
      err().flush();
      return ExitCodes.USAGE;
    }
    var body = mapper().createObjectNode().put("enabled", false);
    return post(
        "enabled",
        body,
        (url, answer) -> {
          if (!answer.path("enabled").isBoolean() || answer.path("enabled").booleanValue()) {
            return -1;
          }
          out()
              .println(
                  "Paused background updates on "
                      + url
                      + ". They stay paused until `resume` or a Synapse restart.");
          return ExitCodes.OK;
        });
  }
}
