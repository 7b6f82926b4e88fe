/**
 * APISIX routing ({@code apisix}): {@link app.flagger.controller.router.apisix.ApisixRouter} copies
 * the http route of the {@code routeRef} ApisixRoute that sends to the apex service into the {@code
 * <routeRef>-<apex>-canary} ApisixRoute the pure {@link
 * app.flagger.controller.router.apisix.ApisixRouteBuilder} produces, and moves its backend weights.
 * See DESIGN.md.
 */
package app.flagger.controller.router.apisix;
