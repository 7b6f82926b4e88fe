/** Leader election: only the replica holding the Lease runs canary jobs. */
package app.flagger.controller.leader;
