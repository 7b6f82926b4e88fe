/**
 * Skipper ingress routing ({@code skipper}): {@link
 * app.flagger.controller.router.skipper.SkipperRouter} applies the canary Ingress the pure {@link
 * app.flagger.controller.router.skipper.SkipperIngressBuilder} copies from {@code spec.ingressRef}.
 * See DESIGN.md.
 */
package app.flagger.controller.router.skipper;
