/** Canary events: Kubernetes Events, JSON logs and the event webhook. */
package app.flagger.controller.events;
