package io.github.synapsebgu.exporter.cli.commands;

import io.github.synapsebgu.exporter.config.ConfigException;
import io.github.synapsebgu.exporter.config.SourceOptions;
import io.github.synapsebgu.exporter.config.SourcesConfig;
import io.github.synapsebgu.exporter.synapse.StatusResponse;
import io.github.synapsebgu.exporter.synapse.SynapseClient;
import io.github.synapsebgu.exporter.synapse.SynapseException;
import java.io.IOException;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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
          + " items_per_second (null until Synapse reports a rate)}. Fields are only ever added.",
      "With --synapse.metrics-url: the updater state per database (updater_states); with"
          + " --database.url: the whole queue under the current update, with what each waits for"
          + " and its schema version (queues[] of {database, pending, schema_version, updates[] of"
          + " {position, update, depends_on, ordering, items_remaining}})."
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

  @Mixin SourceOptions sources = new SourceOptions();

  @Option(
      names = {"-o", CommandFlags.Names.STATUS_OUTPUT},
      paramLabel = "FORMAT")
  String output;

  public StatusCommand(CliContext context) {
    super(context);
  }

  @Override
  public Integer call() throws ConfigException, IOException, InterruptedException {
    Output format = CommandFlags.STATUS_OUTPUT.parse(output);
    if (fleetFile().isPresent() && target == null) {
      return fleetStatus(format);
    }
    SourcesConfig sourcesConfig = sources(sources);
    try (SynapseClient client = openClient();
        CommandSources optional =
            CommandSources.open(sourcesConfig, client.settings().timeout(), context.userAgent())) {
      String url = displayUrl(client);
      StatusResponse status;
      try {
        status = client.fetchStatus();
      } catch (SynapseException e) {
        err().println(Terminal.visible(name() + ": " + unreachable(url, e)));
        err().flush();
        return ExitCodes.UNREACHABLE;
      }
      SourceReading reading = optional.read();
      for (String line : StatusSources.failures(reading)) {
        err().println(Terminal.visible(name() + ": " + line));
      }
      err().flush();
      out()
          .print(
              format == Output.JSON
                  ? StatusCommandJson.render(url, status, reading) + "\n"
                  : StatusCommandTable.render(url, status) + StatusSources.table(reading));
      out().flush();
      return ExitCodes.OK;
    }
  }

  /** Every homeserver of --config.file: exit 3 if any could not be read (the rest is shown). */
  private int fleetStatus(Output format) throws ConfigException, InterruptedException {
    List<FleetStatus.Result> results = FleetStatus.readAll(fleet(), context.userAgent(), err());
    boolean failed = false;
    for (FleetStatus.Result r : results) {
      if (r.failure() != null) {
        failed = true;
        err()
            .println(
                Terminal.visible(
                    name() + ": " + r.name() + ": " + unreachable(r.url(), r.failure())));
      }
    }
    err().flush();
    out()
        .print(
            format == Output.JSON ? FleetStatus.json(results) + "\n" : FleetStatus.table(results));
    out().flush();
    return failed ? ExitCodes.UNREACHABLE : ExitCodes.OK;
  }
}
