#!/usr/bin/env python3
"""Reference values for the statistical judge's tests (JudgeReferenceTest).

Writes reference.json beside this script: fixed samples (numpy, seeded) and what SciPy and R
compute for them. CI does not run this script; the JSON is committed. To regenerate (Debian:
python3-scipy, r-base-core):

    python3 flagger-controller/src/test/resources/judge/reference.py

What each value is and how the Java side must match it:
- mannWhitney.u / .p: scipy.stats.mannwhitneyu(canary, baseline, alternative='two-sided',
  method='asymptotic', use_continuity=False). Commons Math 3.6.1's MannWhitneyUTest uses the same
  normal approximation without continuity correction but WITHOUT the tie correction of the
  variance: equal only for samples without ties. For tied samples pTiesCorrected is SciPy's value
  with the tie correction (smaller), and the Java test checks that Commons Math's p is at least it.
- hodgesLehmann: R's wilcox.test(canary, baseline, conf.int=TRUE, exact=FALSE, correct=TRUE,
  conf.level=confidence): estimate and interval of the location shift canary - baseline, found by
  uniroot to tol 1e-4 (so agreement is to about 1e-4 in the data's units). rWilcoxP is that
  call's p-value (continuity and tie corrected), for information.
- medianOfDifferences: numpy median of all pairwise differences canary[i] - baseline[j], the
  Hodges-Lehmann estimate's textbook form, for information.
- brownForsythe: scipy.stats.levene(canary, baseline, center='median'), statistic and p.
- fisher: scipy.stats.fisher_exact([[ce, ct - ce], [be, bt - be]], alternative=...): 'greater' is
  P(X >= ce) for the canary's event count X under equal rates, 'less' is P(X <= ce).
"""
import json
import os
import subprocess

import numpy as np
from scipy import stats

HERE = os.path.dirname(os.path.abspath(__file__))


def r_wilcox(canary, baseline, confidence):
    code = (
        "x <- c(%s); y <- c(%s); "
        "r <- wilcox.test(x, y, conf.int=TRUE, exact=FALSE, correct=TRUE, conf.level=%r); "
        "cat(sprintf('%%.17g', c(r$estimate, r$conf.int, r$p.value)), sep='\\n')"
        % (",".join(repr(v) for v in canary), ",".join(repr(v) for v in baseline), confidence)
    )
    out = subprocess.run(["Rscript", "-e", code], check=True, capture_output=True, text=True)
    est, low, high, p = (float(v) for v in out.stdout.split())
    return {"estimate": est, "low": low, "high": high}, p


def case(name, canary, baseline, confidence=0.98):
    canary = [float(v) for v in canary]
    baseline = [float(v) for v in baseline]
    mw = stats.mannwhitneyu(canary, baseline, alternative="two-sided", method="asymptotic",
                            use_continuity=False)
    ties = len(set(canary + baseline)) < len(canary) + len(baseline)
    hl, rp = r_wilcox(canary, baseline, confidence)
    bf = stats.levene(canary, baseline, center="median")
    out = {
        "name": name,
        "confidence": confidence,
        "canary": canary,
        "baseline": baseline,
        "ties": ties,
        "mannWhitney": {"u": float(mw.statistic), "p": float(mw.pvalue)},
        "hodgesLehmann": hl,
        "rWilcoxP": rp,
        "medianOfDifferences": float(np.median(np.subtract.outer(canary, baseline))),
        "brownForsythe": {"statistic": float(bf.statistic), "p": float(bf.pvalue)},
    }
    if ties:
        # SciPy's tie correction is always on: the "p" above is then the tie-corrected value too.
        out["mannWhitney"]["pTiesCorrected"] = out["mannWhitney"].pop("p")
    return out


def fisher(ce, ct, be, bt):
    table = [[ce, ct - ce], [be, bt - be]]
    return {
        "canaryEvents": ce, "canaryTotal": ct, "baselineEvents": be, "baselineTotal": bt,
        "pGreater": float(stats.fisher_exact(table, alternative="greater").pvalue),
        "pLess": float(stats.fisher_exact(table, alternative="less").pvalue),
    }


def main():
    rng = np.random.default_rng(20261206)
    r3 = lambda a: np.round(a, 3)  # noqa: E731 - three decimals keep the JSON short, no ties
    base = r3(rng.normal(100, 10, 60))
    cases = [
        case("equal", r3(rng.normal(100, 10, 60)), base),
        case("shift-up-41", r3(rng.normal(141, 10, 60)), base),
        case("shift-up-3", r3(rng.normal(103, 10, 60)), base),
        case("shift-down-30", r3(rng.normal(70, 10, 60)), base),
        case("spread-x4", r3(rng.normal(100, 40, 60)), base),
        case("unequal-sizes", r3(rng.normal(110, 10, 30)), r3(rng.normal(100, 10, 45))),
        case("lognormal-latency", r3(rng.lognormal(np.log(120), 0.3, 40)),
             r3(rng.lognormal(np.log(100), 0.3, 40))),
        case("ties", np.round(rng.normal(50, 5, 40)), np.round(rng.normal(53, 5, 40))),
        # kayenta-mannwhitney MannWhitneySuite "Mann-Whitney Confidence Interval & Estimate"
        case("kayenta-small", [10, 20, 30, 40], [1, 2, 3, 4], confidence=0.95),
    ]
    fishers = [fisher(5, 50, 0, 50), fisher(10, 200, 0, 200), fisher(4, 600, 0, 5400),
               fisher(12, 1000, 10, 1000), fisher(990, 1000, 999, 1000), fisher(0, 40, 3, 40)]
    with open(os.path.join(HERE, "reference.json"), "w") as f:
        json.dump({"generator": "reference.py (SciPy %s, R wilcox.test)" % __import__("scipy").__version__,
                   "cases": cases, "fisher": fishers}, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
