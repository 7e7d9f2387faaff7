package io.github.synapsebgu.exporter.testing;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.matching.EqualToJsonPattern;
import io.github.synapsebgu.exporter.testing.FakeSynapse.Call;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Answers a test gave {@link FakeSynapse} for one call (and, if set, one JSON body): one per
 * matching request, in order, the last one repeating.
 */
public final class SynapseScript {
  private final Call call;
  private final EqualToJsonPattern body;
  private final List<ResponseDefinition> answers;
  private final AtomicInteger served = new AtomicInteger();

  SynapseScript(Call call, String json, ResponseDefinitionBuilder... answers) {
    if (answers.length == 0) {
      throw new IllegalArgumentException("a script needs at least one answer");
    }
    this.call = call;
    this.body = json == null ? null : new EqualToJsonPattern(json, false, false);
    this.answers = Arrays.stream(answers).map(ResponseDefinitionBuilder::build).toList();
  }

  boolean matches(Call c, Request request) {
    return c == call && (body == null || body.match(request.getBodyAsString()).isExactMatch());
  }

  ResponseDefinition next() {
    return answers.get(Math.min(served.getAndIncrement(), answers.size() - 1));
  }
}
