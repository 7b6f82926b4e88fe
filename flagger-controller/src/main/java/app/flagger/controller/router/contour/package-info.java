/**
 * Contour routing ({@code contour}): {@link app.flagger.controller.router.contour.ContourRouter}
 * applies the HTTPProxy the pure {@link app.flagger.controller.router.contour.HttpProxyBuilder}
 * produces, with the A/B header conditions of {@code HttpProxyConditions}. See DESIGN.md.
 */
package app.flagger.controller.router.contour;
