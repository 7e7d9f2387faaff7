package io.github.synapsebgu.exporter.http.webconfig;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.synapsebgu.exporter.http.webconfig.TestPki.Issued;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PKCS8Generator;
import org.bouncycastle.openssl.jcajce.JcaMiscPEMGenerator;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMEncryptorBuilder;
import org.bouncycastle.util.io.pem.PemObjectGenerator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS, client certificates and bcrypt basic auth on the packaged jar. The shade plugin minimizes
 * Bouncy Castle to the classes our code reaches; a class it wrongly dropped (a key format's parser,
 * the bcrypt engine) only shows when the jar itself reads such a key or checks such a password.
 */
class PackagedJarTlsIT {
  private static final Path JAR = Path.of("target/synapse-bgu-exporter.jar");
  private static final Pattern PORT = Pattern.compile("msg=Listening .*port=(\\d+)");
  private static final String PASSWORD = "s3cret"; // of WebConfigFileFixture.HASH
  private static final String KEY_PASSPHRASE = "key-passphrase";
  // The JDK has no provider for OpenSSL's key encryption; only the test needs one (to write keys).
  private static final BouncyCastleProvider BC = new BouncyCastleProvider();
  private static final String MTLS_AND_USERS =
      "tls_server_config:\n"
          + "  cert_file: tls.crt\n"
          + "  key_file: tls.key\n"
          + "  client_auth_type: RequireAndVerifyClientCert\n"
          + "  client_ca_file: clients.crt\n"
          + "basic_auth_users:\n"
          + "  alice: "
          + WebConfigFileFixture.HASH
          + "\n";

  static Issued serverCa;
  static Issued clientCa;
  static Issued client;

  @TempDir Path dir;
  Process process;

  @BeforeAll
  static void pki() {
    serverCa = TestPki.ca("server-ca");
    clientCa = TestPki.ca("client-ca");
    client = TestPki.client(clientCa, "prometheus");
  }

  @AfterEach
  void stop() throws InterruptedException {
    if (process != null && process.isAlive()) {
      process.destroy();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
  }

  @Test
  void a_pkcs8_ec_key_serves_mutual_tls_and_basic_auth() throws Exception {
    Issued server = TestPki.server(serverCa);
    servesOnlyTheRightClient(server, server.pkcs8Pem(), "BEGIN PRIVATE KEY");
  }

  @Test
  void a_traditional_rsa_key_serves_mutual_tls_and_basic_auth() throws Exception {
    Issued server = TestPki.serverRsa(serverCa);
    servesOnlyTheRightClient(server, server.traditionalPem(), "BEGIN RSA PRIVATE KEY");
  }

  @Test
  void a_sec1_ec_key_serves_mutual_tls_and_basic_auth() throws Exception {
    Issued server = TestPki.server(serverCa);
    servesOnlyTheRightClient(server, server.traditionalPem(), "BEGIN EC PRIVATE KEY");
  }

  @Test
  void an_encrypted_pkcs8_key_is_refused_with_a_clear_message_and_exit_code_2() throws Exception {
    Issued server = TestPki.server(serverCa);
    String pem =
        pem(
            new JcaPKCS8Generator(
                server.key(),
                new JceOpenSSLPKCS8EncryptorBuilder(PKCS8Generator.AES_256_CBC)
                    .setProvider(BC)
                    .setPassword(KEY_PASSPHRASE.toCharArray())
                    .build()));
    refusesTheEncryptedKey(server, pem, "BEGIN ENCRYPTED PRIVATE KEY");
  }

  @Test
  void an_encrypted_traditional_key_is_refused_with_a_clear_message_and_exit_code_2()
      throws Exception {
    Issued server = TestPki.serverRsa(serverCa);
    String pem =
        pem(
            new JcaMiscPEMGenerator(
                server.key(),
                new JcePEMEncryptorBuilder("AES-256-CBC")
                    .setProvider(BC)
                    .build(KEY_PASSPHRASE.toCharArray())));
    refusesTheEncryptedKey(server, pem, "Proc-Type: 4,ENCRYPTED");
  }

  private void servesOnlyTheRightClient(Issued server, String keyPem, String keyKind)
      throws Exception {
    Path output = writeFiles(server, keyPem, keyKind);
    InetSocketAddress addr = listening(output);

    RawHttp.Response ok =
        RawHttp.get(
            client.clientContext(serverCa), addr, "/metrics", RawHttp.basic("alice", PASSWORD));
    assertThat(ok.status()).isEqualTo(200);
    assertThat(ok.body()).contains("synapse_background_updates_");
    assertThat(
            RawHttp.get(
                    client.clientContext(serverCa),
                    addr,
                    "/metrics",
                    RawHttp.basic("alice", PASSWORD + "!"))
                .status())
        .isEqualTo(401);
    assertThat(RawHttp.get(client.clientContext(serverCa), addr, "/metrics", null).status())
        .isEqualTo(401);
    // No client certificate: the handshake itself fails, whatever the password.
    assertThatThrownBy(
            () ->
                RawHttp.get(
                    TestPki.trusting(serverCa), addr, "/metrics", RawHttp.basic("alice", PASSWORD)))
        .isInstanceOf(IOException.class);
    assertThat(Files.readString(output)).doesNotContain(PASSWORD).doesNotContain("Exception");
  }

  private void refusesTheEncryptedKey(Issued server, String keyPem, String keyKind)
      throws Exception {
    Path output = writeFiles(server, keyPem, keyKind);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("exited").isTrue();
    String text = Files.readString(output);
    assertThat(process.exitValue()).as(text).isEqualTo(2);
    assertThat(text.strip().lines()).as(text).hasSize(1);
    assertThat(text.strip())
        .startsWith("synapse-bgu-exporter: --web.config.file: " + dir.resolve("web.yml") + ": ")
        .contains("tls_server_config.key_file: " + dir.resolve("tls.key"))
        .contains("holds an encrypted private key; decrypt it first")
        .doesNotContain(KEY_PASSPHRASE);
  }

  /** Writes the PKI and web config, starts the jar on them and returns its output file. */
  private Path writeFiles(Issued server, String keyPem, String keyKind) throws Exception {
    assertThat(keyPem).contains(keyKind); // the format under test, not a default one
    server.writeCert(dir.resolve("tls.crt"));
    TestPki.write(dir.resolve("tls.key"), keyPem);
    clientCa.writeCert(dir.resolve("clients.crt"));
    Path config = TestPki.write(dir.resolve("web.yml"), MTLS_AND_USERS);
    Path output = dir.resolve("out.log");
    process = launch(output, config);
    return output;
  }

  private static Process launch(Path output, Path webConfig) throws IOException {
    assertThat(JAR).exists();
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command =
        new ArrayList<>(List.of(java, "@deploy/jvm.options", "-jar", JAR.toString()));
    command.addAll(
        List.of("--demo", "--web.listen-address=127.0.0.1:0", "--web.config.file=" + webConfig));
    // Output goes to a file: a pipe read after the process exits may already be closed by the JDK.
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(output.toFile())
        .start();
  }

  private InetSocketAddress listening(Path output) throws Exception {
    String log = "";
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() - deadline < 0 && process.isAlive()) {
      log = Files.readString(output);
      Matcher m = PORT.matcher(log);
      if (m.find()) {
        return new InetSocketAddress("127.0.0.1", Integer.parseInt(m.group(1)));
      }
      Thread.sleep(50);
    }
    throw new AssertionError("no listening line in:\n" + Files.readString(output));
  }

  private static String pem(PemObjectGenerator generator) {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
      writer.writeObject(generator);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }
}
