/**
 * The statistical judge: compares a canary's metric samples with a baseline's, Kayenta's
 * NetflixACAJudge semantics plus a spread test and an exact test for counts. Pure: no I/O, no
 * clock, no Kubernetes; {@link app.flagger.controller.judge.Judge} is the entry point.
 */
package app.flagger.controller.judge;
