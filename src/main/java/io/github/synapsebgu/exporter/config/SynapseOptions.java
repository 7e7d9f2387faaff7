package io.github.synapsebgu.exporter.config;

import picocli.CommandLine.Option;

/**
 * How to reach Synapse: shared by the daemon and every subcommand that talks to Synapse. Strings as
 * typed; {@link SynapseConfig#validate} checks them.
 */
public final class SynapseOptions {
  @Option(
      names = "--synapse.url",
      paramLabel = "URL",
      description =
          "Base URL of the homeserver's main process, e.g. http://localhost:8008 (may carry a"
              + " reverse-proxy path prefix). Required (the daemon: unless --demo). [env: SYNAPSE_URL]")
  public String synapseUrl;

  @Option(
      names = "--synapse.token-file",
      paramLabel = "FILE",
      description =
          "File holding a server admin's access token; re-read when it changes. Alternatively put"
              + " the token itself in SYNAPSE_ADMIN_TOKEN. Never a flag value. [env: SYNAPSE_TOKEN_FILE]")
  public String synapseTokenFile;

  @Option(
      names = "--synapse.timeout",
      paramLabel = "DURATION",
      description = "Deadline of one request to Synapse (default 10s). [env: SYNAPSE_TIMEOUT]")
  public String synapseTimeout;

  @Option(
      names = "--synapse.tls.ca-file",
      paramLabel = "FILE",
      description =
          "PEM bundle of CAs to trust for Synapse's certificate (default: the system's)."
              + " [env: SYNAPSE_TLS_CA_FILE]")
  public String synapseCaFile;

  @Option(
      names = "--synapse.tls.insecure-skip-verify",
      arity = "0..1",
      fallbackValue = "true",
      paramLabel = "BOOL",
      description =
          "Do not verify Synapse's certificate (unsafe; logs a warning)."
              + " [env: SYNAPSE_TLS_INSECURE_SKIP_VERIFY]")
  public String synapseInsecure;
}
