package app.flagger.loadtester.load;

/** Runs one {@link LoadSpec} until its {@link RunBudget} is spent. */
interface LoadEngine {
  /** Per-thread statistics of the run; the caller merges them. */
  LoadStats run(LoadSpec spec, RunBudget budget, long startNanos);
}
