package app.flagger.grafana.provision;

import app.flagger.model.json.Jsons;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonWriter;
import jakarta.json.JsonWriterFactory;
import jakarta.json.stream.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes Grafana's file provisioning for users who mount it into Grafana instead of letting the
 * service call the API:
 *
 * <pre>
 * &lt;output-dir&gt;/provisioning/datasources/flagger.yaml   (mount at /etc/grafana/provisioning/datasources)
 * &lt;output-dir&gt;/provisioning/dashboards/flagger.yaml    (mount at /etc/grafana/provisioning/dashboards)
 * &lt;output-dir&gt;/dashboards/&lt;uid&gt;.json                  (read from dashboards-path)
 * </pre>
 *
 * Files are replaced atomically and only when their content changes.
 */
public final class FileProvisioner implements ProvisioningTarget {
  static final String HEADER =
      "Written by flagger-grafana; changes here are overwritten.\n"
          + "Grafana reads this file from its provisioning directory at startup.";

  private final Path outputDir;
  private final String dashboardsPath;

  /**
   * @param outputDir the root the files are written under
   * @param dashboardsPath where Grafana sees {@code <output-dir>/dashboards}
   */
  public FileProvisioner(Path outputDir, String dashboardsPath) {
    this.outputDir = outputDir;
    this.dashboardsPath = dashboardsPath;
  }

  @Override
  public String describe() {
    return "Grafana provisioning files in " + outputDir;
  }

  @Override
  public ProvisioningReport apply(DesiredState desired) {
    Change datasource =
        write(
            outputDir.resolve("provisioning/datasources/flagger.yaml"),
            YamlWriter.write(HEADER, datasources(desired.datasource())));
    Change provider =
        write(
            outputDir.resolve("provisioning/dashboards/flagger.yaml"),
            YamlWriter.write(HEADER, providers(desired)));
    Map<String, Change> dashboards = new LinkedHashMap<>();
    for (JsonObject dashboard : desired.dashboards()) {
      String uid = dashboard.getString("uid");
      dashboards.put(
          uid, write(outputDir.resolve("dashboards/" + uid + ".json"), pretty(dashboard)));
    }
    return new ProvisioningReport("files", datasource, provider, dashboards);
  }

  static JsonObject datasources(JsonObject datasource) {
    JsonObjectBuilder ds = Jsons.createObjectBuilder();
    for (String key : new String[] {"name", "uid", "type", "access", "url", "isDefault"}) {
      ds.add(key, datasource.get(key));
    }
    ds.add("editable", false).add("jsonData", datasource.get("jsonData"));
    return Jsons.createObjectBuilder()
        .add("apiVersion", 1)
        .add("datasources", Jsons.createArrayBuilder().add(ds))
        .build();
  }

  JsonObject providers(DesiredState desired) {
    JsonObjectBuilder provider =
        Jsons.createObjectBuilder()
            .add("name", "flagger")
            .add("orgId", 1)
            .add("folder", desired.folderTitle())
            .add("folderUid", desired.folderUid())
            .add("type", "file")
            .add("disableDeletion", false)
            .add("allowUiUpdates", false)
            .add("updateIntervalSeconds", 30)
            .add(
                "options",
                Jsons.createObjectBuilder()
                    .add("path", dashboardsPath)
                    .add("foldersFromFilesStructure", false));
    return Jsons.createObjectBuilder()
        .add("apiVersion", 1)
        .add("providers", Jsons.createArrayBuilder().add(provider))
        .build();
  }

  private static String pretty(JsonObject json) {
    JsonWriterFactory factory =
        Jsons.createWriterFactory(Map.of(JsonGenerator.PRETTY_PRINTING, true));
    StringWriter out = new StringWriter();
    try (JsonWriter writer = factory.createWriter(out)) {
      writer.writeObject(json);
    }
    return out.toString().strip() + "\n";
  }

  private static Change write(Path file, String content) {
    try {
      boolean exists = Files.exists(file);
      if (exists && Files.readString(file, StandardCharsets.UTF_8).equals(content)) {
        return Change.UNCHANGED;
      }
      Files.createDirectories(file.getParent());
      Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
      Files.writeString(tmp, content, StandardCharsets.UTF_8);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return exists ? Change.UPDATED : Change.CREATED;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }
}
