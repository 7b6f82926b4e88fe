/**
 * One tick of a Canary (Flagger's {@code advanceCanary}) as an ordered list of named steps ({@code
 * CanaryTick}), each answering with a sealed {@code Decision}, and {@code Transitions}, the one
 * owner of the status writes, gauges, events and alerts those decisions cause. See the scheduler's
 * DESIGN.md.
 */
package app.flagger.controller.tick;
