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
      p.oneOf("spec.provider.type", provider.type(), TYPES, "metric provider");
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
