package io.github.synapsebgu.exporter.cli.commands;

import io.github.synapsebgu.exporter.config.ConfigException;
import io.github.synapsebgu.exporter.synapse.StatusResponse;
import io.github.synapsebgu.exporter.synapse.SynapseClient;
import io.github.synapsebgu.exporter.synapse.SynapseException;
import java.io.IOException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code status}: one read of Synapse's background-updates status, as a table or JSON. */
@Command(
    name = "status",
    sortOptions = false,
    abbreviateSynopsis = true,
    usageHelpAutoWidth = true,
    description = {
      "Show the background updates now: enabled or paused, and per database the update,"
          + " items, run time and rate.",
      "Run time is the time Synapse spent in batches since the update (or Synapse) started;"
          + " the rate is Synapse's moving average.",
      "With --output json, stdout carries one JSON object: synapse_url, enabled, in_progress,"
          + " and current_updates[] of {database, update, items_processed, duration_seconds,"
          + " items_per_second (null until Synapse reports a rate)}. Fields are only ever added."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      ExitCodes.OK + ":the status was read",
      ExitCodes.USAGE + ":invalid flag or value",
      ExitCodes.UNREACHABLE
          + ":Synapse could not be reached or read (the reason is printed on stderr)"
    })
public final class StatusCommand extends SynapseCommand {
  enum Output {
    TABLE,
    JSON
  }

  @Option(
      names = {"-o", CommandFlags.Names.STATUS_OUTPUT},
      paramLabel = "FORMAT")
  String output;

  public StatusCommand(CliContext context) {
    super(context);
  }

  @Override
  public Integer call() throws ConfigException, IOException {
    Output format = CommandFlags.STATUS_OUTPUT.parse(output);
    try (SynapseClient client = openClient()) {
      String url = displayUrl(client);
      StatusResponse status;
      try {
        status = client.fetchStatus();
      } catch (SynapseException e) {
        err().println(name() + ": " + unreachable(url, e));
        err().flush();
        return ExitCodes.UNREACHABLE;
      }
      out()
          .print(
              format == Output.JSON
                  ? StatusCommandJson.render(url, status) + "\n"
                  : StatusCommandTable.render(url, status));
      out().flush();
      return ExitCodes.OK;
    }
  }
}
