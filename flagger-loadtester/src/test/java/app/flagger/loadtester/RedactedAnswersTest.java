package app.flagger.loadtester;

import static org.assertj.core.api.Assertions.assertThat;

import app.flagger.loadtester.support.TestServer;
import app.flagger.loadtester.support.TestServer.Reply;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Answers to the caller (returnCmdOutput, error messages) carry no credentials. */
class RedactedAnswersTest {
  private static final String SECRET = "s3cr3tValue";
  private static TestServer server;

  @BeforeAll
  static void start() {
    server =
        TestServer.start(
            TestServer.config(Map.of("commands.enabled", "true", "commands.allow", "echo")));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static Reply task(String metadata) {
    return server.post(
        "/", "{\"name\":\"podinfo\",\"namespace\":\"test\",\"metadata\":" + metadata + "}");
  }

  @Test
  void returnedCommandOutputIsRedacted() {
    Reply r =
        task(
            "{\"cmd\":\"echo 'Authorization: Bearer "
                + SECRET
                + "' http://admin:"
                + SECRET
                + "@podinfo/\",\"blocking\":\"true\",\"returnCmdOutput\":\"true\"}");
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    // an output line naming a credential header is masked to its end
    assertThat(r.body()).isEqualTo("Authorization: ***\n");
  }

  @Test
  void errorMessagesQuotingTheCommandAreRedacted() {
    Reply r =
        task(
            "{\"cmd\":\"hey -n 1 -c 1 -H 'X-Api-Key: "
                + SECRET
                + "' http://admin:"
                + SECRET
                + "@podinfo/ http://other/?token="
                + SECRET
                + "\"}");
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.body())
        .doesNotContain(SECRET)
        .isEqualTo(
            "hey: expected exactly one URL after the options, got [http://***@podinfo/,"
                + " http://other/?token=***]");
  }
}
