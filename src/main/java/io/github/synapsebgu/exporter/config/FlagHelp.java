package io.github.synapsebgu.exporter.config;

import java.util.List;
import java.util.ListResourceBundle;
import java.util.ResourceBundle;

/**
 * The help texts of flags as a resource bundle, which is how picocli lets a description come from
 * somewhere other than the {@code @Option} annotation: the key is the flag's name without the
 * leading dashes. Given to the whole command line with {@code CommandLine.setResourceBundle}.
 */
public final class FlagHelp {
  private FlagHelp() {}

  public static ResourceBundle of(List<Flag<?>> flags) {
    Object[][] contents = new Object[flags.size()][];
    for (int i = 0; i < flags.size(); i++) {
      Flag<?> flag = flags.get(i);
      contents[i] = new Object[] {flag.name().replaceFirst("^--", ""), flag.help()};
    }
    return new ListResourceBundle() {
      @Override
      protected Object[][] getContents() {
        return contents;
      }
    };
  }
}
