/**
 * Target controllers: the primary workload, its configs and autoscaler, readiness, scaling and
 * promotion, plus the Canary status writer.
 */
package app.flagger.controller.canary;
