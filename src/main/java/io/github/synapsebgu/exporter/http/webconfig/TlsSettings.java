package io.github.synapsebgu.exporter.http.webconfig;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A validated {@code tls_server_config} with its key material already loaded, so a listener never
 * sees a half-valid configuration.
 *
 * @param chain the server certificate first, then any intermediates from {@code cert_file}
 * @param clientCas trust anchors for client certificates; empty unless {@code clientAuth.verify()}
 * @param protocols JSSE protocol names allowed, e.g. {@code [TLSv1.3, TLSv1.2]}
 * @param cipherSuites JSSE cipher suite names in preference order; empty for the JDK's defaults
 */
public record TlsSettings(
    List<X509Certificate> chain,
    PrivateKey key,
    ClientAuth clientAuth,
    List<X509Certificate> clientCas,
    List<String> protocols,
    Optional<List<String>> cipherSuites,
    boolean preferServerCipherSuites) {
  public TlsSettings {
    chain = List.copyOf(chain);
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(clientAuth, "clientAuth");
    clientCas = List.copyOf(clientCas);
    protocols = List.copyOf(protocols);
    cipherSuites = cipherSuites.map(List::copyOf);
  }

  @Override
  public String toString() {
    // Keeps the private key out of any accidental log line.
    return "TlsSettings[subject="
        + chain.get(0).getSubjectX500Principal().getName()
        + ", clientAuth="
        + clientAuth.yamlName()
        + ", protocols="
        + protocols
        + "]";
  }
}
