/**
 * Istio routing: {@link app.flagger.controller.router.istio.IstioRouter} applies what the pure
 * {@link app.flagger.controller.router.istio.IstioVirtualServiceBuilder} and {@link
 * app.flagger.controller.router.istio.IstioDestinationRuleBuilder} produce. See DESIGN.md.
 */
package app.flagger.controller.router.istio;
