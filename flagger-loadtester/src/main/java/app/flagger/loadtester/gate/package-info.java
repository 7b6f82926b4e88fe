/**
 * Manual gates ({@code /gate/*}, {@code /rollback/*}) and where their state lives: a ConfigMap
 * (durable, shared by replicas) or memory (tests).
 */
package app.flagger.loadtester.gate;
