package io.github.synapsebgu.exporter.http.webconfig;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class BasicAuthTest {
  // `htpasswd -nbBC 10 alice s3cret` and `htpasswd -nbBC 4 alice s3cret`.
  static final String COST_10 = "$2y$10$eety5lkHoxWYd.D8.9CBLOyJFuX8fwkhVVmrRnxwFsVDbBw.uISmO";
  static final String COST_4 = WebConfigFileFixture.HASH;

  private final AtomicLong clock = new AtomicLong();
  private final BasicAuth auth = new BasicAuth(clock::get);

  @Test
  void acceptsTheRightPasswordForAnHtpasswdHash() {
    assertThat(auth.allows(Map.of("alice", COST_10), RawHttp.basic("alice", "s3cret"))).isTrue();
  }

  @Test
  void refusesAWrongPasswordAnUnknownUserAndMalformedHeaders() {
    Map<String, String> users = Map.of("alice", COST_4);
    assertThat(auth.allows(users, RawHttp.basic("alice", "s3cret!"))).isFalse();
    assertThat(auth.allows(users, RawHttp.basic("bob", "s3cret"))).isFalse();
    assertThat(auth.allows(users, null)).isFalse();
    assertThat(auth.allows(users, "Bearer s3cret")).isFalse();
    assertThat(auth.allows(users, "Basic !!!notbase64")).isFalse();
    assertThat(auth.allows(users, "Basic YWxpY2U=")).isFalse(); // "alice", no colon
  }

  @Test
  void aPasswordIsCheckedWithBcryptOnceThenRememberedForAFewMinutes() {
    Map<String, String> users = Map.of("alice", COST_10);
    String header = RawHttp.basic("alice", "s3cret");
    long first = timed(() -> assertThat(auth.allows(users, header)).isTrue());
    long cached = timed(() -> assertThat(auth.allows(users, header)).isTrue());
    clock.addAndGet(BasicAuth.REMEMBER_NANOS + 1);
    long expired = timed(() -> assertThat(auth.allows(users, header)).isTrue());

    // Cost 10 is tens of milliseconds of hashing; a remembered check is a map lookup.
    assertThat(first).isGreaterThan(10_000_000L);
    assertThat(cached).isLessThan(first / 10);
    assertThat(expired).isGreaterThan(cached * 10);
  }

  @Test
  void aChangedHashIsCheckedAfreshNotAnsweredFromTheCache() {
    String header = RawHttp.basic("alice", "s3cret");
    assertThat(auth.allows(Map.of("alice", COST_4), header)).isTrue();
    // The same user now has another password's hash: the remembered success must not count.
    String other = "$2y$04$" + "a".repeat(53);
    assertThat(auth.allows(Map.of("alice", other), header)).isFalse();
    assertThat(auth.allows(Map.of(), header)).isFalse();
  }

  private static long timed(Runnable r) {
    long start = System.nanoTime();
    r.run();
    return System.nanoTime() - start;
  }
}
