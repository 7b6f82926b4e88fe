package app.flagger.sandbox.kubelet;

import java.util.List;

/** The pods running now, for the mesh to route to and measure. */
public interface PodDirectory {
  /** Every live pod, ready or not. */
  List<PodProcess> pods();
}
