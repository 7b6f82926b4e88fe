/** Cluster names inside the sandbox: a JDK name resolver that maps service names to the mesh. */
package app.flagger.sandbox.names;
