/**
 * The load tester inside the sandbox: flagger-loadtester run as a process of its own that reaches
 * services by their cluster names through the mesh.
 */
package app.flagger.sandbox.loadtester;
