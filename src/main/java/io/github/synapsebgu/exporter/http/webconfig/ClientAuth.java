package io.github.synapsebgu.exporter.http.webconfig;

import java.util.Arrays;
import java.util.Optional;

/**
 * {@code client_auth_type}: the exporter toolkit's names (Go's {@code tls.ClientAuthType}), mapped
 * onto what JSSE can do: ask for a certificate ({@code want}), insist on one ({@code need}), and
 * check it against {@code client_ca_file} ({@code verify}).
 */
public enum ClientAuth {
  NO_CLIENT_CERT("NoClientCert", false, false, false),
  REQUEST_CLIENT_CERT("RequestClientCert", true, false, false),
  REQUIRE_ANY_CLIENT_CERT("RequireAnyClientCert", false, true, false),
  VERIFY_CLIENT_CERT_IF_GIVEN("VerifyClientCertIfGiven", true, false, true),
  REQUIRE_AND_VERIFY_CLIENT_CERT("RequireAndVerifyClientCert", false, true, true);

  private final String yamlName;
  private final boolean want;
  private final boolean need;
  private final boolean verify;

  ClientAuth(String yamlName, boolean want, boolean need, boolean verify) {
    this.yamlName = yamlName;
    this.want = want;
    this.need = need;
    this.verify = verify;
  }

  /** Accepts the toolkit's names, including its legacy alias {@code RequireClientCert}. */
  static Optional<ClientAuth> byName(String name) {
    if (name.equals("RequireClientCert")) {
      return Optional.of(REQUIRE_ANY_CLIENT_CERT);
    }
    return Arrays.stream(values()).filter(v -> v.yamlName.equals(name)).findFirst();
  }

  public String yamlName() {
    return yamlName;
  }

  /** Ask the client for a certificate but let it connect without one. */
  public boolean want() {
    return want;
  }

  /** Refuse the handshake unless the client sends a certificate. */
  public boolean need() {
    return need;
  }

  /** A certificate the client sends must chain to {@code client_ca_file}. */
  public boolean verify() {
    return verify;
  }
}
