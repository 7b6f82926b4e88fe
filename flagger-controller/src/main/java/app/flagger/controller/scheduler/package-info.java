/**
 * The scheduler: one job per Canary ({@code CanaryScheduler}), the informer handler, and the tick
 * itself ({@code CanaryAdvancer}) split into named steps as in Flagger's {@code scheduler.go}.
 */
package app.flagger.controller.scheduler;
