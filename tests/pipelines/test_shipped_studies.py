"""The example studies shipped beside the demo, each run as `toegang demo --study <id>` runs it (conftest.py
``shipped_sites``): a process evaluation per support model (unweighted clients and workers, two waves) and a
professional learning network polled at five meetings (a panel). Their pages follow the small-sample rules of
publication.yaml: no percentage on a cell under ``min_percentage_n`` (its count of n instead), no change on
fewer pairs than ``min_pairs``; the panel's drop-out and late joiners are shown, never mixed into a change."""

import html
import re

import duckdb
import pandas as pd
import pytest

from dashboards.formatting import number
from dashboards.text import t
from instruments.vocabulary import LANGUAGES


def _table(site, table: str) -> pd.DataFrame:
    with duckdb.connect(str(site.warehouse), read_only=True) as con:
        return con.execute(f"SELECT * FROM indicators.{table} WHERE study_id = ?", [site.study.study_id]).df()


KEY = ("indicator", "breakdown", "domain", "wave", "instrument")


def _numbers(site) -> dict[tuple, int]:
    """A row's key -> its ``data-row`` on the pages: its line in the site's indicators.csv, from 1 after the
    header."""
    download = pd.read_csv(site.site / "downloads" / "indicators.csv", dtype=str, keep_default_na=False)
    return {tuple(r[c] for c in KEY): number for number, r in enumerate(download.to_dict("records"), start=1)}


def _key(row) -> tuple:
    return tuple(str(getattr(row, c)) for c in KEY)


def _text(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", fragment))


def _pages(site, lang: str) -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted((site.site / lang).glob("*.html"))}


@pytest.mark.parametrize("study_id", ["demo-antwerp", "demo-rotterdam"])
def test_no_percentage_on_a_cell_under_min_percentage_n(shipped_sites, study_id):
    site = shipped_sites[study_id]
    minimum = site.study.publication.min_percentage_n
    rows = _table(site, "indicators")
    unweighted = rows[~rows["weighted"] & rows["numerator"].notna() & ~rows["suppressed"]]
    counted = unweighted[unweighted["n"] < minimum]
    assert len(counted) >= 10 and counted["as_count"].all()
    assert counted[["se", "ci_low", "ci_high"]].isna().all().all()
    assert not unweighted.loc[unweighted["n"] >= minimum, "as_count"].any()
    numbers = _numbers(site)
    for lang in LANGUAGES:
        pages = "".join(_pages(site, lang).values())
        shown = 0
        for row in counted.itertuples():
            for cell in re.findall(rf'<td data-row="{numbers[_key(row)]}">.*?</td>', pages):
                text = _text(cell)
                assert t("k_of_n", lang, k=int(row.numerator), n=int(row.n)) in text, (lang, text)
                assert "%" not in text and "[" not in text, (lang, text)  # no interval either
                shown += 1
        assert shown >= 10, lang  # wherever a counted cell is drawn, it is its count


def test_the_panel_reports_no_change_on_fewer_pairs_than_min_pairs(shipped_sites):
    site = shipped_sites["demo-rotterdam"]
    publication = site.study.publication
    changes = _table(site, "panel_changes")
    few = changes[changes["n_pairs"] < publication.min_pairs]
    enough = changes[changes["n_pairs"] >= publication.min_pairs]
    assert len(few) and len(enough)
    assert few[["n_higher", "share_higher", "value_before", "p_value"]].isna().all().all()
    assert enough["n_higher"].notna().all() and enough["p_value"].notna().any()
    for lang in LANGUAGES:
        page = _pages(site, lang)["panel.html"]
        lines = [_text(r) for r in re.findall(r"<tr>.*?</tr>", page)]
        too_few = t("panel_too_few", lang, min_pairs=publication.min_pairs)
        refused = [line for line in lines if too_few in line]
        assert len(refused) == len(few)
        for line in refused:  # the pairs and who was at one meeting only, nothing measured
            assert "%" not in line and "→" in line and "(" not in line
        # On fewer pairs than min_percentage_n a change is said in counts and medians, never in percentages.
        tested = [line for line in lines if t("panel_mcnemar", lang) in line or t("panel_wilcoxon", lang) in line]
        assert tested and all("%" not in line for line in tested)
        assert all(int(n) < publication.min_percentage_n for n in enough["n_pairs"])


def test_no_change_gives_away_those_at_one_meeting_only(shipped_sites):
    """Each meeting's own count (everyone present) is published: the pairs' count at that meeting, beside it, would
    give the count of those who were there and not at the other, so it is there only when they are none or at
    least min_cell; and a yes/no change's net count only when not exactly one of those groups is small."""
    site = shipped_sites["demo-rotterdam"]
    min_cell = site.study.publication.min_cell
    changes = _table(site, "panel_changes")
    small = lambda n: (n > 0) & (n < min_cell)  # noqa: E731
    levels = changes[changes["value_before"].notna()]
    assert not (small(levels["n_before_only"]) | small(levels["n_after_only"])).any()
    net = changes[(changes["kind"] == "binary") & changes["n_higher"].notna()]
    one_sided = (small(net["n_before_only"]) & (net["n_after_only"] == 0)) | \
        (small(net["n_after_only"]) & (net["n_before_only"] == 0))
    assert not one_sided.any()
    withheld = changes[changes["n_pairs"].ge(site.study.publication.min_pairs) & changes["value_before"].isna()]
    assert len(withheld) and withheld["reason"].str.contains("withheld").all()


def test_drop_out_and_a_late_joiner_are_visible_in_the_panels_trajectory(shipped_sites):
    site = shipped_sites["demo-rotterdam"]
    flows = _table(site, "panel_trajectory").sort_values("wave").reset_index(drop=True)
    assert list(flows["wave"]) == site.study.waves and (flows["n"] == flows[["stayed", "joined", "returned"]]
                                                        .sum(axis=1)).all()
    assert flows.loc[0, "joined"] == flows.loc[0, "n"] and flows.loc[1:, "dropped"].gt(0).any()
    assert flows.loc[1:, "joined"].gt(0).any()  # a late joiner
    changes = _table(site, "panel_changes")
    # A change is on the pairs only: those present at one of the two meetings are counted beside it.
    first = changes[(changes["wave_before"] == flows.loc[0, "wave"]) & (changes["wave_after"] == flows.loc[1, "wave"])]
    assert (first["n_pairs"] + first["n_before_only"] <= flows.loc[0, "n"]).all()
    assert (first["n_after_only"] > 0).any() and (first["n_before_only"] > 0).any()
    for lang in LANGUAGES:
        page = _text(_pages(site, lang)["panel.html"])
        for row in flows.itertuples():
            wave = t("wave_label", lang, wave=row.wave)
            numbers = " ".join(number(int(v), lang) for v in (row.n, row.stayed, row.joined, row.returned,
                                                                row.dropped))
            pattern = r"\s+".join(map(re.escape, [wave, *numbers.split()]))
            assert re.search(pattern, page), (lang, wave, numbers)


def test_clients_are_compared_between_models_by_fishers_exact_test(shipped_sites):
    site = shipped_sites["demo-antwerp"]
    tests = _table(site, "comparisons")
    compared = [b.name for b in site.study.breakdowns.values() if b.compare]
    fisher = tests[(tests["test"] == "fisher_exact") & tests["breakdown"].isin(compared)]
    assert len(fisher) >= 2 and set(fisher["wave"]) == set(site.study.waves)
    assert fisher["p_value"].between(0, 1).all() and (fisher["effect_measure"] == "conditional_odds_ratio").all()


def test_workers_published_as_a_whole_are_on_the_pages(shipped_sites):
    """An instrument that is not broken down and is no side of a difference is on the main pages (it used to be
    on none)."""
    site = shipped_sites["demo-antwerp"]
    rows = _table(site, "indicators")
    whole = [r.name for r in site.study.instruments if not r.breakdowns]
    assert whole
    numbers = _numbers(site)
    shown = {numbers[_key(r)] for r in rows[rows["instrument"].isin(whole)].itertuples()}
    pages = "".join(_pages(site, "nl").values())
    assert shown and all(f'data-row="{n}"' in pages for n in shown)


def test_the_panel_is_in_the_exports(shipped_sites):
    """The exports asset runs after the panel's: its tables are exported whole (the same rows as the warehouse)."""
    site = shipped_sites["demo-rotterdam"]
    folder = site.locations.exports / "indicators"
    for table in ("panel_changes", "panel_trajectory"):
        exported = pd.read_csv(folder / f"{table}.csv")
        assert len(exported) == len(_table(site, table)) > 0, table
