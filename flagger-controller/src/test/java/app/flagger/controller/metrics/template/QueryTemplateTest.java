package app.flagger.controller.metrics.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

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
  void rendersTheBaselineAndTheBaselinesViewWithTargetAsTheBaseline() throws Exception {
    String q = "{{ target }} vs {{ baseline }}";
    assertThat(render(q)).isEqualTo("podinfo vs podinfo-primary");
    assertThat(QueryTemplate.render(q, MODEL.forBaseline()))
        .isEqualTo("podinfo-primary vs podinfo-primary");
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

  /** The injection of issue 12: a variable that closes the label matcher fails the render. */
  @Test
  void variableThatBreaksOutOfTheQueryFailsTheRender() {
    MetricTemplateModel model =
        withVariables(Map.of("reporter", "destination", "app", "x\"} or vector(100) #"));
    assertThatThrownBy(() -> QueryTemplate.render("sum(x{app=\"{{ variables.app }}\"}) < 1", model))
        .isInstanceOf(TemplateException.class)
        .hasMessage(
            "template excution failed: template: query:1: executing \"query\" at"
                + " <variables.app>: variables.app 'x\"} or vector(100) #' is not a plain label"
                + " value: expected letters, digits and . _ - / : only");
  }

  /** Every variable is checked as soon as {@code variables} is read, used or not. */
  @Test
  void unsafeVariableFailsEvenWhenTheTemplateReadsAnotherKey() {
    MetricTemplateModel model = withVariables(Map.of("reporter", "destination", "app", "a b"));
    assertThatThrownBy(() -> QueryTemplate.render("{{ variables.reporter }}", model))
        .hasMessageContaining("variables.app 'a b' is not a plain label value");
    assertThatThrownBy(() -> QueryTemplate.render("{{ $v := variables }}{{ $v.reporter }}", model))
        .hasMessageContaining("variables.app 'a b' is not a plain label value");
  }

  /** Names and the interval are Kubernetes names and durations, but they are checked too. */
  @ParameterizedTest
  @ValueSource(strings = {"name", "namespace", "target", "service", "ingress", "route", "interval"})
  void everyCanaryValueIsCheckedWhenRendered(String function) {
    MetricTemplateModel model = withField(function, "1m]) or vector(1)");
    assertThatThrownBy(() -> QueryTemplate.render("x[{{ " + function + " }}]", model))
        .isInstanceOf(TemplateException.class)
        .hasMessage(
            "template excution failed: template: query:1: executing \"query\" at <"
                + function
                + ">: "
                + function
                + " '1m]) or vector(1)' is not a plain label value: expected letters, digits and"
                + " . _ - / : only");
  }

  /** Values users put in templateVariables render as they are. */
  @Test
  void plainVariablesRenderUnchanged() throws Exception {
    MetricTemplateModel model =
        withVariables(
            Map.of(
                "direction", "inbound",
                "quantile", "0.99",
                "tag", "env:prod",
                "path", "/api/v1",
                "window", "5m",
                "empty", ""));
    assertThat(
            QueryTemplate.render(
                "{{ variables.direction }} {{ variables.quantile }} {{ variables.tag }}"
                    + " {{ variables.path }} {{ variables.window }} [{{ variables.empty }}]",
                model))
        .isEqualTo("inbound 0.99 env:prod /api/v1 5m []");
  }

  /** {@link #MODEL} with the value of one function replaced. */
  private static MetricTemplateModel withField(String function, String value) {
    return new MetricTemplateModel(
        function.equals("name") ? value : MODEL.name(),
        function.equals("namespace") ? value : MODEL.namespace(),
        function.equals("target") ? value : MODEL.target(),
        function.equals("service") ? value : MODEL.service(),
        function.equals("ingress") ? value : MODEL.ingress(),
        function.equals("route") ? value : MODEL.route(),
        function.equals("interval") ? value : MODEL.interval(),
        MODEL.variables());
  }

  private static MetricTemplateModel withVariables(Map<String, String> variables) {
    return new MetricTemplateModel(
        MODEL.name(),
        MODEL.namespace(),
        MODEL.target(),
        MODEL.service(),
        MODEL.ingress(),
        MODEL.route(),
        MODEL.interval(),
        variables);
  }
}
