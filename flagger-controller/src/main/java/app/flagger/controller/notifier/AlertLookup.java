package app.flagger.controller.notifier;

import app.flagger.model.alert.AlertProvider;
import java.util.Map;

/** The Kubernetes reads alerts need: AlertProviders and their Secrets. */
public interface AlertLookup {
  AlertProvider alertProvider(String namespace, String name) throws LookupException;

  /** The decoded data of a Secret. */
  Map<String, String> secretData(String namespace, String name) throws LookupException;

  /** A read failed. */
  class LookupException extends Exception {
    public LookupException(String message) {
      super(message);
    }
  }
}
