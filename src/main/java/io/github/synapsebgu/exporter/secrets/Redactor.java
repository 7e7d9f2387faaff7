package io.github.synapsebgu.exporter.secrets;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Removes the process's secrets from text that came from elsewhere (an upstream's error page, a
 * proxy's JSON) before it reaches a log, an API answer or a terminal. A proxy that echoes the
 * request's headers puts Synapse's token into its page, and not always as sent: upper or lower
 * case, percent-encoded, as HTML character references, JSON {@code \\u} escapes, or base64. Every
 * secret is matched in each of those forms (each character in any of them, so mixed forms too),
 * then {@code Authorization} header values, bearer credentials and Synapse-shaped tokens ({@code
 * syt_...}) are removed whatever they are.
 *
 * <p>The secrets are read from their sources at each call, so a rotated token is redacted from the
 * next message on.
 */
public final class Redactor {
  public static final String MARK = "<redacted>";

  /** Shorter secrets have too short a base64 form to match without hitting unrelated text. */
  private static final int MIN_BASE64_CHARS = 8;

  private static final Map<Character, String> NAMED_ENTITIES =
      Map.of(
          '_', "lowbar|UnderBar",
          '-', "hyphen|dash",
          '.', "period",
          '/', "sol",
          '+', "plus",
          '=', "equals",
          ':', "colon",
          '~', "tilde");

  private static final Pattern AUTHORIZATION =
      Pattern.compile(
          "(?i)(authorization[\"']?\\s*(?:[:=]|</t[dh]>\\s*<t[dh][^>]*>)\\s*[\"']?)"
              + "(?:(?:bearer|basic|token)\\s+)?[^\\s\"'<>&,;]+");
  private static final Pattern BEARER = Pattern.compile("(?i)\\b(bearer)\\s+[A-Za-z0-9._~+/=-]+");
  private static final Pattern SYNAPSE_TOKEN = Pattern.compile("\\bsy[tr]_[A-Za-z0-9_]+");
  private static final Pattern ACCESS_TOKEN_PARAM =
      Pattern.compile("(?i)(access_token=)[^&\\s\"'<>]+");

  private final List<TokenSource> sources;

  private Redactor(List<TokenSource> sources) {
    this.sources = List.copyOf(sources);
  }

  /** A redactor of these secrets (and of the generic token shapes). */
  public static Redactor of(TokenSource... sources) {
    return new Redactor(List.of(sources));
  }

  /** This redactor, knowing one more secret. */
  public Redactor and(TokenSource more) {
    List<TokenSource> all = new ArrayList<>(sources);
    all.add(more);
    return new Redactor(all);
  }

  /** {@code text} without any secret; null stays null. */
  public String redact(String text) {
    if (text == null || text.isEmpty()) {
      return text;
    }
    String out = text;
    for (TokenSource source : sources) {
      out = anyForm(source.current().reveal()).matcher(out).replaceAll(MARK);
    }
    out = AUTHORIZATION.matcher(out).replaceAll(m -> Matcher.quoteReplacement(m.group(1)) + MARK);
    out = BEARER.matcher(out).replaceAll(m -> Matcher.quoteReplacement(m.group(1)) + " " + MARK);
    out = SYNAPSE_TOKEN.matcher(out).replaceAll(MARK);
    out = ACCESS_TOKEN_PARAM.matcher(out).replaceAll(m -> m.group(1) + MARK);
    return out;
  }

  /** The secret as written in any mix of the encodings above, or inside base64 text. */
  static Pattern anyForm(String secret) {
    StringBuilder regex = new StringBuilder("(?:");
    secret
        .codePoints()
        .forEach(
            cp -> {
              regex.append("(?:").append(Pattern.quote(Character.toString(cp)));
              regex.append("|").append(percentEncoded(cp));
              regex.append("|&#0*").append(cp).append(";?");
              regex.append("|&#x0*").append(Integer.toHexString(cp)).append(";?");
              for (char unit : Character.toChars(cp)) {
                regex.append("|\\\\u").append(String.format("%04x", (int) unit));
              }
              regex.append("|\\\\").append(Pattern.quote(Character.toString(cp)));
              String named = NAMED_ENTITIES.get((char) cp);
              if (cp < 0x80 && named != null) {
                regex.append("|&(?:").append(named).append(");");
              }
              regex.append(")");
            });
    regex.append(")");
    for (String plain : new String[] {secret, "Bearer " + secret}) {
      for (String core : base64Cores(plain.getBytes(StandardCharsets.UTF_8))) {
        regex.append("|").append(Pattern.quote(core));
      }
    }
    return Pattern.compile(regex.toString(), Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
  }

  private static String percentEncoded(int cp) {
    StringBuilder s = new StringBuilder("(?:");
    for (byte b : Character.toString(cp).getBytes(StandardCharsets.UTF_8)) {
      s.append("%").append(String.format("%02x", b & 0xff));
    }
    return s.append(")").toString();
  }

  /**
   * The base64 characters that depend on {@code bytes} alone, for each of the three positions the
   * bytes can start at inside longer base64-encoded data (standard and URL-safe alphabets): the
   * secret is found in {@code Basic} credentials or any blob that merely contains it.
   */
  static List<String> base64Cores(byte[] bytes) {
    List<String> cores = new ArrayList<>();
    for (int offset = 0; offset < 3; offset++) {
      byte[] shifted = new byte[offset + bytes.length];
      System.arraycopy(bytes, 0, shifted, offset, bytes.length);
      String encoded = Base64.getEncoder().withoutPadding().encodeToString(shifted);
      int from = (offset * 8 + 5) / 6;
      int to = ((offset + bytes.length) * 8) / 6;
      if (to - from < MIN_BASE64_CHARS) {
        continue;
      }
      String core = encoded.substring(from, to);
      cores.add(core);
      cores.add(core.replace('+', '-').replace('/', '_'));
    }
    return cores;
  }
}
