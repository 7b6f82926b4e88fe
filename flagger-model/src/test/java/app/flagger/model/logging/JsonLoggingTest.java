package app.flagger.model.logging;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class JsonLoggingTest {
  @Test
  void aServiceWithoutLoggingPropertiesIsAClearError() {
    // the services' jars each ship one beside their Main; the model's tests have none
    assertThatThrownBy(() -> JsonLogging.install(JsonLoggingTest.class))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "app.flagger.model.logging.JsonLoggingTest: expected"
                + " app/flagger/model/logging/logging.properties on the classpath");
  }
}
