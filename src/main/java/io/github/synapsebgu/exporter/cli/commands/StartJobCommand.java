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
      ExitCodes.OK + ":Synapse queued the job",
      ExitCodes.TIMEOUT_OR_REFUSED
          + ":Synapse refused the request, e.g. the job is already queued (its error text is printed)",
      ExitCodes.USAGE + ":invalid flag or value, e.g. an unknown job name",
      ExitCodes.UNREACHABLE + ":Synapse could not be reached, or its answer not used"
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

  @Option(names = CommandFlags.Names.START_JOB_OLD_KEY, paramLabel = "KEY_ID")
  String oldKey;

  @Option(names = CommandFlags.Names.START_JOB_BEFORE_TS, paramLabel = "MS")
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
            (oldKey != null ? CommandFlags.START_JOB_OLD_KEY : CommandFlags.START_JOB_BEFORE_TS)
                .name(),
            "only applies to job " + EVENT_RESIGN);
      }
    } else {
      if (oldKey != null) {
        body.put("old_key", CommandFlags.START_JOB_OLD_KEY.parse(oldKey));
      }
      if (beforeTs != null) {
        body.put("before_ts", CommandFlags.START_JOB_BEFORE_TS.parse(beforeTs));
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

  @Override
  String refusalHint(SynapseException e) {
    boolean unknownJob = e.error().map(err -> err.equals("Invalid job_name")).orElse(false);
    return unknownJob && job.equals(EVENT_RESIGN)
        ? " (event_resign needs Synapse 1.152 or later)"
        : "";
  }
}
