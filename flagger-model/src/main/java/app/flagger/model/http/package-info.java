/** HTTP helpers without a client: reading response bodies up to a limit. */
package app.flagger.model.http;
