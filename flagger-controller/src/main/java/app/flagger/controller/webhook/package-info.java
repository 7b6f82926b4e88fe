/** Webhooks: the HTTP client, retries and the Canary payload. */
package app.flagger.controller.webhook;
