package app.flagger.grafana.dashboard;

/**
 * A dashboard template variable filled from Prometheus labels: Grafana's {@code
 * label_values(selector, label)}.
 *
 * @param name the name panels use as {@code $name}
 * @param label the label shown in Grafana
 * @param selector the series selector whose label values are offered
 * @param labelName the label whose values are offered
 * @param multi whether several values (and "All") may be picked
 * @param regex Grafana's capture regex applied to the values ({@code /(.+)-primary/}), or empty
 */
public record Variable(
    String name, String label, String selector, String labelName, boolean multi, String regex) {
  /** The variable query in Grafana's Prometheus variable syntax. */
  public String query() {
    return "label_values(" + selector + ", " + labelName + ")";
  }

  static Variable single(String name, String label, String selector, String labelName) {
    return new Variable(name, label, selector, labelName, false, "");
  }

  static Variable multi(String name, String label, String selector, String labelName) {
    return new Variable(name, label, selector, labelName, true, "");
  }

  /** The same variable with a capture regex. */
  Variable capturing(String captureRegex) {
    return new Variable(name, label, selector, labelName, multi, captureRegex);
  }
}
