/**
 * Webhook tasks ({@code pkg/loadtester} task types): {@link
 * app.flagger.loadtester.task.TaskFactory} turns a payload into a {@link
 * app.flagger.loadtester.task.Task}, {@link app.flagger.loadtester.task.CommandPolicy} guards
 * external programs, {@link app.flagger.loadtester.task.TaskRunner} deduplicates, caps and times
 * tasks out.
 */
package app.flagger.loadtester.task;
