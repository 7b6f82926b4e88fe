/** The controller's own observability: Flagger's canary metrics and its RED/USE signals. */
package app.flagger.controller.observe;
