"""Raking benchmark (run in its own process so its peak memory is its own):

    python -m benchmarks.rake [--n 1000000 | --size 100000] [--out FILE]

Rakes ``n`` generated respondents on 4 margins with 5, 4, 3 and 19 categories with
``analyses.weighting.rake``, then the same with weightipy (when installed: `make bench` installs it) and
R's ``survey::rake`` (when Rscript and the survey package are installed). Every tool's row says whether the
tool itself reports convergence, its iterations when it tells them, and the largest margin error the bench
computes from its weights (``largest_margin_error``, the same for all); times are compared only between runs
that converged and meet the margins. Prints a table, then the results as one JSON line (the last line).
"""

import argparse
import contextlib
import io
import json
import resource
import shutil
import subprocess
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from analyses.weighting import WeightingError, rake

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


# A run meets the margins when no weighted share is further than this from its population share (0-1 scale).
MARGIN_TOLERANCE = 1e-6
NOTE = ("Converged: the tool's own verdict (Toegang raises an error, R warns, weightipy prints a notice, which the "
        "bench turns into an error; weightipy runs with its defaults, then, if they do not converge, with its "
        "tightest public settings). Largest margin error: max over margins and categories of |weighted share - "
        "population share|, in percentage points, computed by the bench from each tool's weights. Times (best of "
        "three) are compared only between runs that converged and are within {tolerance:g} percentage points of "
        "every margin.")


def largest_margin_error(frame: pd.DataFrame, margins: dict, weights) -> float:
    """The largest |weighted share - population share| over every margin and category, on a 0-1 scale: the
    weights' shares of their own total against each margin's totals as shares of the margin's sum (so weights
    in persons and weights of mean 1 compare alike). A category the respondents lack counts as a share of 0;
    one the margin lacks, as a population share of 0."""
    w = pd.Series(np.asarray(weights, dtype=float), index=frame.index)
    total = float(w.sum())
    worst = 0.0
    for variable, categories in margins.items():
        population = pd.Series(categories, dtype=float)
        weighted = w.groupby(frame[variable].to_numpy()).sum() / total
        gaps = weighted.sub(population / population.sum(), fill_value=0.0).abs()
        worst = max(worst, float(gaps.max()))
    return worst


class NotConverged(RuntimeError):
    """A tool's warning that it did not converge, raised as an error; carries the weights it returned anyway,
    for the margin error."""

    def __init__(self, message: str, weights: np.ndarray, iterations: int | None):
        super().__init__(message)
        self.weights, self.iterations = weights, iterations


# weightipy 0.4 prints these (Rake.start) instead of warning; its public settings reach only max_iterations:
# Rim's convcrit is not passed on to Rake, which stops when a sweep changes the weights by less than 1% less
# than the sweep before, starting from a fixed 999,999 (a sum over all respondents).
WEIGHTIPY_NOT_CONVERGED = ("partial convergence", "Convergence did not occur")
WEIGHTIPY_SETTINGS = ({}, {"max_iterations": 10_000, "convcrit": 1e-12})  # its defaults, then the tightest


def weightipy_rake(frame: pd.DataFrame, shares: dict, settings: dict) -> tuple[np.ndarray, int | None]:
    """weightipy's weights (mean 1) and the iterations it reports; raises ``NotConverged`` when it says (by a
    printed notice or a warning) that it did not converge."""
    import weightipy
    scheme = weightipy.scheme_from_dict(shares, rim_params=dict(settings))
    said = io.StringIO()
    with warnings.catch_warnings(record=True) as warned, contextlib.redirect_stdout(said):
        warnings.simplefilter("always")
        weighted = weightipy.weight_dataframe(frame.copy(), scheme)
    weights = weighted["weights"].to_numpy()
    iterations = next(iter(scheme.groups.values())).get("iterations")
    notices = [line for line in said.getvalue().splitlines() + [str(w.message) for w in warned]
               if any(phrase in line for phrase in WEIGHTIPY_NOT_CONVERGED)]
    if notices:
        raise NotConverged(" ".join(notices), weights, iterations)
    return weights, iterations


def run_weightipy(frame: pd.DataFrame, margins: dict) -> dict:
    """weightipy with its defaults, then (if that did not converge) its tightest public settings; each best of
    three."""
    import weightipy
    shares = {v: {c: 100 * t / POPULATION for c, t in cats.items()} for v, cats in margins.items()}
    for settings in WEIGHTIPY_SETTINGS:
        seconds, row = [], {"version": weightipy.__version__, "settings": settings}
        for _ in range(3):
            start = time.perf_counter()
            try:
                weights, row["iterations"] = weightipy_rake(frame, shares, settings)
                row["converged"] = True
            except NotConverged as refusal:
                weights, row["iterations"] = refusal.weights, refusal.iterations
                row.update(converged=False, message=str(refusal))
            seconds.append(time.perf_counter() - start)
        row["seconds"] = round(min(seconds), 3)
        row["weights"] = weights
        if row["converged"]:
            break
    return row


def run_r(frame: pd.DataFrame, margins: dict, folder: Path) -> dict:
    if shutil.which("Rscript") is None:
        return {"skipped": "Rscript not installed (apt-get install r-cran-survey)"}
    write_r_inputs(frame, margins, folder)
    script = folder / "rake.R"
    variables = list(margins)
    # survey::rake warns when it stops at maxit without converging; the handler keeps that as a verdict.
    script.write_text(f"""
suppressMessages(library(survey))
d <- read.csv("{folder / 'data.csv'}", stringsAsFactors = FALSE)
pops <- lapply(c({", ".join(f'"{v}"' for v in variables)}),
               function(v) read.csv(file.path("{folder}", paste0("margin_", v, ".csv")), stringsAsFactors = FALSE))
des <- svydesign(ids = ~1, data = d, weights = rep(1, nrow(d)))
said <- ""
t <- system.time(r <- withCallingHandlers(
  rake(des, list({", ".join(f"~{v}" for v in variables)}), pops, control = list(maxit = 100, epsilon = 1e-8)),
  warning = function(w) {{ said <<- conditionMessage(w); invokeRestart("muffleWarning") }}))
write.csv(data.frame(w = weights(r)), "{folder / 'r_weights.csv'}", row.names = FALSE)
cat(as.character(packageVersion("survey")), t[["elapsed"]], gsub("[[:space:]]+", " ", said), "\n")
""", encoding="utf-8")
    done = subprocess.run(["Rscript", str(script)], capture_output=True, text=True, timeout=3600)
    if done.returncode != 0:
        return {"failed": done.stderr[-500:]}
    version, seconds, *said = done.stdout.strip().splitlines()[-1].split()
    message = " ".join(said)
    stopped = message.split("converge after ")[-1].split()[0] if "did not converge" in message else None
    row = {"version": version, "seconds": float(seconds), "converged": "did not converge" not in message,
           "iterations": int(stopped) if stopped else None,  # R tells its iterations only when it gives up
           "weights": pd.read_csv(folder / "r_weights.csv")["w"].to_numpy()}
    return row | ({"message": message} if message else {})


def compare(result: dict, frame: pd.DataFrame, margins: dict, ours: np.ndarray | None) -> None:
    """Each tool's margin error from its weights; its difference from Toegang's weights; and the time ratio,
    only when both runs converged and meet the margins (in place)."""
    for name in ("toegang", "weightipy", "r_survey"):
        row = result.get(name, {})
        if "weights" not in row:
            continue
        weights = row.pop("weights")
        error = largest_margin_error(frame, margins, weights)
        row["largest_margin_error_pp"], row["meets_margins"] = 100 * error, error <= MARGIN_TOLERANCE
        if name != "toegang" and ours is not None:
            mine, theirs = ours / ours.mean(), weights / weights.mean()
            row["max_relative_difference"] = float(np.max(np.abs(theirs - mine) / mine))
    base = result["toegang"]
    for name in ("weightipy", "r_survey"):
        row = result.get(name, {})
        if "seconds" not in row:
            continue
        comparable = all(r.get("converged") and r.get("meets_margins") for r in (base, row))
        row["toegang_faster_x"] = round(row["seconds"] / base["seconds"], 1) if comparable else None


def table(result: dict) -> str:
    """The results as a Markdown table, with its note."""
    names = {"toegang": "Toegang `analyses.weighting.rake`", "weightipy": "weightipy",
             "r_survey": "R `survey::rake`"}
    lines = [f"Raking {result['n']:,} respondents on {len(result['categories'])} margins "
             f"({', '.join(map(str, result['categories']))} categories)", "",
             "| tool | time | converged | iterations | largest margin error | Toegang faster |",
             "|---|---|---|---|---|---|"]
    for name, title in names.items():
        row = result.get(name, {})
        title += f" {row['version']}" if "version" in row else ""
        if "seconds" not in row:
            lines.append(f"| {title} | {row.get('skipped') or row.get('failed', 'no result')} | | | | |")
            continue
        error = f"{row['largest_margin_error_pp']:.2g}%" if "largest_margin_error_pp" in row else "not known"
        verdict = "yes" if row["converged"] else f"did not converge (largest margin error {error})"
        if row["converged"] and not row.get("meets_margins"):
            verdict += ", but misses the margins"
        ratio = "" if name == "toegang" else (f"{row['toegang_faster_x']}x" if row.get("toegang_faster_x")
                                             else "not compared")
        iterations = "not told" if row.get("iterations") is None else row["iterations"]
        lines.append(f"| {title} | {row['seconds']} s | {verdict} | {iterations} | {error} | {ratio} |")
    return "\n".join(lines + ["", result["note"]])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", "--size", dest="n", type=int, default=1_000_000, help="respondents to rake")
    parser.add_argument("--out", type=Path, default=None, help="also write the JSON results to this file")
    args = parser.parse_args()
    frame, margins = generate(args.n)
    result: dict = {"n": args.n, "categories": list(SIZES.values()),
                    "note": NOTE.format(tolerance=100 * MARGIN_TOLERANCE)}
    seconds, ours = [], None
    try:
        for _ in range(3):  # best of three, for every method alike
            start = time.perf_counter()
            raked = rake(frame, margins)
            seconds.append(time.perf_counter() - start)
        ours = raked.weights.to_numpy()
        result["toegang"] = {"seconds": round(min(seconds), 3), "converged": raked.converged,
                             "iterations": raked.iterations, "weights": ours}
    except WeightingError as refusal:  # raised when it does not converge in max_iter sweeps
        result["toegang"] = {"seconds": round(time.perf_counter() - start, 3), "converged": False,
                             "message": str(refusal)}
    result["toegang"]["peak_rss_mib"] = round(peak_rss_mib(), 1)
    try:
        result["weightipy"] = run_weightipy(frame, margins)
    except ImportError:
        result["weightipy"] = {"skipped": "not installed (make bench installs the bench group)"}
    with tempfile.TemporaryDirectory() as tmp:
        result["r_survey"] = run_r(frame, margins, Path(tmp))
    compare(result, frame, margins, ours)
    print(table(result), flush=True)
    print(json.dumps(result), flush=True)
    if args.out:
        args.out.write_text(json.dumps(result, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
