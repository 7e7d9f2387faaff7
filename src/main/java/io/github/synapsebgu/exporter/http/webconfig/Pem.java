package io.github.synapsebgu.exporter.http.webconfig;

import java.io.IOException;
import java.io.StringReader;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * PEM files as operators have them: certificate bundles, and private keys in PKCS#8 ({@code PRIVATE
 * KEY}), PKCS#1 ({@code RSA PRIVATE KEY}) or SEC1 ({@code EC PRIVATE KEY}, possibly after an {@code
 * EC PARAMETERS} block). Keys are converted with the JDK's own providers, so JSSE can use them;
 * Bouncy Castle only parses.
 */
final class Pem {
  private Pem() {}

  /**
   * @throws IllegalArgumentException with a message for the operator (never the key material)
   */
  static List<X509Certificate> certificates(String text) {
    List<X509Certificate> certs = new ArrayList<>();
    JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
    try (PEMParser parser = new PEMParser(new StringReader(text))) {
      for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
        if (o instanceof X509CertificateHolder holder) {
          certs.add(converter.getCertificate(holder));
        } else {
          throw new IllegalArgumentException(
              "holds a " + kind(o) + " where only PEM certificates are expected");
        }
      }
    } catch (IOException | CertificateException e) {
      throw new IllegalArgumentException("is not valid PEM: " + e.getMessage(), e);
    }
    if (certs.isEmpty()) {
      throw new IllegalArgumentException(
          "holds no PEM certificate (expected -----BEGIN CERTIFICATE-----)");
    }
    return certs;
  }

  /**
   * @throws IllegalArgumentException with a message for the operator (never the key material)
   */
  static PrivateKey privateKey(String text) {
    JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
    PrivateKey key = null;
    try (PEMParser parser = new PEMParser(new StringReader(text))) {
      for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
        PrivateKey found;
        if (o instanceof ASN1ObjectIdentifier) {
          continue; // the EC PARAMETERS block `openssl ecparam -genkey` writes before the key
        } else if (o instanceof PrivateKeyInfo info) {
          found = converter.getPrivateKey(info);
        } else if (o instanceof PEMKeyPair pair) {
          // From the private part only: SEC1 keys may leave out the optional public key.
          found = converter.getPrivateKey(pair.getPrivateKeyInfo());
        } else if (o instanceof PEMEncryptedKeyPair || o instanceof PKCS8EncryptedPrivateKeyInfo) {
          throw new IllegalArgumentException(
              "holds an encrypted private key; decrypt it first (e.g. openssl pkey -in KEY -out"
                  + " KEY.plain)");
        } else {
          throw new IllegalArgumentException(
              "holds a " + kind(o) + " where a PEM private key is expected");
        }
        if (key != null) {
          throw new IllegalArgumentException("holds more than one private key");
        }
        key = found;
      }
    } catch (IOException e) {
      throw new IllegalArgumentException("is not a valid PEM private key: " + e.getMessage(), e);
    }
    if (key == null) {
      throw new IllegalArgumentException(
          "holds no PEM private key (expected -----BEGIN PRIVATE KEY-----, RSA PRIVATE KEY or EC"
              + " PRIVATE KEY)");
    }
    return key;
  }

  /** Whether the private key belongs to the certificate's public key: sign, then verify. */
  static boolean matches(PrivateKey key, X509Certificate cert) {
    PublicKey pub = cert.getPublicKey();
    String algorithm =
        switch (key.getAlgorithm()) {
          case "RSA" -> "SHA256withRSA";
          case "EC" -> "SHA256withECDSA";
          case "Ed25519", "EdDSA" -> "Ed25519";
          case "Ed448" -> "Ed448";
          default -> null;
        };
    if (algorithm == null || !key.getAlgorithm().equals(pub.getAlgorithm())) {
      return false;
    }
    try {
      byte[] probe = new byte[32];
      new SecureRandom().nextBytes(probe);
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(probe);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(pub);
      verifier.update(probe);
      return verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  private static String kind(Object o) {
    return o.getClass().getSimpleName();
  }
}
