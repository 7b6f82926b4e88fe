/**
 * client-go's rate-limited work queue ({@code k8s.io/client-go/util/workqueue}): a queue that never
 * hands one item to two workers at once, delayed adds, and per-item exponential backoff combined
 * with an overall token bucket. Time comes from an injected clock and delays from a {@link
 * app.flagger.controller.workqueue.Delays} seam, so tests drive it by hand.
 */
package app.flagger.controller.workqueue;
