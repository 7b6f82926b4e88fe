package app.flagger.grafana.provision;

/** What provisioning did to one object. */
public enum Change {
  CREATED,
  UPDATED,
  UNCHANGED
}
