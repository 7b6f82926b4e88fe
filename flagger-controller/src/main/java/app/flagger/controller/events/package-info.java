/**
 * Canary events: Kubernetes Events (correlated as client-go's event recorder does), JSON logs and
 * the event webhook.
 */
package app.flagger.controller.events;
