package app.flagger.controller.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class QueryTemplateTest {
  private static final MetricTemplateModel MODEL =
      new MetricTemplateModel(
          "podinfo",
          "test",
          "podinfo",
          "podinfo-svc",
          "podinfo-ing",
          "podinfo-route",
          "1m",
          Map.of("reporter", "source", "quantile", "0.99"));

  private static String render(String template) throws TemplateException {
    return QueryTemplate.render(template, MODEL);
  }

  @Test
  void rendersTheFunctions() throws Exception {
    assertThat(
            render(
                "{{ name }} {{ namespace }} {{ target }} {{ service }} {{ ingress }} {{ route }}"
                    + " {{ interval }}"))
        .isEqualTo("podinfo test podinfo podinfo-svc podinfo-ing podinfo-route 1m");
  }

  @Test
  void rendersVariables() throws Exception {
    assertThat(render("rate(x{reporter=\"{{ variables.reporter }}\"}[{{interval}}])"))
        .isEqualTo("rate(x{reporter=\"source\"}[1m])");
  }

  @Test
  void supportsPrintfVariablesPipesCommentsAndTrimming() throws Exception {
    String template =
        """
        {{- $route := printf "kube_%s__%s" namespace service -}}
        {{- /* a comment */ -}}
        route=~"{{ $route }}" {{ namespace | printf "%s-x" }} {{ printf "%d%%" 5 }}""";
    assertThat(render(template)).isEqualTo("route=~\"kube_test__podinfo-svc\" test-x 5%");
  }

  @Test
  void unknownFunctionIsAParseErrorNamingIt() {
    assertThatThrownBy(() -> render("sum({{ namespac }})"))
        .isInstanceOf(TemplateException.class)
        .hasMessage(
            "template parsing failed: template: query:1: function \"namespac\" not defined");
  }

  @Test
  void missingVariableKeyIsAnExecutionErrorNamingIt() {
    assertThatThrownBy(() -> render("x\n{{ variables.missing }}"))
        .hasMessage(
            "template excution failed: template: query:2: executing \"query\" at"
                + " <variables.missing>: map has no entry for key \"missing\"");
  }

  @Test
  void dottedDataFormIsAClearError() {
    assertThatThrownBy(() -> render("{{ .Namespace }}"))
        .isInstanceOf(TemplateException.class)
        .hasMessageStartingWith("template excution failed:")
        .hasMessageContaining("no entry for key \"Namespace\"")
        .hasMessageContaining("{{ namespace }}");
  }

  @Test
  void undefinedTemplateVariableIsAParseError() {
    assertThatThrownBy(() -> render("{{ $route }}"))
        .hasMessage("template parsing failed: template: query:1: undefined variable \"$route\"");
  }

  @Test
  void unclosedActionIsAParseError() {
    assertThatThrownBy(() -> render("sum({{ namespace )"))
        .hasMessage("template parsing failed: template: query:1: unclosed action");
  }

  @Test
  void argumentsToValueFunctionsAreErrors() {
    assertThatThrownBy(() -> render("{{ namespace \"x\" }}"))
        .hasMessageContaining("wrong number of args for namespace: want 0 got 1");
  }
}
