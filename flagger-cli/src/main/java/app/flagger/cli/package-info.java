/**
 * The kubectl plugin {@code kubectl flagger}: lists and shows Canaries and steers their releases by
 * writing the {@link app.flagger.model.control.ControlCommand#ANNOTATION} annotation, which the
 * controller acknowledges in {@code status.control}. Rendering ({@link
 * app.flagger.cli.CanaryTable}, {@link app.flagger.cli.StatusView}) is pure: objects and a time in,
 * text out.
 */
package app.flagger.cli;
