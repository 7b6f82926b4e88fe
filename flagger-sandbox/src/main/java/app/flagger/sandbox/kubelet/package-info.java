/**
 * The sandbox kubelet: runs every Deployment's pods as real processes of the demo app on loopback,
 * keeps Deployment status true to them, and publishes Pod objects so Services can select them.
 */
package app.flagger.sandbox.kubelet;
