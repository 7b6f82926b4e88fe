/** How the controller talks to the Kubernetes API: client-side rate limiting, as client-go's. */
package app.flagger.controller.client;
