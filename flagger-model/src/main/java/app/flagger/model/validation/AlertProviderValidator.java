package app.flagger.model.validation;

import app.flagger.model.alert.AlertProvider;
import app.flagger.model.alert.AlertProviderSpec;
import app.flagger.model.alert.AlertProviderType;
import app.flagger.model.common.StringEnum;
import java.util.List;

/** Checks an AlertProvider and reports every problem at once. */
public final class AlertProviderValidator {
  private static final List<String> TYPES = StringEnum.values(AlertProviderType.class);

  /** The problems of {@code provider}; empty when it is valid. */
  public List<ValidationError> validate(AlertProvider provider) {
    Problems p = new Problems();
    AlertProviderSpec spec = provider.getSpec();
    if (!p.required("spec", spec)) {
      return p.list();
    }
    if (p.required("spec.type", spec.type())) {
      p.oneOf("spec.type", spec.type(), TYPES, "alert provider type");
    }
    boolean hasAddress = spec.address() != null && !spec.address().isBlank();
    if (hasAddress == (spec.secretRef() != null)) {
      p.add("spec", "set exactly one of address or secretRef");
    }
    p.httpUrl("spec.address", spec.address());
    p.httpUrl("spec.proxy", spec.proxy());
    if (spec.secretRef() != null) {
      p.required("spec.secretRef.name", spec.secretRef().name());
    }
    if (spec.channel() != null && spec.channel().isBlank()) {
      p.add("spec.channel", "must not be blank");
    }
    if (spec.username() != null && spec.username().isBlank()) {
      p.add("spec.username", "must not be blank");
    }
    return p.list();
  }
}
