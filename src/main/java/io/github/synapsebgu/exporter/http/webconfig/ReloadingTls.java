package io.github.synapsebgu.exporter.http.webconfig;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * TLS for a JDK {@code HttpsServer} whose certificate, key, client CAs and protocol settings follow
 * a {@link WebConfigSource}. The server keeps one {@link SSLContext} for its lifetime, so that
 * context's key and trust managers look the current settings up on every handshake, and the
 * configurator sets protocols, ciphers and client-auth per connection.
 */
public final class ReloadingTls {
  private final WebConfigSource source;
  private final SSLContext context;
  // Recent settings by alias: the key manager names settings in chooseServerAlias and is asked for
  // that alias's chain and key right after, possibly across a reload.
  private final Map<String, TlsSettings> recent =
      new LinkedHashMap<>() {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, TlsSettings> eldest) {
          return size() > 4;
        }
      };
  private TlsSettings verifierFor;
  private X509TrustManager verifier;
  private int generation;

  public ReloadingTls(WebConfigSource source) {
    if (!source.tls()) {
      throw new IllegalArgumentException("web config has no tls_server_config");
    }
    this.source = source;
    try {
      context = SSLContext.getInstance("TLS");
      context.init(new KeyManager[] {new Keys()}, new TrustManager[] {new Trust()}, null);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot set up TLS", e);
    }
  }

  /**
   * Whether the client certificate of an established session passes the current settings. A resumed
   * TLS session skips the handshake's certificate check (JDK 17 resumes TLS 1.3 sessions from
   * stateless tickets regardless of the session timeout), and a keep-alive connection may predate a
   * change of {@code client_ca_file}; checking on every request closes both gaps.
   */
  public boolean admits(SSLSession session) {
    TlsSettings t = settings();
    X509Certificate[] chain;
    try {
      chain =
          Arrays.stream(session.getPeerCertificates())
              .map(X509Certificate.class::cast)
              .toArray(X509Certificate[]::new);
    } catch (SSLPeerUnverifiedException noCertificate) {
      return !t.clientAuth().need();
    }
    if (!t.clientAuth().verify()) {
      return true;
    }
    try {
      verifier(t).checkClientTrusted(chain, chain[0].getPublicKey().getAlgorithm());
      return true;
    } catch (CertificateException e) {
      return false;
    }
  }

  public HttpsConfigurator configurator() {
    return new HttpsConfigurator(context) {
      @Override
      public void configure(HttpsParameters params) {
        TlsSettings t = settings();
        SSLParameters p = context.getDefaultSSLParameters();
        p.setProtocols(t.protocols().toArray(String[]::new));
        t.cipherSuites().ifPresent(c -> p.setCipherSuites(c.toArray(String[]::new)));
        p.setUseCipherSuitesOrder(t.preferServerCipherSuites());
        if (t.clientAuth().need()) {
          p.setNeedClientAuth(true);
        } else if (t.clientAuth().want()) {
          p.setWantClientAuth(true);
        }
        params.setSSLParameters(p);
      }
    };
  }

  private TlsSettings settings() {
    // TLS cannot be switched off at runtime (the source refuses that change), so it is present.
    return source.current().tls().orElseThrow();
  }

  private synchronized String aliasFor(TlsSettings t) {
    for (Map.Entry<String, TlsSettings> e : recent.entrySet()) {
      if (e.getValue() == t) {
        return e.getKey();
      }
    }
    String alias = "web-config-" + ++generation;
    recent.put(alias, t);
    return alias;
  }

  private synchronized TlsSettings byAlias(String alias) {
    return recent.get(alias);
  }

  private synchronized X509TrustManager verifier(TlsSettings t) throws CertificateException {
    if (verifierFor != t) {
      try {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        int i = 0;
        for (X509Certificate ca : t.clientCas()) {
          store.setCertificateEntry("client-ca-" + i++, ca);
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        tmf.init(store);
        verifier = (X509TrustManager) tmf.getTrustManagers()[0];
        verifierFor = t;
      } catch (GeneralSecurityException | java.io.IOException e) {
        throw new CertificateException("cannot use client_ca_file: " + e.getMessage(), e);
      }
    }
    return verifier;
  }

  private final class Keys extends X509ExtendedKeyManager {
    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
      return chooseServerAlias(keyType, issuers, null);
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
      TlsSettings t = settings();
      // JSSE asks once per key type it could use; answer only for ours.
      return t.key().getAlgorithm().equals(keyType) ? aliasFor(t) : null;
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
      String alias = chooseServerAlias(keyType, issuers, null);
      return alias == null ? null : new String[] {alias};
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
      TlsSettings t = byAlias(alias);
      return t == null ? null : t.chain().toArray(X509Certificate[]::new);
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
      TlsSettings t = byAlias(alias);
      return t == null ? null : t.key();
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
      return null;
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
      return null;
    }
  }

  /**
   * Verifies client certificates against the current {@code client_ca_file} when the client-auth
   * type asks for verification; the "any certificate" types accept without checking, as in Go.
   */
  private final class Trust extends X509ExtendedTrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws CertificateException {
      TlsSettings t = settings();
      if (t.clientAuth().verify()) {
        verifier(t).checkClientTrusted(chain, authType);
      }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
        throws CertificateException {
      checkClientTrusted(chain, authType, (SSLEngine) null);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType)
        throws CertificateException {
      checkClientTrusted(chain, authType, (SSLEngine) null);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      TlsSettings t = settings();
      List<X509Certificate> cas = t.clientAuth().verify() ? t.clientCas() : List.of();
      return cas.toArray(X509Certificate[]::new);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws CertificateException {
      throw new CertificateException("server-side trust manager only");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
        throws CertificateException {
      throw new CertificateException("server-side trust manager only");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType)
        throws CertificateException {
      throw new CertificateException("server-side trust manager only");
    }
  }
}
