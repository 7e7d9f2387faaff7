package io.github.synapsebgu.exporter.http.webconfig;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * Presents its certificate whatever CAs the server names, as curl or Prometheus do when given a
 * client certificate; the JDK's own key manager would quietly send none, which would test nothing.
 */
final class InsistentKeyManager extends X509ExtendedKeyManager {
  private final X509ExtendedKeyManager keys;

  InsistentKeyManager(X509ExtendedKeyManager keys) {
    this.keys = keys;
  }

  @Override
  public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
    return keys.chooseEngineClientAlias(keyType, null, engine);
  }

  @Override
  public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
    return keys.chooseClientAlias(keyType, null, socket);
  }

  @Override
  public String[] getClientAliases(String keyType, Principal[] issuers) {
    return keys.getClientAliases(keyType, null);
  }

  @Override
  public String[] getServerAliases(String keyType, Principal[] issuers) {
    return null;
  }

  @Override
  public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
    return null;
  }

  @Override
  public X509Certificate[] getCertificateChain(String alias) {
    return keys.getCertificateChain(alias);
  }

  @Override
  public PrivateKey getPrivateKey(String alias) {
    return keys.getPrivateKey(alias);
  }
}
