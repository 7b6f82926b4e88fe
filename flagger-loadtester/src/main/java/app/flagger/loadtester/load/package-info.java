/**
 * The built-in load generator: {@code hey}/{@code wrk} command-line parsing, an NIO HTTP/1.1 engine
 * for plain HTTP, a JDK {@code HttpClient} engine for TLS and HTTP/2, HdrHistogram latency
 * (corrected for coordinated omission in the open model) and hey-style reports. No Helidon and no
 * Kubernetes here.
 */
package app.flagger.loadtester.load;
