package io.github.synapsebgu.exporter.page;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HtmlTest {
  @Test
  void text_and_attributes_escape_every_markup_character() {
    String hostile = "\"><img src=x onerror='alert(1)'>&";
    assertThat(new Html(64).text(hostile).toString())
        .isEqualTo("&quot;&gt;&lt;img src=x onerror=&#39;alert(1)&#39;&gt;&amp;");
    assertThat(new Html(64).attr("data-x", hostile).toString())
        .isEqualTo(" data-x=\"&quot;&gt;&lt;img src=x onerror=&#39;alert(1)&#39;&gt;&amp;\"");
  }

  @Test
  void a_homeserver_link_keeps_any_name_inside_its_query() {
    assertThat(new Html(64).homeserverLink("javascript:alert(1)").toString())
        .isEqualTo("<a href=\"/?homeserver=javascript%3Aalert%281%29\">javascript:alert(1)</a>");
    assertThat(new Html(64).homeserverLink("a&b=\"c\"").toString())
        .isEqualTo("<a href=\"/?homeserver=a%26b%3D%22c%22\">a&amp;b=&quot;c&quot;</a>");
  }

  @Test
  void durations_read_as_a_person_would_say_them() {
    assertThat(Html.duration(0.064)).isEqualTo("64 ms");
    assertThat(Html.duration(42)).isEqualTo("42 s");
    assertThat(Html.duration(3725)).isEqualTo("1 h 02 min");
    assertThat(Html.duration(90_000)).isEqualTo("1 d 01 h");
  }
}
