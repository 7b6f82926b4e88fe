package app.flagger.loadtester.task;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** The multipart form that starts a Concord process, with the fields Flagger sends. */
final class ConcordForm {
  private ConcordForm() {}

  static byte[] render(ConcordTask t, String boundary) {
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("org", t.org());
    fields.put("project", t.project());
    fields.put("repo", t.repo());
    fields.put("entryPoint", t.entrypoint());
    fields.put("arguments.endpoint", t.endpoint());
    t.arguments().forEach((k, v) -> fields.put("arguments." + k, v));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    fields.forEach(
        (name, value) ->
            out.writeBytes(
                ("--"
                        + boundary
                        + "\r\nContent-Disposition: form-data; name=\""
                        + name.replace("\"", "%22").replace("\r", "").replace("\n", "")
                        + "\"\r\n\r\n"
                        + value
                        + "\r\n")
                    .getBytes(StandardCharsets.UTF_8)));
    out.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
    return out.toByteArray();
  }
}
