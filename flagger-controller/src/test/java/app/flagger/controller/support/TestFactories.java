package app.flagger.controller.support;

import app.flagger.controller.metrics.providers.ProviderFactory;
import app.flagger.controller.notifier.NotifierFactory;
import app.flagger.controller.observe.ControllerMetrics;
import app.flagger.model.http.BoundedBody;
import io.helidon.metrics.api.MeterRegistry;
import java.time.Duration;

/** Provider and notifier factories for tests, with their calls recorded in a test registry. */
public final class TestFactories {
  private TestFactories() {}

  public static ControllerMetrics metrics() {
    return new ControllerMetrics(MeterRegistry.create());
  }

  public static ProviderFactory providers() {
    return providers(ProviderFactory.DEFAULT_TIMEOUT);
  }

  public static ProviderFactory providers(Duration timeout) {
    return new ProviderFactory(timeout, metrics(), BoundedBody.DEFAULT_LIMIT);
  }

  public static NotifierFactory notifiers() {
    return notifiers(NotifierFactory.DEFAULT_TIMEOUT);
  }

  public static NotifierFactory notifiers(Duration timeout) {
    return new NotifierFactory(timeout, metrics(), BoundedBody.DEFAULT_LIMIT);
  }
}
