/**
 * Manual gates ({@code /gate/*}, {@code /rollback/*}), keyed by kind, namespace and name ({@link
 * app.flagger.loadtester.gate.GateKey}), and where their state lives: a watched ConfigMap (durable,
 * shared by replicas) or memory (tests); both bounded in number.
 */
package app.flagger.loadtester.gate;
