/**
 * Gateway API routing ({@code gatewayapi:v1}, {@code gatewayapi:v1beta1}): {@link
 * app.flagger.controller.router.gatewayapi.GatewayApiRouter} applies the HTTPRoute the pure {@link
 * app.flagger.controller.router.gatewayapi.HttpRouteBuilder} produces. See DESIGN.md.
 */
package app.flagger.controller.router.gatewayapi;
