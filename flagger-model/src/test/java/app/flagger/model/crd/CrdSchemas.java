package app.flagger.model.crd;

import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;

/** The openAPIV3Schema of each kind, read from the CRD files in {@code k8s/crds/}. */
public final class CrdSchemas {
  private CrdSchemas() {}

  public static JSONSchemaProps forKind(String kind) {
    return switch (kind) {
      case "Canary" -> CrdSchemaTest.CrdFiles.schema("canaries");
      case "MetricTemplate" -> CrdSchemaTest.CrdFiles.schema("metrictemplates");
      case "AlertProvider" -> CrdSchemaTest.CrdFiles.schema("alertproviders");
      default -> throw new IllegalArgumentException("no CRD for kind " + kind);
    };
  }
}
