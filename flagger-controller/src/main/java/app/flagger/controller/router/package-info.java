/**
 * Traffic routing: the Kubernetes services every provider uses and one mesh router per provider.
 */
package app.flagger.controller.router;
