/** A real Prometheus (Debian's {@code prometheus} binary) run as a child process of the sandbox. */
package app.flagger.sandbox.prometheus;
