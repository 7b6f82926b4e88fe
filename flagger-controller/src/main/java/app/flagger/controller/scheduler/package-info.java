/**
 * The loop around the tick: the work queue of Canary keys with its workers and per-Canary timers
 * ({@code CanaryScheduler}), Flagger's syncHandler ({@code CanarySyncHandler}), finalizers, the
 * validation gate, and {@code CanaryAdvancer}, which reads a Canary and runs its tick (package
 * {@code tick}).
 */
package app.flagger.controller.scheduler;
