/**
 * Gloo Edge routing ({@code gloo*}): {@link app.flagger.controller.router.gloo.GlooRouter} applies
 * the Upstreams of the pure {@link app.flagger.controller.router.gloo.GlooUpstreamBuilder} and the
 * RouteTable of the pure {@link app.flagger.controller.router.gloo.RouteTableBuilder}. See
 * DESIGN.md.
 */
package app.flagger.controller.router.gloo;
