/**
 * Traefik routing ({@code traefik}): {@link app.flagger.controller.router.traefik.TraefikRouter}
 * applies the weighted TraefikService the pure {@link
 * app.flagger.controller.router.traefik.TraefikServiceBuilder} produces. See DESIGN.md.
 */
package app.flagger.controller.router.traefik;
