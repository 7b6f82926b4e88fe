/**
 * App Mesh routing: {@link app.flagger.controller.router.appmesh.AppMeshRouter} for {@code appmesh}
 * ({@code appmesh.k8s.aws/v1beta1}) and {@link
 * app.flagger.controller.router.appmesh.AppMeshV1beta2Router} for {@code appmesh:v1beta2}, applying
 * the virtual nodes, routers and services the pure builders produce.
 */
package app.flagger.controller.router.appmesh;
