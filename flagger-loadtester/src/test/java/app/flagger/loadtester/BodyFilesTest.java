package app.flagger.loadtester;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BodyFilesTest {
  @TempDir Path dir;

  @Test
  void refusesDashDUnlessADirectoryIsConfigured() {
    assertThatThrownBy(() -> BodyFiles.reader(Optional.empty()).apply("/etc/passwd"))
        .hasMessageContaining("loadtester.load.body-file-dir");
  }

  @Test
  void readsOnlyInsideTheDirectory() throws IOException {
    Files.writeString(dir.resolve("body.json"), "{\"a\":1}");
    var reader = BodyFiles.reader(Optional.of(dir));
    assertThat(new String(reader.apply("body.json"))).isEqualTo("{\"a\":1}");
    assertThat(new String(reader.apply(dir.resolve("body.json").toString())))
        .isEqualTo("{\"a\":1}");
    assertThatThrownBy(() -> reader.apply("../../etc/passwd")).hasMessageContaining("outside");
    assertThatThrownBy(() -> reader.apply("/etc/passwd")).hasMessageContaining("outside");
  }
}
