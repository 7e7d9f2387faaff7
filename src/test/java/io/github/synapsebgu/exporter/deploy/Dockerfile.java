package io.github.synapsebgu.exporter.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The repository's Dockerfile as stages of instructions (continuations joined, comments dropped).
 */
final class Dockerfile {
  record Instruction(String keyword, String args) {}

  record Stage(String image, String name, List<Instruction> instructions) {
    List<String> args(String keyword) {
      return instructions.stream()
          .filter(i -> i.keyword().equals(keyword))
          .map(Instruction::args)
          .toList();
    }
  }

  private Dockerfile() {}

  static List<Stage> parse(String text) {
    List<Stage> stages = new ArrayList<>();
    StringBuilder logical = new StringBuilder();
    for (String raw : text.split("\n", -1)) {
      String line = raw.strip();
      if (logical.length() == 0 && (line.isEmpty() || line.startsWith("#"))) {
        continue;
      }
      if (line.endsWith("\\")) {
        logical.append(line, 0, line.length() - 1).append(' ');
        continue;
      }
      logical.append(line);
      String[] parts = logical.toString().strip().split("\\s+", 2);
      logical.setLength(0);
      String keyword = parts[0].toUpperCase(Locale.ROOT);
      String args = parts.length > 1 ? parts[1].strip() : "";
      if (keyword.equals("FROM")) {
        String[] from = args.split("\\s+");
        String name = from.length == 3 && from[1].equalsIgnoreCase("AS") ? from[2] : null;
        stages.add(new Stage(from[0], name, new ArrayList<>()));
      } else if (!stages.isEmpty()) {
        stages.get(stages.size() - 1).instructions().add(new Instruction(keyword, args));
      }
    }
    return stages;
  }
}
