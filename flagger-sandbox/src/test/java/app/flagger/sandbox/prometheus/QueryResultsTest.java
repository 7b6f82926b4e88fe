package app.flagger.sandbox.prometheus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Prometheus's query answers become samples; its errors become clear exceptions. */
class QueryResultsTest {

  @Test
  void readsVectorsAndScalars() throws Exception {
    String vector =
        """
        {"status":"success","data":{"resultType":"vector","result":[
          {"metric":{"pod":"podinfo-abc"},"value":[1700000000.1,"0.25"]},
          {"metric":{},"value":[1700000000.1,"NaN"]}]}}""";
    assertThat(QueryResults.parse(200, vector, "q"))
        .containsExactly(
            new Sample(Map.of("pod", "podinfo-abc"), 0.25), new Sample(Map.of(), Double.NaN));
    String scalar =
        """
        {"status":"success","data":{"resultType":"scalar","result":[1700000000.1,"42"]}}""";
    assertThat(QueryResults.parse(200, scalar, "q")).containsExactly(new Sample(Map.of(), 42));
  }

  @Test
  void errorsNameTheQuery() {
    assertThatThrownBy(
            () ->
                QueryResults.parse(
                    400, "{\"status\":\"error\",\"error\":\"parse error\"}", "sum(("))
        .hasMessage("query failed: parse error in sum((");
    assertThatThrownBy(() -> QueryResults.parse(502, "Bad Gateway", "up"))
        .hasMessageContaining("prometheus answered 502 without JSON");
  }
}
