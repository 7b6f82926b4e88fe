/** Alerts to chat systems: one notifier per AlertProvider type. */
package app.flagger.controller.notifier;
