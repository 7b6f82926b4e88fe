/**
 * The load tester service ({@code cmd/loadtester} in Flagger): {@link app.flagger.loadtester.Main}
 * wires configuration, the gate store, the task runner and the HTTP routes (tasks at {@code /},
 * gates, {@code /healthz}, metrics) behind a bearer token, required unless the operator turns
 * authentication off ({@code loadtester.auth.disabled}).
 */
package app.flagger.loadtester;
