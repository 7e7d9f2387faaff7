package io.github.synapsebgu.exporter.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** .dockerignore semantics: globs per path, a match also excludes children, the last match wins. */
final class DockerIgnore {
  private record Rule(Pattern pattern, boolean exclude) {}

  private final List<Rule> rules = new ArrayList<>();

  DockerIgnore(String text) {
    for (String raw : text.split("\n")) {
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      boolean exclude = !line.startsWith("!");
      String glob = (exclude ? line : line.substring(1)).replaceAll("^/+|/+$", "");
      rules.add(new Rule(Pattern.compile(toRegex(glob) + "(/.*)?"), exclude));
    }
  }

  private static String toRegex(String glob) {
    StringBuilder re = new StringBuilder();
    for (int i = 0; i < glob.length(); i++) {
      char c = glob.charAt(i);
      if (c == '*' && i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
        re.append(".*");
        i++;
      } else if (c == '*') {
        re.append("[^/]*");
      } else if (c == '?') {
        re.append("[^/]");
      } else {
        re.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return re.toString();
  }

  boolean excludes(String path) {
    boolean excluded = false;
    for (Rule rule : rules) {
      if (rule.pattern().matcher(path).matches()) {
        excluded = rule.exclude();
      }
    }
    return excluded;
  }
}
