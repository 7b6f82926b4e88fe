/**
 * Kubernetes helpers shared by the target controllers, the routers and the tick: the informer
 * caches a tick reads from, retry on conflict, owner references, error texts and Secret data.
 */
package app.flagger.controller.kube;
