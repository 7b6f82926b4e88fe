package app.flagger.grafana.dashboard;

import app.flagger.model.json.Jsons;
import jakarta.json.JsonObject;

/** A panel's place on Grafana's 24-column grid. */
public record GridPos(int x, int y, int w, int h) {
  public GridPos {
    if (w < 1 || x < 0 || x + w > GridLayout.COLUMNS) {
      throw new IllegalArgumentException(
          "panel does not fit the 24-column grid: x=" + x + " w=" + w);
    }
  }

  JsonObject toJson() {
    return Jsons.createObjectBuilder().add("h", h).add("w", w).add("x", x).add("y", y).build();
  }
}
