package app.flagger.loadtester.gate;

import app.flagger.loadtester.task.TaskLog;
import app.flagger.model.webhook.CanaryWebhookPayload;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * Flagger's manual gates: {@code /gate/approve} (always 200), {@code /gate/halt} (always 403),
 * {@code /gate/check|open|close} and {@code /rollback/check|open|close} over a {@link GateStore}.
 */
public final class GateService implements HttpService {
  private final GateStore store;
  private final BiFunction<ServerRequest, ServerResponse, Optional<CanaryWebhookPayload>> payloads;

  /**
   * @param payloads reads and authorizes the payload, or answers the error itself and returns empty
   */
  public GateService(
      GateStore store,
      BiFunction<ServerRequest, ServerResponse, Optional<CanaryWebhookPayload>> payloads) {
    this.store = store;
    this.payloads = payloads;
  }

  @Override
  public void routing(HttpRules rules) {
    rules
        .any("/gate/approve", (req, res) -> text(res, Status.OK_200, "OK"))
        .any("/gate/halt", (req, res) -> text(res, Status.FORBIDDEN_403, "Forbidden"))
        .any("/gate/check", (req, res) -> check(req, res, false))
        .any("/gate/open", (req, res) -> change(req, res, false, true))
        .any("/gate/close", (req, res) -> change(req, res, false, false))
        .any("/rollback/check", (req, res) -> check(req, res, true))
        .any("/rollback/open", (req, res) -> change(req, res, true, true))
        .any("/rollback/close", (req, res) -> change(req, res, true, false));
  }

  private void check(ServerRequest req, ServerResponse res, boolean rollback) {
    Optional<CanaryWebhookPayload> p = payloads.apply(req, res);
    if (p.isEmpty()) {
      return;
    }
    String canary = p.get().name() + "." + p.get().namespace();
    boolean open = store.isOpen(key(p.get(), rollback));
    TaskLog.info(
        canary,
        canary + (rollback ? " rollback check: approved " : " gate check: approved ") + open);
    if (open) {
      text(res, Status.OK_200, "Approved");
    } else {
      text(res, Status.FORBIDDEN_403, "Forbidden");
    }
  }

  private void change(ServerRequest req, ServerResponse res, boolean rollback, boolean open) {
    Optional<CanaryWebhookPayload> p = payloads.apply(req, res);
    if (p.isEmpty()) {
      return;
    }
    String key = key(p.get(), rollback);
    if (open) {
      store.open(key);
    } else {
      store.close(key);
    }
    String canary = p.get().name() + "." + p.get().namespace();
    TaskLog.info(
        canary, canary + (rollback ? " rollback " : " gate ") + (open ? "opened" : "closed"));
    res.status(Status.ACCEPTED_202).send();
  }

  private static String key(CanaryWebhookPayload p, boolean rollback) {
    return rollback
        ? GateStore.rollbackKey(p.name(), p.namespace())
        : GateStore.gateKey(p.name(), p.namespace());
  }

  private static void text(ServerResponse res, Status status, String body) {
    res.status(status).header(HeaderNames.CONTENT_TYPE, "text/plain; charset=UTF-8").send(body);
  }
}
