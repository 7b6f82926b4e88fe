package app.flagger.loadtester;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LoadTesterConfigTest {
  private static LoadTesterConfig from(Map<String, String> override, Map<String, String> base) {
    Config c =
        Config.builder()
            .disableEnvironmentVariablesSource()
            .disableSystemPropertiesSource()
            .sources(ConfigSources.create(override), ConfigSources.create(base))
            .build();
    return LoadTesterConfig.from(c);
  }

  @Test
  void defaultsAreSecureAndFlaggerCompatible() {
    LoadTesterConfig c = LoadTesterConfig.from(Config.empty());
    assertThat(c.timeout()).isEqualTo(Duration.ofHours(1));
    assertThat(c.commandsEnabled()).isFalse();
    assertThat(c.bashEnabled()).isFalse();
    assertThat(c.allowedCommands()).isEmpty();
    assertThat(c.namespaceRegexp()).isEmpty();
    assertThat(c.authToken()).isEmpty();
    assertThat(c.bodyFileDir()).isEmpty();
    assertThat(c.gateStore()).isEqualTo("configmap");
    assertThat(c.gateConfigMap()).isEqualTo("flagger-loadtester-gates");
    assertThat(c.ngrinderServers()).isEmpty();
    assertThat(c.concordServers()).isEmpty();
    assertThat(c.limits()).isEqualTo(app.flagger.loadtester.load.LoadLimits.DEFAULT);
    assertThat(c.allowedHosts()).isEmpty();
    assertThat(c.virtualHosts()).isEmpty();
    assertThat(c.kubectlVerbs()).isEmpty();
    assertThat(c.concordApiKeyDir()).isEmpty();
  }

  @Test
  void theShippedApplicationYamlSpellsOutTheDefaults() {
    Config yaml =
        Config.builder()
            .disableEnvironmentVariablesSource()
            .disableSystemPropertiesSource()
            .sources(ConfigSources.classpath("application.yaml"))
            .build();
    LoadTesterConfig c = LoadTesterConfig.from(yaml.get("loadtester"));
    assertThat(c.limits()).isEqualTo(app.flagger.loadtester.load.LoadLimits.DEFAULT);
    assertThat(c.allowedHosts()).isEmpty();
    assertThat(c.virtualHosts()).isEmpty();
    assertThat(c.kubectlVerbs()).isEmpty();
    assertThat(c.concordApiKeyDir()).isEmpty();
    assertThat(yaml.get("server.max-payload-size").asLong().get()).isEqualTo(1L << 20);
  }

  @Test
  void limitsDestinationsAndCommandRulesAreRead() {
    LoadTesterConfig c =
        from(
            Map.of(
                "limits.max-connections", "200",
                "limits.max-rate", "500.5",
                "limits.max-duration", "30m",
                "limits.max-requests", "1000",
                "limits.connection-budget", "800",
                "destinations.allow", "*.svc.cluster.local, podinfo-canary.*",
                "destinations.virtual-hosts", "app.example.com",
                "commands.kubectl.verbs", "rollout restart",
                "concord.api-key-dir", "/etc/concord"),
            Map.of());
    assertThat(c.limits())
        .isEqualTo(
            new app.flagger.loadtester.load.LoadLimits(
                200, 500.5, Duration.ofMinutes(30), 1000, 800));
    assertThat(c.allowedHosts()).containsExactly("*.svc.cluster.local", "podinfo-canary.*");
    assertThat(c.virtualHosts()).containsExactly("app.example.com");
    assertThat(c.kubectlVerbs()).containsExactly("rollout restart");
    assertThat(c.concordApiKeyDir()).contains(java.nio.file.Path.of("/etc/concord"));
    assertThatThrownBy(() -> from(Map.of("limits.max-connections", "many"), Map.of()))
        .hasMessage("loadtester.limits.max-connections: expected a number, got 'many'");
    assertThatThrownBy(() -> from(Map.of("limits.max-duration", "forever"), Map.of()))
        .hasMessageStartingWith("loadtester.limits.max-duration:");
  }

  @Test
  void integrationServersAreHttpUrls() {
    LoadTesterConfig c =
        from(
            Map.of(
                "ngrinder.servers", "http://ngrinder.tools:8080, https://ngrinder.example/base/"),
            Map.of());
    assertThat(c.ngrinderServers())
        .extracting(Object::toString)
        .containsExactly("http://ngrinder.tools:8080/", "https://ngrinder.example/base/");
    assertThatThrownBy(() -> from(Map.of("concord.servers", "concord.tools"), Map.of()))
        .hasMessage("loadtester.concord.servers: expected http(s) URLs, got 'concord.tools'");
  }

  @Test
  void aCommaSeparatedOverrideReplacesTheYamlList() {
    LoadTesterConfig c =
        from(
            Map.of("commands.allow", "curl, helm", "timeout", "90s", "commands.enabled", "true"),
            Map.of("commands.allow.0", "kubectl"));
    assertThat(c.allowedCommands()).isEqualTo(Set.of("curl", "helm"));
    assertThat(c.timeout()).isEqualTo(Duration.ofSeconds(90));
    assertThat(c.commandsEnabled()).isTrue();
    assertThat(from(Map.of(), Map.of("commands.allow.0", "kubectl")).allowedCommands())
        .containsExactly("kubectl");
  }

  @Test
  void badValuesNameTheirKey() {
    assertThatThrownBy(() -> from(Map.of("timeout", "forever"), Map.of()))
        .hasMessageStartingWith("loadtester.timeout:");
    assertThatThrownBy(() -> from(Map.of("namespace-regexp", "(["), Map.of()))
        .hasMessageStartingWith("loadtester.namespace-regexp:");
    assertThatThrownBy(() -> from(Map.of("gates.store", "redis"), Map.of()))
        .hasMessageStartingWith("loadtester.gates.store:");
    assertThatThrownBy(() -> from(Map.of("auth.token-file", "/nonexistent/token"), Map.of()))
        .hasMessageStartingWith("loadtester.auth.token-file: cannot read /nonexistent/token")
        .hasMessageContaining("loadtester.auth.disabled to true");
    assertThatThrownBy(() -> from(Map.of("auth.token", "two words"), Map.of()))
        .hasMessage(
            "loadtester.auth.token: expected a non-empty token of visible ASCII characters");
    assertThatThrownBy(() -> from(Map.of("gates.max", "0"), Map.of()))
        .hasMessage("loadtester.gates.max: must be at least 1");
  }

  @Test
  void withoutATokenAuthenticationIsRequiredUnlessDisabled() {
    LoadTesterConfig none = LoadTesterConfig.from(Config.empty());
    assertThat(none.authDisabled()).isFalse();
    assertThatThrownBy(none::requireAuthentication)
        .hasMessageStartingWith("no bearer token configured for the load tester, refusing to start")
        .hasMessageContaining("loadtester.auth.token-file")
        .hasMessageContaining("loadtester.auth.disabled to true");

    LoadTesterConfig token = from(Map.of("auth.token", "t0ken"), Map.of());
    assertThat(token.authToken()).contains("t0ken");
    token.requireAuthentication();

    // disabled wins over a configured token, and a missing token file is then not read at all
    LoadTesterConfig disabled =
        from(Map.of("auth.disabled", "true", "auth.token-file", "/nonexistent/token"), Map.of());
    assertThat(disabled.authDisabled()).isTrue();
    assertThat(disabled.authToken()).isEmpty();
    disabled.requireAuthentication();
  }

  @Test
  void gateStoreHoldsTenThousandGatesByDefault() {
    assertThat(LoadTesterConfig.from(Config.empty()).maxGates()).isEqualTo(10_000);
    assertThat(from(Map.of("gates.max", "50"), Map.of()).maxGates()).isEqualTo(50);
  }
}
