package app.flagger.sandbox.mesh;

/** The labels of one series of the mesh's telemetry. */
interface Series {
  /** The labels in Prometheus text format, without braces. */
  String labels();
}
