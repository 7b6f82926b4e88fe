package app.flagger.sandbox.mesh;

/** A request the mesh cannot route, with the status Envoy would answer. */
public final class MeshException extends Exception {
  private final int status;

  public MeshException(int status, String message) {
    super(message);
    this.status = status;
  }

  public int status() {
    return status;
  }
}
