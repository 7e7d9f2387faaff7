package io.github.synapsebgu.exporter.build;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** Version and revision baked into the jar at build time. */
public record BuildInfo(String version, String revision, String javaVersion) {

  public static BuildInfo load() {
    Properties p = new Properties();
    try (InputStream in =
        BuildInfo.class.getResourceAsStream("/synapse-bgu-exporter-build.properties")) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException e) {
      // fall through to "unknown": build info must never stop the exporter
    }
    return new BuildInfo(
        clean(p.getProperty("version")),
        clean(p.getProperty("revision")),
        System.getProperty("java.version", "unknown"));
  }

  private static String clean(String value) {
    return value == null || value.isBlank() || value.startsWith("${") ? "unknown" : value;
  }

  public String userAgent() {
    return "synapse-bgu-exporter/" + version;
  }
}
