/** The local sandbox: an embedded Kubernetes API, a sandbox kubelet and the demo. */
package app.flagger.sandbox;
