/**
 * Built-in stand-ins for the tools Flagger's acceptance tests pipe together: {@code curl}, {@code
 * grep} and a subset of {@code jq}. {@link app.flagger.loadtester.curl.NativePipeline} parses a
 * command line such as {@code curl -sd 'test' http://podinfo-canary:9898/token | grep token}
 * without a shell and runs it in process, with curl's and grep's exit codes and messages. Anything
 * it cannot run exactly is refused with {@link app.flagger.loadtester.curl.UnsupportedCommand}
 * naming the part. No Helidon and no Kubernetes here.
 */
package app.flagger.loadtester.curl;
