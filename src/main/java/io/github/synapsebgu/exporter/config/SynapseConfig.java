package io.github.synapsebgu.exporter.config;

import static io.github.synapsebgu.exporter.config.FlagCatalog.SYNAPSE_TIMEOUT;
import static io.github.synapsebgu.exporter.config.FlagCatalog.SYNAPSE_TLS_CA_FILE;
import static io.github.synapsebgu.exporter.config.FlagCatalog.SYNAPSE_TLS_INSECURE_SKIP_VERIFY;
import static io.github.synapsebgu.exporter.config.FlagCatalog.SYNAPSE_TOKEN_FILE;
import static io.github.synapsebgu.exporter.config.FlagCatalog.SYNAPSE_URL;

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

  /**
   * What the daemon logs and the operator commands print when certificates are not checked: said
   * the same way in both.
   */
  public static final String INSECURE_TLS_WARNING =
      FlagCatalog.Names.SYNAPSE_TLS_INSECURE_SKIP_VERIFY
          + " is set: Synapse's certificate is not verified, so the admin token can be"
          + " intercepted";

  public static Duration timeout(SynapseOptions o, Env env) throws ConfigException {
    return env.value(SYNAPSE_TIMEOUT, o.synapseTimeout);
  }

  public static SynapseConfig validate(SynapseOptions o, Env env) throws ConfigException {
    return validate(o, env, timeout(o, env));
  }

  static SynapseConfig validate(SynapseOptions o, Env env, Duration timeout)
      throws ConfigException {
    String url = env.resolve(SYNAPSE_URL, o.synapseUrl);
    if (url == null) {
      throw new ConfigException(
          SYNAPSE_URL.name(),
          "required: the homeserver's base URL, e.g. http://localhost:8008 (or --demo to try the exporter)");
    }
    Optional<Path> ca = env.optional(SYNAPSE_TLS_CA_FILE, o.synapseCaFile);
    boolean insecure = env.value(SYNAPSE_TLS_INSECURE_SKIP_VERIFY, o.synapseInsecure);
    SynapseHttpSettings http =
        new SynapseHttpSettings(SYNAPSE_URL.parse(url), timeout, ca, insecure);
    return new SynapseConfig(http, token(o, env));
  }

  private static TokenSource token(SynapseOptions o, Env env) throws ConfigException {
    String file = env.resolve(SYNAPSE_TOKEN_FILE, o.synapseTokenFile);
    String inline = env.get(TOKEN_ENV);
    if (file != null && inline != null) {
      throw new ConfigException(
          SYNAPSE_TOKEN_FILE.name(),
          "both a token file and " + TOKEN_ENV + " are set; use only one");
    }
    if (file != null) {
      try {
        return FileTokenSource.open(Path.of(file.strip()), SYNAPSE_TOKEN_FILE.name());
      } catch (IllegalArgumentException e) {
        throw new ConfigException(SYNAPSE_TOKEN_FILE.name(), e.getMessage());
      }
    }
    if (inline != null) {
      String stripped = inline.strip();
      if (stripped.isEmpty() || stripped.chars().anyMatch(c -> c < 0x21 || c == 0x7f)) {
        throw new ConfigException(
            TOKEN_ENV, "must be a token without whitespace or control characters");
      }
      if (stripped.length() > FileTokenSource.MAX_BYTES) {
        // The same bound as a token file's: no Synapse token comes near it.
        throw new ConfigException(
            TOKEN_ENV, "is longer than " + FileTokenSource.MAX_BYTES + " characters: not a token");
      }
      return TokenSource.fixed(new Secret(stripped), "environment " + TOKEN_ENV);
    }
    throw new ConfigException(
        SYNAPSE_TOKEN_FILE.name(),
        "required: a file holding a server admin's access token (or the token in "
            + TOKEN_ENV
            + ")");
  }
}
