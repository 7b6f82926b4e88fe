package app.flagger.grafana.dashboard;

import java.util.List;

/**
 * The panels the generated dashboards use: current Grafana {@code row}, {@code timeseries} and
 * {@code stat} panels (not the legacy {@code graph}/{@code singlestat} of Flagger's chart).
 */
public sealed interface Panel permits Panel.Row, Panel.TimeSeries, Panel.Stat {

  String title();

  /** A full-width section header. */
  record Row(String title) implements Panel {}

  /**
   * A time-series panel.
   *
   * @param unit Grafana unit id ({@code reqps}, {@code s}, {@code bytes}, {@code percentunit} ...)
   * @param stacked whether series are stacked (CPU and memory by pod)
   */
  record TimeSeries(
      String title, String unit, int width, int height, boolean stacked, List<Target> targets)
      implements Panel {
    public TimeSeries {
      targets = List.copyOf(targets);
    }
  }

  /**
   * A single-value panel.
   *
   * @param thresholds ascending {@code value → colour} steps above the base colour
   * @param mappings value texts, e.g. {@code 0 → Progressing}, may be empty
   * @param textMode Grafana's text mode: {@code auto}, or {@code name} to show the legend only
   */
  record Stat(
      String title,
      String unit,
      int width,
      int height,
      List<Target> targets,
      List<Threshold> thresholds,
      List<ValueText> mappings,
      String textMode)
      implements Panel {
    public Stat {
      targets = List.copyOf(targets);
      thresholds = List.copyOf(thresholds);
      mappings = List.copyOf(mappings);
    }
  }

  /** A colour step of a stat panel. */
  record Threshold(double value, String color) {}

  /** A value mapping of a stat panel: the number shown as text in a colour. */
  record ValueText(int value, String text, String color) {}

  static Row row(String title) {
    return new Row(title);
  }

  static TimeSeries timeseries(String title, String unit, int width, Target... targets) {
    return new TimeSeries(title, unit, width, 8, false, List.of(targets));
  }

  static TimeSeries stacked(String title, String unit, int width, Target... targets) {
    return new TimeSeries(title, unit, width, 8, true, List.of(targets));
  }

  static Stat stat(String title, String unit, Target target) {
    return new Stat(title, unit, 6, 4, List.of(target), List.of(), List.of(), "auto");
  }

  /** A stat showing only the series name, e.g. a version from an info metric's labels. */
  static Stat label(String title, Target target) {
    return new Stat(title, "none", 6, 4, List.of(target), List.of(), List.of(), "name");
  }

  /** A success-rate stat: red below 95 %, orange below 99 %, green above (Flagger's thresholds). */
  static Stat successRate(String title, Target target) {
    return new Stat(
        title,
        "percentunit",
        6,
        4,
        List.of(target),
        List.of(new Threshold(0.95, "orange"), new Threshold(0.99, "green")),
        List.of(),
        "auto");
  }
}
