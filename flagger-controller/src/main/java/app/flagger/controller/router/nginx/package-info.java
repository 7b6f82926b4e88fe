/**
 * ingress-nginx routing ({@code nginx}): {@link app.flagger.controller.router.nginx.NginxRouter}
 * keeps the canary Ingress the pure {@link app.flagger.controller.router.nginx.NginxIngressBuilder}
 * derives from {@code spec.ingressRef}.
 */
package app.flagger.controller.router.nginx;
