/**
 * Command-line entries for {@code hack/bench-loadtester.sh}: the built-in generator with hey's
 * flags ({@link app.flagger.loadtester.bench.LoadBench}), the built-in ghz ({@link
 * app.flagger.loadtester.bench.GhzBench}) and its gRPC health target ({@link
 * app.flagger.loadtester.bench.GrpcHealthServer}).
 */
package app.flagger.loadtester.bench;
