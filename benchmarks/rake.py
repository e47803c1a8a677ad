"""Raking benchmark (run in its own process so its peak memory is its own):

    python -m benchmarks.rake [--n 1000000] [--out FILE]

Rakes ``n`` generated respondents on 4 margins with 5, 4, 3 and 19 categories with
``analyses.weighting.rake``, then the same with weightipy (when installed: `make bench` installs it) and
R's ``survey::rake`` (when Rscript and the survey package are installed), and compares the weights.
"""

import argparse
import json
import resource
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from analyses.weighting import rake

SIZES = {"region": 5, "age": 4, "education": 3, "district": 19}
POPULATION = 2_000_000


def generate(n: int, seed: int = 2018) -> tuple[pd.DataFrame, dict]:
    rng = np.random.default_rng(seed)
    frame, margins = {}, {}
    for variable, k in SIZES.items():
        sample = rng.dirichlet(np.full(k, 2.0))  # the sample's skew...
        population = rng.dirichlet(np.full(k, 5.0))  # ...differs from the population's
        labels = [f"{variable[:3]}{i:02d}" for i in range(k)]
        frame[variable] = pd.Categorical.from_codes(rng.choice(k, size=n, p=sample), categories=labels).astype(str)
        margins[variable] = {label: float(share * POPULATION) for label, share in zip(labels, population)}
    return pd.DataFrame(frame), margins


def peak_rss_mib() -> float:
    """This process's peak resident memory. VmHWM, not ru_maxrss: Linux carries ru_maxrss over from the
    parent across exec, so a child started by a large process would report the parent's peak."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def write_r_inputs(frame: pd.DataFrame, margins: dict, folder: Path) -> None:
    """The respondents as ``data.csv`` and each margin as ``margin_<variable>.csv`` (variable, Freq): what the R
    scripts of the raking benchmarks read."""
    frame.to_csv(folder / "data.csv", index=False)
    for variable, categories in margins.items():
        pd.DataFrame({variable: list(categories), "Freq": list(categories.values())}).to_csv(
            folder / f"margin_{variable}.csv", index=False)


def run_r(frame: pd.DataFrame, margins: dict, folder: Path) -> dict | None:
    if shutil.which("Rscript") is None:
        return {"skipped": "Rscript not installed (apt-get install r-cran-survey)"}
    write_r_inputs(frame, margins, folder)
    script = folder / "rake.R"
    variables = list(margins)
    script.write_text(f"""
suppressMessages(library(survey))
d <- read.csv("{folder / 'data.csv'}", stringsAsFactors = FALSE)
pops <- lapply(c({", ".join(f'"{v}"' for v in variables)}), function(v) read.csv(file.path("{folder}", paste0("margin_", v, ".csv")), stringsAsFactors = FALSE))
des <- svydesign(ids = ~1, data = d, weights = rep(1, nrow(d)))
t <- system.time(r <- rake(des, list({", ".join(f"~{v}" for v in variables)}), pops, control = list(maxit = 100, epsilon = 1e-8)))
write.csv(data.frame(w = weights(r)), "{folder / 'r_weights.csv'}", row.names = FALSE)
cat(t[["elapsed"]], "\\n")
""", encoding="utf-8")
    done = subprocess.run(["Rscript", str(script)], capture_output=True, text=True, timeout=3600)
    if done.returncode != 0:
        return {"failed": done.stderr[-500:]}
    weights = pd.read_csv(folder / "r_weights.csv")["w"].to_numpy()
    return {"seconds": float(done.stdout.split()[-1]), "weights": weights}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    frame, margins = generate(args.n)
    result: dict = {"n": args.n, "categories": list(SIZES.values())}
    seconds = []
    for _ in range(3):  # best of three, for every method alike
        start = time.perf_counter()
        ours = rake(frame, margins)
        seconds.append(time.perf_counter() - start)
    result["toegang"] = {"seconds": round(min(seconds), 3), "iterations": ours.iterations,
                         "max_margin_error": ours.max_margin_error, "peak_rss_mib": round(peak_rss_mib(), 1)}
    w = ours.weights.to_numpy()
    try:
        import weightipy
    except ImportError:
        result["weightipy"] = {"skipped": "not installed (make bench installs the bench group)"}
    else:
        shares = {v: {c: 100 * t / POPULATION for c, t in cats.items()} for v, cats in margins.items()}
        seconds = []
        for _ in range(3):
            copy = frame.copy()
            start = time.perf_counter()
            weighted = weightipy.weight_dataframe(copy, weightipy.scheme_from_dict(shares))
            seconds.append(time.perf_counter() - start)
        theirs = weighted["weights"].to_numpy()
        result["weightipy"] = {"seconds": round(min(seconds), 3), "max_relative_difference":
                               float(np.max(np.abs(theirs / theirs.mean() - w / w.mean()) / (w / w.mean())))}
    with tempfile.TemporaryDirectory() as tmp:
        r = run_r(frame, margins, Path(tmp))
    if r and "weights" in r:
        result["r_survey"] = {"seconds": r["seconds"],
                              "max_relative_difference": float(np.max(np.abs(r["weights"] / w - 1)))}
    else:
        result["r_survey"] = r
    print(json.dumps(result), flush=True)
    if args.out:
        args.out.write_text(json.dumps(result, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
