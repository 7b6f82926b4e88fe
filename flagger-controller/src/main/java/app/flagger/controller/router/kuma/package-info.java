/**
 * Kuma routing ({@code kuma}): {@link app.flagger.controller.router.kuma.KumaRouter} applies the
 * cluster-scoped TrafficRoute the pure {@link
 * app.flagger.controller.router.kuma.TrafficRouteBuilder} produces.
 */
package app.flagger.controller.router.kuma;
