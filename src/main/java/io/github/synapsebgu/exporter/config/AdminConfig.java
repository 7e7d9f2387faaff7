package io.github.synapsebgu.exporter.config;

import static io.github.synapsebgu.exporter.config.FlagCatalog.ADMIN_ENABLED;
import static io.github.synapsebgu.exporter.config.FlagCatalog.ADMIN_LISTEN_ADDRESS;
import static io.github.synapsebgu.exporter.config.FlagCatalog.ADMIN_MAX_PAUSE;
import static io.github.synapsebgu.exporter.config.FlagCatalog.ADMIN_TOKEN_FILE;
import static io.github.synapsebgu.exporter.config.FlagCatalog.ADMIN_WEB_CONFIG_FILE;

import io.github.synapsebgu.exporter.http.webconfig.WebConfigSource;
import io.github.synapsebgu.exporter.secrets.FileTokenSource;
import io.github.synapsebgu.exporter.secrets.TokenSource;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Validated {@link AdminOptions}: where the admin API listens, the token its clients must send, the
 * longest timed pause it accepts, and the listener's own web config (TLS, basic auth), if any.
 */
public record AdminConfig(
    ListenAddress listenAddress,
    TokenSource token,
    Duration maxPause,
    Optional<WebConfigSource> webConfig) {
  /**
   * @return empty unless {@code --admin.enabled}; the other admin flags are not looked at then
   * @throws ConfigException naming the flag, e.g. when the token file is missing or empty
   */
  public static Optional<AdminConfig> validate(AdminOptions o, Env env) throws ConfigException {
    if (!env.value(ADMIN_ENABLED, o.enabled)) {
      return Optional.empty();
    }
    ListenAddress listen = env.value(ADMIN_LISTEN_ADDRESS, o.listenAddress);
    Duration maxPause = env.value(ADMIN_MAX_PAUSE, o.maxPause);
    String file = env.resolve(ADMIN_TOKEN_FILE, o.tokenFile);
    if (file == null) {
      throw new ConfigException(
          ADMIN_TOKEN_FILE.name(),
          "required with --admin.enabled: a file holding the token that admin API clients must"
              + " send (e.g. the output of: openssl rand -hex 32)");
    }
    TokenSource token;
    try {
      token = FileTokenSource.open(Path.of(file.strip()), ADMIN_TOKEN_FILE.name());
    } catch (IllegalArgumentException e) {
      throw new ConfigException(ADMIN_TOKEN_FILE.name(), e.getMessage());
    }
    Optional<WebConfigSource> webConfig =
        ConfigValidator.webConfig(ADMIN_WEB_CONFIG_FILE, env, o.webConfigFile);
    if (webConfig.isPresent() && webConfig.get().current().basicAuth()) {
      // Basic auth and the bearer token would both need the one Authorization header.
      throw new ConfigException(
          ADMIN_WEB_CONFIG_FILE.name(),
          "basic_auth_users cannot apply to the admin API, which authenticates with its bearer"
              + " token; use tls_server_config with client certificates for a second factor");
    }
    return Optional.of(new AdminConfig(listen, token, maxPause, webConfig));
  }

  /**
   * Checks against the rest of the configuration: control must never share the metrics listener,
   * and the admin token must not be Synapse's (whoever holds it could then call Synapse directly).
   */
  public void checkAgainst(ListenAddress web, Optional<TokenSource> synapseToken)
      throws ConfigException {
    boolean sameHost =
        listenAddress.host().equals(web.host()) || isWildcard(listenAddress) || isWildcard(web);
    if (listenAddress.port() != 0 && listenAddress.port() == web.port() && sameHost) {
      throw new ConfigException(
          ADMIN_LISTEN_ADDRESS.name(),
          listenAddress
              + " overlaps --web.listen-address "
              + web
              + "; the admin API needs a listener of its own");
    }
    if (synapseToken.isPresent() && synapseToken.get().current().equals(token.current())) {
      throw new ConfigException(
          ADMIN_TOKEN_FILE.name(),
          "holds Synapse's admin token; use a separate token for the exporter's admin API");
    }
  }

  private static boolean isWildcard(ListenAddress a) {
    return a.host().isEmpty() || a.host().equals("0.0.0.0") || a.host().equals("::");
  }

  /** For the startup log line: never the token. */
  public String describe() {
    return "admin_listen_address="
        + listenAddress
        + " admin_token="
        + token.describe()
        + " admin_max_pause="
        + PromDuration.format(maxPause)
        + " admin_web_config_file="
        + webConfig.map(WebConfigSource::describe).orElse("(none)");
  }
}
