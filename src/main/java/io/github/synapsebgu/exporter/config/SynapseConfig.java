package io.github.synapsebgu.exporter.config;

import io.github.synapsebgu.exporter.secrets.FileTokenSource;
import io.github.synapsebgu.exporter.secrets.Secret;
import io.github.synapsebgu.exporter.secrets.TokenSource;
import io.github.synapsebgu.exporter.synapse.SynapseHttpSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** Validated {@link SynapseOptions}: where Synapse is and which token to send. */
public record SynapseConfig(SynapseHttpSettings http, TokenSource token) {
  public static final String TOKEN_ENV = "SYNAPSE_ADMIN_TOKEN";

  public static Duration timeout(SynapseOptions o, Env env) throws ConfigException {
    return Flags.duration(
        "--synapse.timeout",
        env.resolve("--synapse.timeout", o.synapseTimeout),
        Duration.ofSeconds(10),
        Duration.ofMillis(100));
  }

  public static SynapseConfig validate(SynapseOptions o, Env env) throws ConfigException {
    return validate(o, env, timeout(o, env));
  }

  static SynapseConfig validate(SynapseOptions o, Env env, Duration timeout)
      throws ConfigException {
    String url = env.resolve("--synapse.url", o.synapseUrl);
    if (url == null) {
      throw new ConfigException(
          "--synapse.url",
          "required: the homeserver's base URL, e.g. http://localhost:8008 (or --demo to try the exporter)");
    }
    String caRaw = env.resolve("--synapse.tls.ca-file", o.synapseCaFile);
    Optional<Path> ca =
        caRaw == null
            ? Optional.empty()
            : Optional.of(Flags.readableFile("--synapse.tls.ca-file", caRaw));
    boolean insecure =
        Flags.bool(
            "--synapse.tls.insecure-skip-verify",
            env.resolve("--synapse.tls.insecure-skip-verify", o.synapseInsecure),
            false);
    SynapseHttpSettings http =
        new SynapseHttpSettings(Flags.httpUrl("--synapse.url", url), timeout, ca, insecure);
    return new SynapseConfig(http, token(o, env));
  }

  private static TokenSource token(SynapseOptions o, Env env) throws ConfigException {
    String file = env.resolve("--synapse.token-file", o.synapseTokenFile);
    String inline = env.get(TOKEN_ENV);
    if (file != null && inline != null) {
      throw new ConfigException(
          "--synapse.token-file", "both a token file and " + TOKEN_ENV + " are set; use only one");
    }
    if (file != null) {
      try {
        return FileTokenSource.open(Path.of(file.strip()), "--synapse.token-file");
      } catch (IllegalArgumentException e) {
        throw new ConfigException("--synapse.token-file", e.getMessage());
      }
    }
    if (inline != null) {
      String stripped = inline.strip();
      if (stripped.isEmpty() || stripped.chars().anyMatch(c -> c < 0x21 || c == 0x7f)) {
        throw new ConfigException(
            TOKEN_ENV, "must be a token without whitespace or control characters");
      }
      return TokenSource.fixed(new Secret(stripped), "environment " + TOKEN_ENV);
    }
    throw new ConfigException(
        "--synapse.token-file",
        "required: a file holding a server admin's access token (or the token in "
            + TOKEN_ENV
            + ")");
  }
}
