package io.github.synapsebgu.exporter.http.webconfig;

import io.github.synapsebgu.exporter.http.webconfig.YamlFields.FieldException;
import io.github.synapsebgu.exporter.secrets.SafeFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.net.ssl.SSLContext;
import tools.jackson.databind.JsonNode;

/** Reads {@code tls_server_config} and loads the certificate, key and client CAs it names. */
final class TlsParser {
  static final String SECTION = "tls_server_config";
  private static final Set<String> SUPPORTED =
      Set.of(
          "cert_file",
          "key_file",
          "client_auth_type",
          "client_ca_file",
          "min_version",
          "max_version",
          "cipher_suites",
          "prefer_server_cipher_suites");
  private static final Set<String> UNSUPPORTED =
      Set.of("cert", "key", "client_ca", "curve_preferences", "client_allowed_sans");
  // Ordered oldest first so min/max compare by index.
  private static final List<String> VERSIONS = List.of("TLS10", "TLS11", "TLS12", "TLS13");
  private static final Map<String, String> JSSE_NAMES =
      Map.of("TLS12", "TLSv1.2", "TLS13", "TLSv1.3");
  private static final long MAX_FILE_BYTES = 1024 * 1024;

  private TlsParser() {}

  /**
   * @param dir relative file names are resolved against the web config file's directory, as the
   *     toolkit does
   * @return empty when the section sets nothing (plain HTTP)
   */
  static Optional<TlsSettings> parse(JsonNode section, Path dir, List<Path> watched)
      throws FieldException {
    YamlFields f = YamlFields.of(section, SECTION, SUPPORTED, UNSUPPORTED);
    if (section.isEmpty()) {
      return Optional.empty();
    }
    Path certFile = file(f, "cert_file", dir, true).orElseThrow();
    Path keyFile = file(f, "key_file", dir, true).orElseThrow();
    Optional<Path> caFile = file(f, "client_ca_file", dir, false);
    ClientAuth auth = clientAuth(f);
    if (caFile.isPresent() && auth == ClientAuth.NO_CLIENT_CERT) {
      throw new FieldException(
          f.path("client_ca_file"),
          "is set but client_auth_type is NoClientCert, so it would be ignored; set"
              + " client_auth_type: RequireAndVerifyClientCert");
    }
    if (caFile.isEmpty() && auth.verify()) {
      throw new FieldException(
          f.path("client_ca_file"),
          "is required with client_auth_type " + auth.yamlName() + " (the CAs to verify against)");
    }
    List<String> protocols = protocols(f);
    Optional<List<String>> ciphers = cipherSuites(f);
    boolean preferServer = f.bool("prefer_server_cipher_suites").orElse(true);

    List<X509Certificate> chain = certificates(f, "cert_file", certFile);
    PrivateKey key;
    try {
      key = Pem.privateKey(read(f, "key_file", keyFile));
    } catch (IllegalArgumentException e) {
      throw new FieldException(f.path("key_file"), keyFile + " " + e.getMessage());
    }
    if (!Pem.matches(key, chain.get(0))) {
      throw new FieldException(
          f.path("key_file"),
          "the private key in " + keyFile + " does not belong to the certificate in " + certFile);
    }
    List<X509Certificate> cas =
        caFile.isPresent() ? certificates(f, "client_ca_file", caFile.get()) : List.of();
    watched.add(certFile);
    watched.add(keyFile);
    caFile.ifPresent(watched::add);
    return Optional.of(new TlsSettings(chain, key, auth, cas, protocols, ciphers, preferServer));
  }

  private static Optional<Path> file(YamlFields f, String key, Path dir, boolean required)
      throws FieldException {
    Optional<String> name = f.string(key);
    if (name.isEmpty() && required) {
      throw new FieldException(
          f.path(key), "is required when " + SECTION + " is set (a PEM file path)");
    }
    return name.map(n -> dir.resolve(n).normalize());
  }

  private static ClientAuth clientAuth(YamlFields f) throws FieldException {
    Optional<String> name = f.string("client_auth_type");
    if (name.isEmpty()) {
      return ClientAuth.NO_CLIENT_CERT;
    }
    return ClientAuth.byName(name.get())
        .orElseThrow(
            () ->
                new FieldException(
                    f.path("client_auth_type"),
                    "invalid value \""
                        + name.get()
                        + "\" (one of "
                        + String.join(
                            ", ",
                            Arrays.stream(ClientAuth.values()).map(ClientAuth::yamlName).toList())
                        + ")"));
  }

  private static List<String> protocols(YamlFields f) throws FieldException {
    int min = version(f, "min_version", "TLS12");
    int max = version(f, "max_version", "TLS13");
    if (min > max) {
      throw new FieldException(
          f.path("min_version"), "is newer than max_version (" + VERSIONS.get(max) + ")");
    }
    List<String> out = new ArrayList<>();
    for (int i = max; i >= min; i--) {
      out.add(JSSE_NAMES.get(VERSIONS.get(i)));
    }
    return out;
  }

  private static int version(YamlFields f, String key, String fallback) throws FieldException {
    String v = f.string(key).orElse(fallback);
    int i = VERSIONS.indexOf(v);
    if (i < 0) {
      throw new FieldException(f.path(key), "invalid value \"" + v + "\" (TLS12 or TLS13)");
    }
    if (!JSSE_NAMES.containsKey(v)) {
      throw new FieldException(
          f.path(key), v + " is refused: TLS 1.1 and older are insecure (use TLS12 or TLS13)");
    }
    return i;
  }

  /**
   * Go applies {@code cipher_suites} to TLS 1.2 only and always keeps its TLS 1.3 suites; JSSE
   * takes one list for both, so the JDK's TLS 1.3 suites are appended.
   */
  private static Optional<List<String>> cipherSuites(YamlFields f) throws FieldException {
    Optional<List<String>> names = f.strings("cipher_suites");
    if (names.isEmpty() || names.get().isEmpty()) {
      return Optional.empty();
    }
    List<String> enabled;
    try {
      enabled = Arrays.asList(SSLContext.getDefault().getDefaultSSLParameters().getCipherSuites());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no default TLS context", e);
    }
    Set<String> out = new LinkedHashSet<>();
    for (String name : names.get()) {
      if (!enabled.contains(name)) {
        throw new FieldException(
            f.path("cipher_suites"),
            "unknown or disabled cipher suite \""
                + name
                + "\" (available: "
                + String.join(", ", enabled)
                + ")");
      }
      out.add(name);
    }
    enabled.stream().filter(TlsParser::isTls13Suite).forEach(out::add);
    return Optional.of(List.copyOf(out));
  }

  private static boolean isTls13Suite(String name) {
    return name.startsWith("TLS_AES_") || name.startsWith("TLS_CHACHA20_");
  }

  private static List<X509Certificate> certificates(YamlFields f, String key, Path file)
      throws FieldException {
    try {
      return Pem.certificates(read(f, key, file));
    } catch (IllegalArgumentException e) {
      throw new FieldException(f.path(key), file + " " + e.getMessage());
    }
  }

  static String read(YamlFields f, String key, Path file) throws FieldException {
    try {
      // PEM is ASCII; Latin-1 maps any byte, so a DER or binary file fails as "no PEM" below.
      return new String(
          SafeFiles.readRegularFile(file, MAX_FILE_BYTES), StandardCharsets.ISO_8859_1);
    } catch (IOException e) {
      throw new FieldException(f.path(key), "cannot read " + file + ": " + e.getMessage());
    }
  }
}
