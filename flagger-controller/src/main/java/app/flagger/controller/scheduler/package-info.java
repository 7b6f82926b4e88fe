/**
 * The loop around the tick: the per-Canary scheduler ({@code CanaryScheduler}), the informer
 * handler ({@code CanarySyncHandler}), finalizers, the validation gate, and {@code CanaryAdvancer},
 * which reads a Canary and runs its tick (package {@code tick}).
 */
package app.flagger.controller.scheduler;
