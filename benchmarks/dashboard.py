"""Dashboard benchmark: site build time, total size, and time to first chart painted in headless Chromium.

Usage: python -m benchmarks.dashboard [--loads 5]
Runs the demo study into a temporary folder, rebuilds its site from the warehouse (the dashboard asset's
own inputs) a few times (wall and CPU time, target under 3 s), then opens pages from disk in Debian's
chromium, each load in a fresh browser context, and reads the performance mark site.js leaves when the first chart is drawn (target < 1 s).
Then switches the indicator explorer between indicators of every unit and breakdown (each switch redraws its chart
with Plotly.react, target < 300 ms from the choice to the frame after the chart is drawn) and sums the site's bytes
(target under 8 MB).
"""

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path

import dagster as dg

from dashboards.model import SiteContent
from dashboards.site import write_site
from instruments.study import DEMO_STUDY, load_study
from pipelines.runner import run_study
from pipelines.stages.publish import site_content
from benchmarks.harness.browser import chromium
from warehouse.connection import connect

PAGES = ("en/index.html", "fr/breakdown-neighbourhood.html", "nl/trend.html", "en/explorer.html")
EXPLORER = "nl/explorer.html"
# In the page: choose each indicator in turn, as a reader does in the list, and time each from the choice to the
# explorer's mark after the redrawn chart's frame.
SWITCH = """async (names) => {
  const select = document.getElementById('x-indicator'), out = [];
  for (const name of names) {
    const before = performance.getEntriesByName('explorer-drawn').length, start = performance.now();
    select.value = name;
    select.dispatchEvent(new Event('change'));
    while (performance.getEntriesByName('explorer-drawn').length === before) await new Promise(r => setTimeout(r, 1));
    out.push(performance.getEntriesByName('explorer-drawn')[before].startTime - start);
  }
  return out;
}"""
FIRST_CHART = "performance.getEntriesByName('first-chart-painted').length > 0"


def demo_content(tmp: Path) -> tuple[SiteContent, Path]:
    done = run_study(DEMO_STUDY, home=str(tmp / "home"), site=str(tmp / "site"), build=str(tmp / "build"),
                     instance=dg.DagsterInstance.ephemeral(), log_level="WARNING")
    with connect(done.locations) as con:
        content = site_content(con, load_study(DEMO_STUDY))
    return content, done.locations.site


def first_chart_ms(site: Path, loads: int) -> dict:
    out = {}
    with chromium() as browser:
        for name in PAGES:
            times = []
            for _ in range(loads):
                context = browser.new_context(viewport={"width": 1200, "height": 900})
                page = context.new_page()
                page.goto((site / name).as_uri())
                page.wait_for_function(FIRST_CHART, timeout=30_000)
                times.append(page.evaluate("performance.getEntriesByName('first-chart-painted')[0].startTime"))
                context.close()
            out[name] = {"median_ms": round(statistics.median(times), 1), "max_ms": round(max(times), 1)}
    return out


def explorer_switch_ms(site: Path, rounds: int) -> dict:
    """Median and max of switching the explorer between indicators: the first of each unit, and the one with the
    most rows (the widest chart), ``rounds`` times over."""
    with chromium() as browser:
        context = browser.new_context(viewport={"width": 1200, "height": 900})
        page = context.new_page()
        page.goto((site / EXPLORER).as_uri())
        page.wait_for_function("document.getElementById('x-chart').dataset.drawn === 'true'", timeout=30_000)
        names = page.evaluate("""(() => {
          const data = window.TOEGANG_EXPLORER.indicators, first = {};
          let widest = null;
          for (const [name, ind] of Object.entries(data)) {
            if (!(ind.unit in first)) first[ind.unit] = name;
            if (!widest || ind.rows.length > data[widest].rows.length) widest = name;
          }
          return [...Object.values(first), widest];
        })()""")
        times = page.evaluate(SWITCH, names * rounds)
        context.close()
    return {"indicators": len(names), "switches": len(times), "median_ms": round(statistics.median(times), 1),
            "max_ms": round(max(times), 1)}


def bench_dashboard(tmp: Path, loads: int = 5) -> dict:
    content, site = demo_content(tmp)
    builds, cpu = [], []
    for _ in range(loads):
        start, start_cpu = time.perf_counter(), time.process_time()
        write_site(site, content)
        builds.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    files = [p for p in site.rglob("*") if p.is_file()]
    return {
        "site_build_s_median": round(statistics.median(builds), 3),
        # The process's CPU time as well: on a shared machine the wall time also counts others' work.
        "site_build_cpu_s_median": round(statistics.median(cpu), 3),
        "site_build_target_s": 3,
        "site_bytes": sum(p.stat().st_size for p in files),
        "site_files": len(files),
        "pages": len(list(site.rglob("*.html"))),
        "first_chart_painted": first_chart_ms(site, loads),
        "first_chart_target_ms": 1000,
        "explorer_switch_ms": explorer_switch_ms(site, loads),
        "explorer_switch_target_ms": 300,
        "site_bytes_target": 8_000_000,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--loads", type=int, default=5, help="builds and page loads to take the median of")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="toegang-bench-dashboard-") as tmp:
        print(json.dumps(bench_dashboard(Path(tmp), args.loads)))


if __name__ == "__main__":
    main()
