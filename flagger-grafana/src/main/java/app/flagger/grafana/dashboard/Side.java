package app.flagger.grafana.dashboard;

/**
 * One side of a canary deployment as the panels select it.
 *
 * @param name {@code Primary} or {@code Canary}, used in panel titles
 * @param traffic label matchers selecting this side's request series, without braces
 * @param pods label matchers selecting this side's pods in cAdvisor series, without braces
 */
record Side(String name, String traffic, String pods) {}
