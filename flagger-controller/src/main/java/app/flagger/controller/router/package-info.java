/**
 * Traffic routing: the Kubernetes services every provider uses (none for a Service target) and one
 * mesh router per provider.
 */
package app.flagger.controller.router;
