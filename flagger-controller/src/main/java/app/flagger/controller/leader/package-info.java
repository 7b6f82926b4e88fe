/**
 * Leader election: only the replica holding the Lease runs the workers, and its {@code WriteFence}
 * refuses every write of the controller's client once the Lease is lost.
 */
package app.flagger.controller.leader;
