/**
 * Knative routing ({@code knative}): {@link app.flagger.controller.router.knative.KnativeRouter}
 * splits traffic on the target Knative Service between its latest revision and the primary
 * revision; {@code KnativeRoutes} reads the applied split. See DESIGN.md.
 */
package app.flagger.controller.router.knative;
