package io.github.synapsebgu.exporter.cli.commands;

import io.github.synapsebgu.exporter.config.ConfigException;
import java.io.IOException;
import picocli.CommandLine.Command;

/** {@code resume}: POST enabled {"enabled": true}. */
@Command(
    name = "resume",
    sortOptions = false,
    abbreviateSynopsis = true,
    usageHelpAutoWidth = true,
    description = {
      "Resume paused background updates.",
      "Ends a pause made with `pause` or through the daemon's admin API; Synapse restarts its"
          + " updater right away."
    },
    exitCodeListHeading = OneShotCommand.EXIT_CODES_HEADING,
    exitCodeList = {
      ExitCodes.OK + ":resumed (also when they were not paused)",
      ExitCodes.TIMEOUT_OR_REFUSED + ":Synapse refused the request (its error text is printed)",
      ExitCodes.USAGE + ":invalid flag or value",
      ExitCodes.UNREACHABLE + ":Synapse could not be reached, or its answer not used"
    })
public final class ResumeCommand extends OneShotCommand {
  public ResumeCommand(CliContext context) {
    super(context);
  }

  @Override
  public Integer call() throws ConfigException, IOException {
    var body = mapper().createObjectNode().put("enabled", true);
    return post(
        "enabled",
        body,
        (url, answer) -> {
          if (!answer.path("enabled").isBoolean() || !answer.path("enabled").booleanValue()) {
            return -1;
          }
          out().println("Resumed background updates on " + url + ".");
          return ExitCodes.OK;
        });
  }
}
