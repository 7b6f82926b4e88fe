package app.flagger.model.validation;

import app.flagger.model.common.StringEnum;
import app.flagger.model.metric.MetricProviderType;
import app.flagger.model.metric.MetricTemplate;
import app.flagger.model.metric.MetricTemplateProvider;
import app.flagger.model.metric.MetricTemplateSpec;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;

/** Checks a MetricTemplate and reports every problem at once. */
public final class MetricTemplateValidator {
  private static final List<String> TYPES = StringEnum.values(MetricProviderType.class);

  /** The problems of {@code template}; empty when it is valid. */
  public List<ValidationError> validate(MetricTemplate template) {
    Problems p = new Problems();
    MetricTemplateSpec spec = template.getSpec();
    if (!p.required("spec", spec)) {
      return p.list();
    }
    provider(p, spec.provider());
    if (p.required("spec.query", spec.query())) {
      QueryTemplateSyntax.check(spec.query()).ifPresent(problem -> p.add("spec.query", problem));
    }
    return p.list();
  }

  private static void provider(Problems p, MetricTemplateProvider provider) {
    if (!p.required("spec.provider", provider)) {
      return;
    }
    if (p.required("spec.provider.type", provider.type())) {
      type(p, provider.type());
    }
    if (MetricProviderType.PROMETHEUS.value().equals(provider.type())
        && provider.secretRef() == null) {
      p.required("spec.provider.address", provider.address());
    }
    if (MetricProviderType.SPLUNK.value().equals(provider.type())) {
      splunk(p, provider);
    } else {
      p.httpUrl("spec.provider.address", provider.address());
    }
    if (MetricProviderType.INFLUXDB.value().equals(provider.type())) {
      p.required("spec.provider.address", provider.address());
    }
    if (provider.secretRef() != null) {
      p.required("spec.provider.secretRef.name", provider.secretRef().name());
    }
    if (MetricProviderType.CLOUDWATCH.value().equals(provider.type())) {
      p.required("spec.provider.region", provider.region());
    }
    if (MetricProviderType.DATADOG.value().equals(provider.type())) {
      datadog(p, provider);
    }
    newrelic(p, provider);
    graphite(p, provider);
    dynatrace(p, provider);
    if (MetricProviderType.STACKDRIVER.value().equals(provider.type())) {
      stackdriver(p, provider);
    }
  }

  /**
   * Datadog needs both keys of a Secret ({@code datadog_api_key}, {@code datadog_application_key}).
   */
  private static void datadog(Problems p, MetricTemplateProvider provider) {
    p.required("spec.provider.secretRef", provider.secretRef());
  }

  /**
   * A type Flagger knows but this controller has no provider for is refused like an unknown one.
   */
  private static void type(Problems p, String type) {
    p.oneOf("spec.provider.type", type, TYPES, "metric provider");
    if (MetricProviderType.parse(type).filter(t -> !t.implemented()).isPresent()) {
      p.add(
          "spec.provider.type",
          "metrics provider '"
              + type
              + "' is not implemented by this controller yet, expected one of "
              + String.join(", ", MetricProviderType.IMPLEMENTED_VALUES));
    }
  }

  /** New Relic: the account id and the query key come from the Secret. */
  private static void newrelic(Problems p, MetricTemplateProvider provider) {
    if (MetricProviderType.NEWRELIC.value().equals(provider.type())
        && provider.secretRef() == null) {
      p.add(
          "spec.provider.secretRef",
          "required for newrelic: a Secret with the keys newrelic_account_id and"
              + " newrelic_query_key");
    }
  }

  /** Graphite: the render API's URL; the Secret (basic auth) is optional. */
  private static void graphite(Problems p, MetricTemplateProvider provider) {
    if (MetricProviderType.GRAPHITE.value().equals(provider.type()) && blank(provider.address())) {
      p.add("spec.provider.address", "required for graphite: the Graphite URL");
    }
  }

  /** Dynatrace: the environment URL and a Secret with the API token. */
  private static void dynatrace(Problems p, MetricTemplateProvider provider) {
    if (!MetricProviderType.DYNATRACE.value().equals(provider.type())) {
      return;
    }
    if (blank(provider.address())) {
      p.add(
          "spec.provider.address",
          "required for dynatrace: the environment URL, e.g. https://<environment-id>.live.dynatrace.com");
    }
    if (provider.secretRef() == null) {
      p.add(
          "spec.provider.secretRef",
          "required for dynatrace: a Secret with the key dynatrace_token");
    }
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }

  /**
   * Stackdriver reads the Google Cloud project from the key {@code project} of its Secret (the
   * credentials may come from Workload Identity, the project cannot).
   */
  private static void stackdriver(Problems p, MetricTemplateProvider provider) {
    p.required("spec.provider.secretRef", provider.secretRef());
  }

  /** Splunk: an address (https://api.REALM... or wss://stream.REALM...) and a Secret token. */
  private static void splunk(Problems p, MetricTemplateProvider provider) {
    if (p.required("spec.provider.address", provider.address())) {
      String address = provider.address();
      URI uri = null;
      try {
        uri = new URI(address);
      } catch (URISyntaxException e) {
        // reported below
      }
      String scheme = uri == null || uri.getScheme() == null ? "" : uri.getScheme().toLowerCase();
      if (!List.of("http", "https", "ws", "wss").contains(scheme) || uri.getHost() == null) {
        p.add(
            "spec.provider.address",
            "'" + address + "' is not an absolute http, https, ws or wss URL");
      }
    }
    p.required("spec.provider.secretRef", provider.secretRef());
  }
}
