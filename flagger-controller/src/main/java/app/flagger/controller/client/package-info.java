/**
 * How the controller talks to the Kubernetes API (client-side rate limiting, as client-go's) and
 * bounds its requests to any one metrics or webhook server ({@link
 * app.flagger.controller.client.HostPermits}).
 */
package app.flagger.controller.client;
