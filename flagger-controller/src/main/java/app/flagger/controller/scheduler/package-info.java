/**
 * The scheduler: the work queue of Canary keys with its workers and per-Canary timers ({@code
 * CanaryScheduler}), Flagger's syncHandler ({@code CanarySyncHandler}), and the tick itself ({@code
 * CanaryAdvancer}) split into named steps as in Flagger's {@code scheduler.go}.
 */
package app.flagger.controller.scheduler;
