package app.flagger.loadtester;

import static org.assertj.core.api.Assertions.assertThat;

import app.flagger.loadtester.support.GrpcTestServer;
import app.flagger.model.support.JarProcess;
import app.flagger.model.support.ZapJsonLog;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The shipped load tester runs ghz and grpc_health_probe (grpc-java, Netty's native transport,
 * protobuf) and still writes nothing but Flagger's JSON lines: no JVM warning about native access
 * or {@code sun.misc.Unsafe} on the first gRPC call.
 */
class GrpcJsonLogJarIT {
  @Test
  void grpcHooksAreLoggedAsFlaggersJsonLinesOnly() throws Exception {
    Path dir = JsonLogJarIT.MODULE.resolve("target/grpc-json-log-it");
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Map<String, String> env =
        Map.of(
            "SERVER_PORT",
            Integer.toString(port),
            "LOADTESTER_GATES_STORE",
            "memory",
            "LOADTESTER_AUTH_TOKEN",
            JsonLogJarIT.TOKEN);
    List<String> log;
    String ghz;
    String probe;
    try (GrpcTestServer grpc = GrpcTestServer.start();
        JarProcess tester =
            JarProcess.startShipped(JsonLogJarIT.MODULE, "flagger-loadtester", env, dir);
        HttpClient http = HttpClient.newHttpClient()) {
      tester.awaitLogged("Starting load tester", Duration.ofMinutes(2));
      ghz = "ghz --insecure -n 20 -c 2 " + grpc.address();
      probe = "grpc_health_probe -addr=" + grpc.address();
      for (Map<String, String> md :
          List.of(Map.of("cmd", ghz, "blocking", "true"), Map.of("type", "bash", "cmd", probe))) {
        HttpResponse<String> r =
            http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                    .header("Authorization", "Bearer " + JsonLogJarIT.TOKEN)
                    .POST(HttpRequest.BodyPublishers.ofString(payload(md)))
                    .timeout(Duration.ofSeconds(60))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      }
      tester.awaitLogged("command finished " + probe, Duration.ofMinutes(1));
      assertThat(tester.stop()).as("stopped on SIGTERM").isTrue();
      log = tester.log();
    }
    List<JsonObject> lines = ZapJsonLog.everyLine(log);
    assertThat(ZapJsonLog.first(lines, "load finished " + ghz).getString("msg"))
        .contains("[OK]   20 responses");
    assertThat(ZapJsonLog.first(lines, "command output " + probe).getString("msg"))
        .endsWith("status: SERVING");
  }

  private static String payload(Map<String, String> md) {
    var m = Json.createObjectBuilder();
    md.forEach(m::add);
    return Json.createObjectBuilder()
        .add("name", "podinfo")
        .add("namespace", "test")
        .add("phase", "Progressing")
        .add("metadata", m)
        .build()
        .toString();
  }
}
