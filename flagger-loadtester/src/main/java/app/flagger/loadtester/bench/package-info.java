/** Command-line entry to the built-in generator for {@code hack/bench-loadtester.sh}. */
package app.flagger.loadtester.bench;
