/**
 * Target controllers: the primary workload, its configs and autoscaler, readiness, scaling and
 * promotion (for a Service target, the primary and canary copies of the Service), plus the Canary
 * status writer.
 */
package app.flagger.controller.canary;
