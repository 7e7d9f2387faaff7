package io.github.synapsebgu.exporter.secrets;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Removes the process's secrets from text that came from elsewhere (an upstream's error page, a
 * proxy's JSON) before it reaches a log, an API answer or a terminal. A proxy that echoes the
 * request's headers puts Synapse's token into its page, and not always as sent: upper or lower
 * case, percent-encoded, as HTML character references, JSON {@code \\u} escapes, or base64. Every
 * secret is found in each of those forms (each character in any of them, so mixed forms too: see
 * {@link DecodedText}), then {@code Authorization} header values, bearer credentials and
 * Synapse-shaped tokens ({@code syt_...}) are removed whatever they are.
 *
 * <p>The secrets are read from their sources at each call, so a rotated token is redacted from the
 * next message on.
 */
public final class Redactor {
  public static final String MARK = "<redacted>";

  /** Shorter secrets have too short a base64 form to match without hitting unrelated text. */
  private static final int MIN_BASE64_CHARS = 8;

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

  /**
   * {@code text} without any secret; null stays null. Fails closed: a text that could not be
   * checked is replaced whole by {@link #MARK}, never returned as it was.
   */
  public String redact(String text) {
    if (text == null || text.isEmpty()) {
      return text;
    }
    try {
      String out = text;
      for (TokenSource source : sources) {
        out = withoutSecret(out, source.current().reveal());
      }
      out = AUTHORIZATION.matcher(out).replaceAll(m -> Matcher.quoteReplacement(m.group(1)) + MARK);
      out = BEARER.matcher(out).replaceAll(m -> Matcher.quoteReplacement(m.group(1)) + " " + MARK);
      out = SYNAPSE_TOKEN.matcher(out).replaceAll(MARK);
      out = ACCESS_TOKEN_PARAM.matcher(out).replaceAll(m -> m.group(1) + MARK);
      return out;
    } catch (RuntimeException e) {
      return MARK;
    }
  }

  /**
   * {@code text} without {@code secret}, found in any case and in any mix of the encodings {@link
   * DecodedText} reads, or inside base64 text.
   */
  static String withoutSecret(String text, String secret) {
    if (secret.isEmpty()) {
      return text;
    }
    List<int[]> spans = new ArrayList<>();
    DecodedText decoded = new DecodedText(text);
    String units = decoded.units().toString();
    String needle = lower(secret);
    for (int at = units.indexOf(needle); at >= 0; at = units.indexOf(needle, at + 1)) {
      spans.add(new int[] {decoded.start(at), decoded.end(at + needle.length() - 1)});
    }
    String lowered = lower(text);
    for (String plain : new String[] {secret, "Bearer " + secret}) {
      for (String core : base64Cores(plain.getBytes(StandardCharsets.UTF_8))) {
        String c = lower(core);
        for (int at = lowered.indexOf(c); at >= 0; at = lowered.indexOf(c, at + 1)) {
          spans.add(new int[] {at, at + c.length()});
        }
      }
    }
    return cut(text, spans);
  }

  /** {@code text} with each span (merged where they overlap) replaced by {@link #MARK}. */
  private static String cut(String text, List<int[]> spans) {
    if (spans.isEmpty()) {
      return text;
    }
    spans.sort(Comparator.comparingInt(span -> span[0]));
    StringBuilder out = new StringBuilder(text.length());
    int copied = 0;
    int i = 0;
    while (i < spans.size()) {
      int from = spans.get(i)[0];
      int to = spans.get(i)[1];
      while (++i < spans.size() && spans.get(i)[0] <= to) {
        to = Math.max(to, spans.get(i)[1]);
      }
      out.append(text, copied, Math.max(copied, from)).append(MARK);
      copied = Math.max(copied, to);
    }
    return out.append(text, copied, text.length()).toString();
  }

  /** Lower case per UTF-16 unit, so that positions stay those of the original. */
  private static String lower(String s) {
    char[] chars = s.toCharArray();
    for (int i = 0; i < chars.length; i++) {
      chars[i] = Character.toLowerCase(chars[i]);
    }
    return new String(chars);
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
