package app.flagger.sandbox.kubelet;

import java.io.IOException;

/** Starts a pod's process. */
public interface PodLauncher {
  /**
   * Starts the pod named {@code name} from {@code template}; returns at once, the port follows when
   * the process has bound it.
   */
  PodProcess launch(PodTemplate template, String name) throws IOException;
}
