package app.flagger.loadtester;

import app.flagger.model.webhook.CanaryWebhookPayload;
import io.helidon.http.HeaderNames;
import io.helidon.http.RequestException;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.Optional;
import java.util.regex.Pattern;

/** Reading payloads and writing plain-text answers, shared by the task and gate services. */
final class Responses {
  private Responses() {}

  static void text(ServerResponse res, int status, String body) {
    res.status(Status.create(status))
        .header(HeaderNames.CONTENT_TYPE, "text/plain; charset=UTF-8")
        .send(body);
  }

  /**
   * Reads the payload, or answers 400 (bad JSON, missing name/namespace), 403 (namespace not
   * matching {@code namespace-regexp}) or 413 (a chunked body over {@code server.max-payload-size};
   * Helidon answers 413 itself when a {@code Content-Length} is over it) and returns empty.
   */
  static Optional<CanaryWebhookPayload> payload(
      ServerRequest req, ServerResponse res, Optional<Pattern> namespaces) {
    CanaryWebhookPayload p;
    try {
      String body;
      try {
        body = req.content().hasEntity() ? req.content().as(String.class) : "";
      } catch (RequestException e) {
        // a chunked body over server.max-payload-size fails while it is read
        if (e.status().code() != Status.REQUEST_ENTITY_TOO_LARGE_413.code()) {
          throw e;
        }
        res.header(HeaderNames.CONNECTION, "close");
        text(
            res,
            413,
            "request body too large: at most "
                + req.listenerContext().config().maxPayloadSize()
                + " bytes (server.max-payload-size)");
        return Optional.empty();
      }
      if (body.isBlank()) {
        text(res, 400, "request body is empty: expected a Flagger webhook payload");
        return Optional.empty();
      }
      p = CanaryWebhookPayload.parse(body);
    } catch (IllegalArgumentException e) {
      text(res, 400, e.getMessage());
      return Optional.empty();
    }
    if (namespaces.isPresent() && !namespaces.get().matcher(p.namespace()).matches()) {
      text(res, 403, "Forbidden");
      return Optional.empty();
    }
    return Optional.of(p);
  }
}
