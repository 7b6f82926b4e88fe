package app.flagger.loadtester.task;

import app.flagger.model.webhook.CanaryWebhookPayload;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@code POST /}: turns Flagger's webhook payload into a task. Asynchronous tasks answer 202 at
 * once; blocking ones answer when done: 200 (with the output when {@code returnCmdOutput}), 412
 * when a load check missed its criteria, 500 when a command failed, 504 on the task timeout. Bad
 * input is 400, refused commands 403, a full runner 429.
 */
public final class TaskService implements HttpService {
  private static final Logger LOG = Logger.getLogger(TaskService.class.getName());

  private final TaskFactory factory;
  private final TaskRunner runner;
  private final BiFunction<ServerRequest, ServerResponse, Optional<CanaryWebhookPayload>> payloads;

  public TaskService(
      TaskFactory factory,
      TaskRunner runner,
      BiFunction<ServerRequest, ServerResponse, Optional<CanaryWebhookPayload>> payloads) {
    this.factory = factory;
    this.runner = runner;
    this.payloads = payloads;
  }

  @Override
  public void routing(HttpRules rules) {
    rules.any("/", this::handle);
  }

  private void handle(ServerRequest req, ServerResponse res) {
    try {
      handleTask(req, res);
    } catch (RuntimeException | Error e) {
      // Errors too (an exhausted direct-memory or thread limit in the generator), so that a 500
      // always says what happened instead of Helidon's bare default answer
      LOG.log(Level.WARNING, "task request failed", e);
      if (!res.isSent()) {
        text(res, 500, "internal error: " + e);
      }
    }
  }

  private void handleTask(ServerRequest req, ServerResponse res) {
    Optional<CanaryWebhookPayload> p = payloads.apply(req, res);
    if (p.isEmpty()) {
      return;
    }
    String canary = p.get().name() + "." + p.get().namespace();
    Task task;
    try {
      task = factory.create(p.get());
    } catch (TaskRejected e) {
      TaskLog.warn(canary, "task rejected (" + e.status() + "): " + e.getMessage());
      text(res, e.status(), e.getMessage());
      return;
    }
    try {
      if (task.blocking()) {
        respond(res, task, runner.runBlocking(task));
        return;
      }
      switch (runner.submit(task)) {
        case STARTED, ALREADY_RUNNING -> res.status(Status.ACCEPTED_202).send();
        case AT_CAPACITY -> busy(res);
      }
    } catch (TaskRejected e) {
      TaskLog.warn(canary, "task refused (" + e.status() + "): " + e.getMessage());
      text(res, e.status(), e.getMessage());
    }
  }

  private void respond(ServerResponse res, Task task, TaskOutcome outcome) {
    if (outcome == null) {
      busy(res);
      return;
    }
    switch (outcome.result()) {
      case SUCCEEDED -> text(res, 200, task.returnOutput() ? outcome.output() : "");
      case CHECK_FAILED -> text(res, 412, outcome.message());
      case FAILED -> text(res, 500, outcome.message());
      case TIMED_OUT -> text(res, 504, outcome.message());
    }
  }

  private void busy(ServerResponse res) {
    text(
        res,
        429,
        "too many tasks running (loadtester.max-concurrent-tasks="
            + runner.maxConcurrent()
            + "); try again later");
  }

  /** Every answer passes through {@link Redactor}: messages quote the caller's input. */
  private static void text(ServerResponse res, int status, String body) {
    res.status(Status.create(status))
        .header(HeaderNames.CONTENT_TYPE, "text/plain; charset=UTF-8")
        .send(Redactor.redact(body));
  }
}
