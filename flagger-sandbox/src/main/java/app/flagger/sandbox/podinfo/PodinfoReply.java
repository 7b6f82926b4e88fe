package app.flagger.sandbox.podinfo;

/**
 * What the demo app answers to one request.
 *
 * @param status the HTTP status
 * @param body the JSON body
 * @param delayMs how long to wait before answering
 */
public record PodinfoReply(int status, String body, long delayMs) {}
