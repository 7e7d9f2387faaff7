package io.github.synapsebgu.exporter.cli.commands;

import io.github.synapsebgu.exporter.config.ConfigException;
import io.github.synapsebgu.exporter.synapse.SynapseException;
import java.io.IOException;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code start-job NAME}: POST start_job, which queues background updates in Synapse. */
@Command(
    name = "start-job",
    sortOptions = false,
    abbreviateSynopsis = true,
    usageHelpAutoWidth = true,
    description = {
      "Queue a background job: populate_stats_process_rooms, regenerate_directory, event_resign.",
      "populate_stats_process_rooms (recalculate room statistics), regenerate_directory (rebuild the user directory: four updates"
          + " in a row), event_resign (Synapse 1.152+: re-sign events, optionally only those"
          + " signed with --old-key or sent before --before-ts).",
      "Follow the queued updates with `status` or `wait`."
    },
    exitCodeListHeading = OneShotCommand.EXIT_CODES_HEADING,
    exitCodeList = {
      "0:Synapse queued the job",
      "1:Synapse refused the request, e.g. the job is already queued (its error text is printed)",
      "2:invalid flag or value, e.g. an unknown job name",
      "3:Synapse could not be reached, or its answer not used"
    })
public final class StartJobCommand extends OneShotCommand {
  static final List<String> JOBS =
      List.of("populate_stats_process_rooms", "regenerate_directory", "event_resign");
  private static final String EVENT_RESIGN = "event_resign";

  @Parameters(
      index = "0",
      paramLabel = "NAME",
      description = "populate_stats_process_rooms, regenerate_directory or event_resign.")
  String job;

  @Option(
      names = "--old-key",
      paramLabel = "KEY_ID",
      description = "event_resign only: re-sign only events signed with this key id.")
  String oldKey;

  @Option(
      names = "--before-ts",
      paramLabel = "MS",
      description =
          "event_resign only: re-sign only events sent before this time, in milliseconds since"
              + " the Unix epoch.")
  String beforeTs;

  public StartJobCommand(CliContext context) {
    super(context);
  }

  @Override
  public Integer call() throws ConfigException, IOException {
    if (!JOBS.contains(job)) {
      throw new ConfigException(
          "NAME", "unknown job \"" + job + "\" (one of " + String.join(", ", JOBS) + ")");
    }
    var body = mapper().createObjectNode().put("job_name", job);
    if (!job.equals(EVENT_RESIGN)) {
      if (oldKey != null || beforeTs != null) {
        throw new ConfigException(
            oldKey != null ? "--old-key" : "--before-ts", "only applies to job " + EVENT_RESIGN);
      }
    } else {
      if (oldKey != null) {
        if (oldKey.isBlank()) {
          throw new ConfigException("--old-key", "must not be empty");
        }
        body.put("old_key", oldKey);
      }
      if (beforeTs != null) {
        body.put("before_ts", timestamp(beforeTs));
      }
    }
    return post(
        "start_job",
        body,
        (url, answer) -> {
          out()
              .println(
                  "Synapse at "
                      + url
                      + " queued job "
                      + job
                      + ". Follow its background updates with `status` or `wait`.");
          return ExitCodes.OK;
        });
  }

  private static long timestamp(String raw) throws ConfigException {
    try {
      long ms = Long.parseLong(raw.strip());
      if (ms >= 0) {
        return ms;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new ConfigException(
        "--before-ts",
        "\"" + raw + "\" is not a time in milliseconds since the Unix epoch, e.g. 1767225600000");
  }

  @Override
  String refusalHint(SynapseException e) {
    boolean unknownJob = e.error().map(err -> err.equals("Invalid job_name")).orElse(false);
    return unknownJob && job.equals(EVENT_RESIGN)
        ? " (event_resign needs Synapse 1.152 or later)"
        : "";
  }
}
