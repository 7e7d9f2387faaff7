package io.github.synapsebgu.exporter.secrets;

/** Where a bearer token comes from; asked before every request so rotation needs no restart. */
public interface TokenSource {
  Secret current();

  /** Where the token is read from, safe to log (never the token). */
  String describe();

  static TokenSource fixed(Secret secret, String description) {
    return new TokenSource() {
      @Override
      public Secret current() {
        return secret;
      }

      @Override
      public String describe() {
        return description;
      }
    };
  }
}
