package app.flagger.controller.support;

import static org.assertj.core.api.Assertions.assertThat;

import app.flagger.controller.support.RbacRecordingHttpClientFactory.ApiCall;
import java.net.URI;
import org.junit.jupiter.api.Test;

class RbacRecordingHttpClientFactoryTest {
  private static ApiCall call(String method, String uri) {
    return ApiCall.of(method, URI.create("https://127.0.0.1:6443" + uri)).orElseThrow();
  }

  @Test
  void getOfANamedObjectIsGetAndOfACollectionIsList() {
    assertThat(call("GET", "/api/v1/namespaces/test/configmaps/podinfo"))
        .isEqualTo(new ApiCall("", "configmaps", "get"));
    assertThat(call("GET", "/apis/apps/v1/namespaces/test/deployments?labelSelector=a%3Db"))
        .isEqualTo(new ApiCall("apps", "deployments", "list"));
    assertThat(call("GET", "/apis/flagger.app/v1beta1/canaries"))
        .isEqualTo(new ApiCall("flagger.app", "canaries", "list"));
  }

  @Test
  void watchQueryIsWatch() {
    assertThat(call("GET", "/api/v1/secrets?allowWatchBookmarks=true&watch=true"))
        .isEqualTo(new ApiCall("", "secrets", "watch"));
  }

  @Test
  void writeMethodsMapToTheirVerbs() {
    assertThat(call("POST", "/api/v1/namespaces/test/events"))
        .isEqualTo(new ApiCall("", "events", "create"));
    assertThat(call("PUT", "/apis/apps/v1/namespaces/test/deployments/podinfo-primary"))
        .isEqualTo(new ApiCall("apps", "deployments", "update"));
    assertThat(call("PATCH", "/apis/apps/v1/namespaces/test/deployments/podinfo"))
        .isEqualTo(new ApiCall("apps", "deployments", "patch"));
    assertThat(call("DELETE", "/apis/flagger.app/v1beta1/namespaces/test/canaries/podinfo"))
        .isEqualTo(new ApiCall("flagger.app", "canaries", "delete"));
    assertThat(call("DELETE", "/apis/flagger.app/v1beta1/namespaces/test/canaries"))
        .isEqualTo(new ApiCall("flagger.app", "canaries", "deletecollection"));
  }

  @Test
  void subresourcesAreAppendedToTheResource() {
    assertThat(call("PUT", "/apis/flagger.app/v1beta1/namespaces/test/canaries/podinfo/status"))
        .isEqualTo(new ApiCall("flagger.app", "canaries/status", "update"));
  }

  @Test
  void namespacesThemselvesAndNonResourceUrlsAreTold() {
    assertThat(call("GET", "/api/v1/namespaces/test"))
        .isEqualTo(new ApiCall("", "namespaces", "get"));
    assertThat(ApiCall.of("GET", URI.create("https://h/version"))).isEmpty();
    assertThat(ApiCall.of("GET", URI.create("https://h/apis/flagger.app/v1beta1"))).isEmpty();
  }
}
