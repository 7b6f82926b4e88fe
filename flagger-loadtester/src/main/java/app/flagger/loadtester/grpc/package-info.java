/**
 * gRPC tools of Flagger's load tester image, run natively on grpc-java: {@code ghz} (load, {@link
 * app.flagger.loadtester.grpc.GhzCommand}, {@link app.flagger.loadtester.grpc.GhzRunner}, reported
 * like ghz by {@link app.flagger.loadtester.grpc.GhzReport}) and {@code grpc_health_probe} ({@link
 * app.flagger.loadtester.grpc.HealthProbe}). Knows nothing of Helidon, Kubernetes or tasks.
 */
package app.flagger.loadtester.grpc;
