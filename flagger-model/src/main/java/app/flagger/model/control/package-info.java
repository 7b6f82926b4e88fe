/**
 * Steering a release without editing its spec: the command a user (or the kubectl plugin) puts in
 * the Canary's {@link app.flagger.model.control.ControlCommand#ANNOTATION} annotation, what the
 * controller records about it in {@code status.control}, and the decision log it keeps in {@code
 * status.decisions}. A GitOps tool reconciling the spec never touches either: the annotation is not
 * in the user's manifests and the status belongs to the controller.
 */
package app.flagger.model.control;
