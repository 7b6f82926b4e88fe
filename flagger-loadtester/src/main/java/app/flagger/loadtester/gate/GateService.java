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
 * The payload's {@code name} and {@code namespace} must be Kubernetes names (400 otherwise);
 * opening a gate in a full store answers 507 with the bound in the message.
 */
public final class GateService implements HttpService {
  /** 507: opening one more gate would take the store past its bound. */
  private static final Status INSUFFICIENT_STORAGE = Status.create(507, "Insufficient Storage");

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
        .any("/gate/check", (req, res) -> check(req, res, GateKey.Kind.GATE))
        .any("/gate/open", (req, res) -> change(req, res, GateKey.Kind.GATE, true))
        .any("/gate/close", (req, res) -> change(req, res, GateKey.Kind.GATE, false))
        .any("/rollback/check", (req, res) -> check(req, res, GateKey.Kind.ROLLBACK))
        .any("/rollback/open", (req, res) -> change(req, res, GateKey.Kind.ROLLBACK, true))
        .any("/rollback/close", (req, res) -> change(req, res, GateKey.Kind.ROLLBACK, false));
  }

  private void check(ServerRequest req, ServerResponse res, GateKey.Kind kind) {
    Optional<GateKey> key = key(req, res, kind);
    if (key.isEmpty()) {
      return;
    }
    String canary = canary(key.get());
    boolean open = store.isOpen(key.get());
    TaskLog.info(
        canary,
        canary
            + (kind == GateKey.Kind.ROLLBACK
                ? " rollback check: approved "
                : " gate check: approved ")
            + open);
    if (open) {
      text(res, Status.OK_200, "Approved");
    } else {
      text(res, Status.FORBIDDEN_403, "Forbidden");
    }
  }

  private void change(ServerRequest req, ServerResponse res, GateKey.Kind kind, boolean open) {
    Optional<GateKey> key = key(req, res, kind);
    if (key.isEmpty()) {
      return;
    }
    String canary = canary(key.get());
    if (open) {
      try {
        store.open(key.get());
      } catch (GateStoreFullException e) {
        TaskLog.warn(canary, e.getMessage());
        text(res, INSUFFICIENT_STORAGE, e.getMessage());
        return;
      }
    } else {
      store.close(key.get());
    }
    TaskLog.info(
        canary,
        canary
            + (kind == GateKey.Kind.ROLLBACK ? " rollback " : " gate ")
            + (open ? "opened" : "closed"));
    res.status(Status.ACCEPTED_202).send();
  }

  /** The payload's gate, or empty after answering 400 (or the payload reader's error). */
  private Optional<GateKey> key(ServerRequest req, ServerResponse res, GateKey.Kind kind) {
    Optional<CanaryWebhookPayload> p = payloads.apply(req, res);
    if (p.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(new GateKey(kind, p.get().namespace(), p.get().name()));
    } catch (IllegalArgumentException e) {
      text(res, Status.BAD_REQUEST_400, e.getMessage());
      return Optional.empty();
    }
  }

  /** Flagger's {@code <name>.<namespace>}, the canary as logs name it. */
  private static String canary(GateKey key) {
    return key.name() + "." + key.namespace();
  }

  private static void text(ServerResponse res, Status status, String body) {
    res.status(status).header(HeaderNames.CONTENT_TYPE, "text/plain; charset=UTF-8").send(body);
  }
}
