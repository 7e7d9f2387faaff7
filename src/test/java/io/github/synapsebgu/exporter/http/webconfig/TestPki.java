package io.github.synapsebgu.exporter.http.webconfig;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;

/**
 * Certificates made in the test, with Bouncy Castle: a CA, server and client certificates it signs,
 * PEM files in the formats operators have (PKCS#8, PKCS#1, SEC1), and client TLS contexts.
 */
public final class TestPki {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

  /** A certificate with its key; {@code issuer} is null for a self-signed CA. */
  public record Issued(X509Certificate cert, PrivateKey key, Issued issuer) {
    public String certPem() {
      return pem(cert);
    }

    /** PKCS#8: {@code -----BEGIN PRIVATE KEY-----}. */
    public String pkcs8Pem() {
      try {
        return pem(new JcaPKCS8Generator(key, null));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    /** PKCS#1 for RSA ({@code RSA PRIVATE KEY}) or SEC1 for EC ({@code EC PRIVATE KEY}). */
    public String traditionalPem() {
      if (!key.getAlgorithm().equals("EC")) {
        return pem(key);
      }
      // As `openssl ec` writes it: with the curve inside, which Bouncy Castle's writer leaves out.
      try {
        PrivateKeyInfo info = PrivateKeyInfo.getInstance(key.getEncoded());
        ECPrivateKey inner = ECPrivateKey.getInstance(info.parsePrivateKey());
        ECPrivateKey sec1 =
            new ECPrivateKey(
                256,
                inner.getKey(),
                SubjectPublicKeyInfo.getInstance(cert.getPublicKey().getEncoded())
                    .getPublicKeyData(),
                info.getPrivateKeyAlgorithm().getParameters());
        return pem(new PemObject("EC PRIVATE KEY", sec1.getEncoded()));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    public Path writeCert(Path file) {
      return write(file, certPem());
    }

    public Path writeKey(Path file) {
      return write(file, pkcs8Pem());
    }

    /** A client TLS context presenting this certificate and trusting {@code serverCa}. */
    public SSLContext clientContext(Issued serverCa) {
      return context(this, serverCa);
    }
  }

  private TestPki() {}

  // EC P-256 keys by default: RSA key generation takes a second on a busy machine.
  public static Issued ca(String name) {
    KeyPair pair = ec();
    return new Issued(sign(name, pair, null, true, null), pair.getPrivate(), null);
  }

  public static Issued server(Issued ca) {
    return leaf(ca, "localhost", ec(), KeyPurposeId.id_kp_serverAuth);
  }

  public static Issued serverRsa(Issued ca) {
    return leaf(ca, "localhost", rsa(), KeyPurposeId.id_kp_serverAuth);
  }

  public static Issued client(Issued ca, String name) {
    return leaf(ca, name, ec(), KeyPurposeId.id_kp_clientAuth);
  }

  /** A client context without a certificate, trusting {@code serverCa}. */
  public static SSLContext trusting(Issued serverCa) {
    return context(null, serverCa);
  }

  /** The CAs of a mutual-TLS setup written by {@link #mutualTls}. */
  public record MutualTls(Issued serverCa, Issued clientCa) {
    /** The web config's tls_server_config for the files {@link #mutualTls} wrote. */
    public static final String TLS_SERVER_CONFIG =
        """
        tls_server_config:
          cert_file: tls.crt
          key_file: tls.key
          client_auth_type: RequireAndVerifyClientCert
          client_ca_file: clients.crt
        """;
  }

  /**
   * Writes a server certificate and key (tls.crt, tls.key) and the CA that client certificates must
   * chain to (clients.crt) into {@code dir}.
   */
  public static MutualTls mutualTls(Path dir) {
    Issued serverCa = ca("server-ca");
    Issued clientCa = ca("client-ca");
    Issued server = server(serverCa);
    server.writeCert(dir.resolve("tls.crt"));
    server.writeKey(dir.resolve("tls.key"));
    clientCa.writeCert(dir.resolve("clients.crt"));
    return new MutualTls(serverCa, clientCa);
  }

  public static Path write(Path file, String text) {
    try {
      return Files.writeString(file, text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Issued leaf(Issued ca, String name, KeyPair pair, KeyPurposeId purpose) {
    return new Issued(sign(name, pair, ca, false, purpose), pair.getPrivate(), ca);
  }

  private static X509Certificate sign(
      String name, KeyPair pair, Issued issuer, boolean isCa, KeyPurposeId purpose) {
    try {
      Instant now = Instant.now();
      X500Name subject = new X500Name("CN=" + name);
      X500Name issuerName =
          issuer == null
              ? subject
              : X500Name.getInstance(issuer.cert().getSubjectX500Principal().getEncoded());
      var builder =
          new JcaX509v3CertificateBuilder(
              issuerName,
              BigInteger.valueOf(SERIAL.incrementAndGet()),
              Date.from(now.minus(Duration.ofHours(1))),
              Date.from(now.plus(Duration.ofDays(2))),
              subject,
              pair.getPublic());
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(isCa));
      if (isCa) {
        builder.addExtension(
            Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      } else {
        builder.addExtension(
            Extension.keyUsage,
            true,
            new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
        builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
        builder.addExtension(
            Extension.subjectAlternativeName,
            false,
            new GeneralNames(
                new GeneralName[] {
                  new GeneralName(GeneralName.dNSName, name),
                  new GeneralName(GeneralName.iPAddress, "127.0.0.1")
                }));
      }
      PrivateKey signer = issuer == null ? pair.getPrivate() : issuer.key();
      String algorithm = signer.getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA";
      return new JcaX509CertificateConverter()
          .getCertificate(builder.build(new JcaContentSignerBuilder(algorithm).build(signer)));
    } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A plain JSSE server context for {@code server}, without any of the exporter's code. */
  public static SSLContext serverContext(Issued server) {
    try {
      KeyStore keys = KeyStore.getInstance("PKCS12");
      keys.load(null, null);
      keys.setKeyEntry("server", server.key(), new char[0], new X509Certificate[] {server.cert()});
      KeyManagerFactory kmf = KeyManagerFactory.getInstance("PKIX");
      kmf.init(keys, new char[0]);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(kmf.getKeyManagers(), null, RANDOM);
      return ctx;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static SSLContext context(Issued identity, Issued trusted) {
    try {
      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      trust.setCertificateEntry("ca", trusted.cert());
      TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
      tmf.init(trust);
      KeyManagerFactory kmf = KeyManagerFactory.getInstance("PKIX");
      KeyStore keys = KeyStore.getInstance("PKCS12");
      keys.load(null, null);
      if (identity != null) {
        keys.setKeyEntry(
            "me",
            identity.key(),
            new char[0],
            new X509Certificate[] {identity.cert(), identity.issuer().cert()});
      }
      kmf.init(keys, new char[0]);
      KeyManager[] km =
          identity == null
              ? kmf.getKeyManagers()
              : new KeyManager[] {
                new InsistentKeyManager((X509ExtendedKeyManager) kmf.getKeyManagers()[0])
              };
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(km, tmf.getTrustManagers(), RANDOM);
      return ctx;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static KeyPair rsa() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
      g.initialize(2048, RANDOM);
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static KeyPair ec() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String pem(Object o) {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter w = new JcaPEMWriter(out)) {
      w.writeObject(o);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }
}
