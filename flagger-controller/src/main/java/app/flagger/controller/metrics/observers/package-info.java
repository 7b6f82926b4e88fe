/**
 * The builtin {@code request-success-rate} and {@code request-duration} queries of every mesh and
 * ingress, as data, and the rules that pick them for a Canary.
 */
package app.flagger.controller.metrics.observers;
