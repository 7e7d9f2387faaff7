package io.github.synapsebgu.exporter.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class RedactorTest {
  static final String SYNAPSE = "syt_YWRtaW4_QkxtTrbvZpWgEhfJcRaS_0wJlKe";
  static final String ADMIN = "5f0c2a7e9b13d4866a1f0e27c9d3b4a8";

  private final Redactor redactor =
      Redactor.of(
          TokenSource.fixed(new Secret(SYNAPSE), "test"),
          TokenSource.fixed(new Secret(ADMIN), "admin"));

  /** The ways a page may carry a header value it echoes. */
  static List<Function<String, String>> encodings() {
    return List.of(
        s -> s,
        s -> s.toUpperCase(Locale.ROOT),
        s -> s.toLowerCase(Locale.ROOT),
        s -> each(s, c -> String.format("%%%02X", (int) c)),
        s -> each(s, c -> String.format("%%%02x", (int) c)),
        s -> each(s, c -> "&#" + (int) c + ";"),
        s -> each(s, c -> "&#x" + Integer.toHexString(c) + ";"),
        s -> each(s, c -> String.format("\\u%04x", (int) c)),
        s -> each(s, c -> String.format("\\x%02x", (int) c)),
        s -> s.replace("_", "&lowbar;"),
        s -> s.substring(0, 10) + each(s.substring(10), c -> String.format("%%%02X", (int) c)),
        s -> base64("Bearer " + s),
        s -> base64(s),
        s -> "Basic " + base64("user:" + s),
        s -> base64("xx" + s + "yy"));
  }

  private static String each(String s, Function<Character, String> f) {
    StringBuilder b = new StringBuilder();
    for (char c : s.toCharArray()) {
      b.append(f.apply(c));
    }
    return b.toString();
  }

  private static String base64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  @ParameterizedTest
  @MethodSource("encodings")
  void every_secret_is_removed_in_every_form_a_page_may_echo_it(Function<String, String> form) {
    for (String secret : new String[] {SYNAPSE, ADMIN}) {
      String encoded = form.apply(secret);
      String page = "<html><body><pre>X-Echo: " + encoded + "</pre> after</body></html>";

      String out = redactor.redact(page);

      assertThat(out).doesNotContain(encoded).contains(Redactor.MARK).contains(" after");
    }
  }

  @Test
  void authorization_header_values_and_token_shapes_go_whoever_they_belong_to() {
    String page =
        "<tr><td>Authorization</td><td>Bearer abc.DEF-123</td></tr> authorization: Basic"
            + " dXNlcjpwYXNz; token syt_b3RoZXI_unknownToken_1a2b3c and ?access_token=s3cr3t&x=1";

    String out = redactor.redact(page);

    assertThat(out)
        .doesNotContain("abc.DEF-123")
        .doesNotContain("dXNlcjpwYXNz")
        .doesNotContain("syt_b3RoZXI_unknownToken_1a2b3c")
        .doesNotContain("s3cr3t")
        .contains("&x=1");
  }

  @Test
  void text_without_secrets_is_left_as_it_is() {
    String page = "<html><head><title>400 Bad Request</title></head><body>nginx/1.22</body></html>";

    assertThat(redactor.redact(page)).isEqualTo(page);
  }

  @Test
  void a_rotated_token_is_redacted_from_the_next_message_on() {
    String[] current = {SYNAPSE};
    TokenSource rotating =
        new TokenSource() {
          @Override
          public Secret current() {
            return new Secret(current[0]);
          }

          @Override
          public String describe() {
            return "rotating";
          }
        };
    Redactor r = Redactor.of(rotating);
    current[0] = "n3wT0kenWithoutAShape9876";

    assertThat(r.redact("echo n3wT0kenWithoutAShape9876")).isEqualTo("echo " + Redactor.MARK);
  }

  /**
   * A token file may hold 4 KiB; the daemon runs with -Xss256k (deploy/jvm.options). A pattern per
   * secret overflowed that stack from about 800 characters, and its message quoted the token.
   */
  @ParameterizedTest
  @MethodSource("encodings")
  void a_four_kib_secret_is_removed_in_every_form_on_a_256_kib_stack(Function<String, String> form)
      throws Exception {
    String secret = "syt_" + "Ab9_".repeat(1023);
    Redactor longOne = Redactor.of(TokenSource.fixed(new Secret(secret), "long"));
    String encoded = form.apply(secret);
    String page = "<pre>X-Echo: " + encoded + "</pre> after";
    String[] out = new String[1];
    Throwable[] failure = new Throwable[1];
    Thread small =
        new Thread(
            null,
            () -> {
              try {
                out[0] = longOne.redact(page);
              } catch (Throwable t) {
                failure[0] = t;
              }
            },
            "small-stack",
            256 * 1024);
    small.start();
    small.join();

    assertThat(failure[0]).isNull();
    assertThat(out[0]).doesNotContain(secret.substring(4, 40)).contains(" after");
    assertThat(out[0]).doesNotContain(encoded);
  }

  @Test
  void text_around_a_secret_in_mixed_forms_is_kept_byte_for_byte() {
    String mixed = SYNAPSE.substring(0, 6) + "%52" + "&#x74;" + SYNAPSE.substring(8);
    String out = redactor.redact("before " + mixed + " after &amp; %zz \\u12");

    assertThat(out).isEqualTo("before " + Redactor.MARK + " after &amp; %zz \\u12");
  }
}
