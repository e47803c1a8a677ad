"""Estimation benchmark (its own process): a calibration-aware ``survey_mean`` on ``n`` raked
respondents (4 margins), beside R's ``svymean`` on the same raked design when Rscript and the survey
package are installed: each the median of 5 estimates (ours after one call that pays the lazy imports).

    python -m benchmarks.estimates [--n 1000000]
"""

import argparse
import json
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

import numpy as np

from analyses.estimates import survey_mean
from analyses.weighting import rake
from benchmarks.rake import generate, peak_rss_mib

REPEATS = 5


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=1_000_000)
    args = parser.parse_args()
    frame, margins = generate(args.n)
    rng = np.random.default_rng(7)
    # An outcome related to one margin, so that calibration matters for its SE.
    frame["y"] = (rng.random(args.n) < np.where(frame["education"] == "edu00", 0.7, 0.4)).astype(float)
    frame["w"] = rake(frame, margins).weights
    # Like R's design object, which holds the margins' factors once rake() has built it, the frame holds
    # the margin variables as categoricals: the timing is then per estimate, as R's svymean timing is.
    frame[list(margins)] = frame[list(margins)].astype("category")
    # Per estimate: the median of REPEATS, after a first call that pays Python's lazy imports; R likewise.
    seconds = []
    for _ in range(REPEATS + 1):
        start = time.perf_counter()
        ours = survey_mean(frame, "y", weight="w", calibration=margins).iloc[0]
        seconds.append(time.perf_counter() - start)
    result = {"n": args.n, "toegang": {"seconds": round(statistics.median(seconds[1:]), 3),
                                       "first_call_seconds": round(seconds[0], 3), "estimate": ours.estimate,
                                       "se": ours.se, "peak_rss_mib": round(peak_rss_mib(), 1)}}
    if shutil.which("Rscript") is None:
        result["r_survey"] = {"skipped": "Rscript not installed (apt-get install r-cran-survey)"}
    else:
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            frame.drop(columns="w").astype({v: str for v in margins}).to_csv(folder / "data.csv", index=False)
            for variable, categories in margins.items():
                with (folder / f"margin_{variable}.csv").open("w") as handle:
                    handle.write(f"{variable},Freq\n" + "".join(f"{c},{t!r}\n" for c, t in categories.items()))
            names = list(margins)
            script = folder / "mean.R"
            script.write_text(f"""
suppressMessages(library(survey))
d <- read.csv("{folder / 'data.csv'}", stringsAsFactors = FALSE)
pops <- lapply(c({", ".join(f'"{v}"' for v in names)}), function(v) read.csv(file.path("{folder}", paste0("margin_", v, ".csv")), stringsAsFactors = FALSE))
rk <- rake(svydesign(ids = ~1, data = d, weights = rep(1, nrow(d))), list({", ".join(f"~{v}" for v in names)}), pops,
           control = list(maxit = 100, epsilon = 1e-10))
m <- svymean(~y, rk)
t <- median(sapply(1:{REPEATS}, function(i) system.time(svymean(~y, rk))[["elapsed"]]))
cat(t, coef(m), SE(m), "\\n")
""", encoding="utf-8")
            done = subprocess.run(["Rscript", str(script)], capture_output=True, text=True, timeout=7200)
            if done.returncode == 0:
                seconds, estimate, se = (float(x) for x in done.stdout.split()[-3:])
                result["r_survey"] = {"seconds": seconds, "estimate_relative_difference": abs(ours.estimate / estimate - 1),
                                      "se_relative_difference": abs(ours.se / se - 1),
                                      "speedup": round(seconds / result["toegang"]["seconds"], 1)}
            else:
                result["r_survey"] = {"failed": done.stderr[-500:]}
    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
