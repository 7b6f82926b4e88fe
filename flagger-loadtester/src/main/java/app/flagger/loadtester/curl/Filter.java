package app.flagger.loadtester.curl;

/** A command after a pipe: reads the previous command's standard output. */
sealed interface Filter permits Grep, Jq {
  /**
   * @param stdout what it writes to standard output
   * @param stderr what it writes to standard error, empty for nothing
   */
  record Result(int exitCode, byte[] stdout, String stderr) {}

  Result apply(byte[] stdin);
}
