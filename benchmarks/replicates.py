"""Replicate weights benchmark (run in its own process so its peak memory is its own):

    python -m benchmarks.replicates [--n 100000] [--replicates 200]

``analyses.weighting.replicate_weights`` on ``n`` generated respondents (benchmarks/rake.py's: 4 margins with 5,
4, 3 and 19 categories) as a stratified cluster sample (strata = region, PSUs of about 20 respondents):
``replicates`` Rao-Wu bootstrap replicates, each raked again on the 4 margins; best of 3. Beside it, when
Rscript and the survey package are installed, R's ``rake()`` of ``as.svrepdesign(type = "subbootstrap")`` on
the same design (other draws: R's generator is not numpy's, so time and memory only).
"""

import argparse
import json
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from analyses.weighting import replicate_weights
from benchmarks.rake import generate, peak_rss_mib, write_r_inputs

PSU_SIZE = 20  # respondents per PSU, on average


def design(n: int) -> tuple[pd.DataFrame, dict]:
    frame, margins = generate(n)
    # PSU labels repeat across strata: PSUs are nested in them (about n / PSU_SIZE in all).
    frame["psu"] = np.random.default_rng(n).integers(0, max(n // PSU_SIZE // len(margins["region"]), 2), n)
    return frame, margins


def run_r(frame: pd.DataFrame, margins: dict, replicates: int, folder: Path) -> dict:
    if shutil.which("Rscript") is None:
        return {"skipped": "Rscript not installed (apt-get install r-cran-survey)"}
    write_r_inputs(frame, margins, folder)
    names = list(margins)
    script = folder / "replicates.R"
    script.write_text(f"""
suppressMessages(library(survey))
d <- read.csv("{folder / 'data.csv'}", stringsAsFactors = FALSE)
files <- file.path("{folder}", paste0("margin_", c({", ".join(f'"{v}"' for v in names)}), ".csv"))
pops <- lapply(files, read.csv, stringsAsFactors = FALSE)
t <- system.time({{
  des <- svydesign(ids = ~psu, strata = ~region, data = d, weights = rep(1, nrow(d)), nest = TRUE)
  rep <- as.svrepdesign(des, type = "subbootstrap", replicates = {replicates})
  r <- rake(rep, list({", ".join(f"~{v}" for v in names)}), pops, control = list(maxit = 100, epsilon = 1e-10))
}})
hwm <- grep("^VmHWM:", readLines("/proc/self/status"), value = TRUE)
cat(t[["elapsed"]], as.numeric(gsub("[^0-9]", "", hwm)) / 1024, "\\n")
""", encoding="utf-8")
    done = subprocess.run(["Rscript", str(script)], capture_output=True, text=True, timeout=3600)
    if done.returncode != 0:
        return {"failed": done.stderr[-500:]}
    seconds, peak = (float(x) for x in done.stdout.split()[-2:])
    return {"seconds": seconds, "peak_rss_mib": round(peak, 1)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--replicates", type=int, default=200)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    frame, margins = design(args.n)
    result: dict = {"n": args.n, "replicates": args.replicates, "categories": [len(c) for c in margins.values()],
                    "strata": int(frame["region"].nunique()),
                    "psus": int(frame[["region", "psu"]].drop_duplicates().shape[0])}
    seconds, rw = [], None
    for _ in range(3):
        rw = None  # the last result goes first: one result in memory at a time
        start = time.perf_counter()
        rw = replicate_weights(frame, margins, base_weight=None, strata="region", psu="psu", method="bootstrap",
                               replicates=args.replicates, seed=2018)
        seconds.append(time.perf_counter() - start)
    result["toegang"] = {"seconds": round(min(seconds), 3), "peak_rss_mib": round(peak_rss_mib(), 1),
                         "weights_mib": round(rw.weights.to_numpy().nbytes / 2**20, 1),
                         "max_iterations": int(rw.iterations.max()), "max_margin_error": rw.max_margin_error}
    with tempfile.TemporaryDirectory() as tmp:
        result["r_survey"] = run_r(frame, margins, args.replicates, Path(tmp))
    print(json.dumps(result), flush=True)
    if args.out:
        args.out.write_text(json.dumps(result, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
