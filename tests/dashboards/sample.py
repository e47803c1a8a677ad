"""Hand-made indicator rows in the shape of ``indicators.indicators``: several indicators, two waves,
dimensions, breakdowns, suppressed cells of each kind, a field-actor index and count and a perception gap
(field-actor index minus parent index), shares the NCHS standards flag, and a single item (a one-item
dimension's mean score); waves drawn per stratum, as the demo's. Realistic values, fixed by a seed; not the
demo study's numbers, but its words (study_words: its dimensions, breakdowns, who answers each instrument, its
method texts)."""

from __future__ import annotations

import math
import random
from dataclasses import replace

import pandas as pd

from analyses.comparisons import wave_differences
from analyses.findings import candidates, findings
from analyses.standards import ProportionStandards
from dashboards.model import ROW, MethodFacts, SiteContent, checked_indicators, proportion_rules
from instruments.study import DEMO_STUDY, Factsheets, load_study
from pipelines.stages.publish import study_shapes, study_words

WAVES = ("2018", "2021")
AREAS = {"W01": {"nl": "Hertogin", "fr": "Duchesse", "en": "Hertogin (Duchesse)"},
         "W02": {"nl": "Historisch Molenbeek", "fr": "Molenbeek historique", "en": "Historic Molenbeek"},
         "W03": {"nl": "Weststation", "fr": "Gare de l'Ouest", "en": "Weststation (Gare de l'Ouest)"},
         "W04": {"nl": "Rest van Brussel", "fr": "Reste de Bruxelles", "en": "Rest of Brussels"}}
EDUCATION = {"LAAG": {"nl": "Geen of lager secundair", "fr": "Aucun ou secondaire inférieur", "en": "Lower secondary or less"},
             "MID": {"nl": "Hoger secundair", "fr": "Secondaire supérieur", "en": "Upper secondary"},
             "HOOG": {"nl": "Hoger onderwijs", "fr": "Enseignement supérieur", "en": "Higher education"}}


# Every indicator's denominator: one text, that the explorer ships once per language.
AMONG = {"nl": "Ouders die de vraag beantwoordden", "fr": "Parents qui ont répondu à la question",
         "en": "Parents who answered the question"}


def _entry(nl, fr, en, dimension, unit, headline=False, **more):
    """``more``: kind, instrument, subject and (a difference) of, as the published catalogue has them."""
    return {"label": {"nl": nl, "fr": fr, "en": en},
            "description": {"nl": f"{nl}: beschrijving.", "fr": f"{fr} : description.", "en": f"{en}: description."},
            "numerator": {"nl": f"Geteld: {nl.lower()}", "fr": f"Compté : {fr.lower()}",
                          "en": f"Counted: {en.lower()}"},
            "denominator": AMONG, "dimension": dimension, "unit": unit, "headline": headline, **more}


CATALOGUE = {
    "awareness": _entry("Kent de dienst", "Connaît le service", "Knows the service", "bekend", "proportion", True),
    "use": _entry("Gebruikte de dienst", "A utilisé le service", "Used the service", None, "proportion", True),
    "unmet_need": _entry("Onvervulde nood", "Besoin non satisfait", "Unmet need", None, "proportion", True),
    "barrier_betaalbaar": _entry("Drempel: kosten", "Obstacle : coût", "Barrier: cost", "betaalbaar", "proportion"),
    "access_index.S01.bereikbaar": _entry("Index bereikbaar", "Indice accessible", "Reachability index", "bereikbaar",
                                          "index", True, kind="scale_index", instrument="parent", subject="S01"),
    "access_index_begrijpbaar": _entry("Index begrijpbaar", "Indice compréhensible", "Understandability index",
                                       "begrijpbaar", "index"),
    "field_actor_index.S01.bereikbaar": _entry("Index werkveld bereikbaar", "Indice terrain accessible",
                                               "Field actors' reachability index", "bereikbaar", "index",
                                               kind="scale_index", instrument="field_actor", subject="S01"),
    "field_actor_agree.S01.bereikbaar": _entry("Werkveld akkoord", "Terrain d'accord", "Field actors agree",
                                               "bereikbaar", "count", kind="count", instrument="field_actor",
                                               subject="S01"),
    # A one-item dimension: its scale index published as the item's mean score (1-5), a single item.
    "access_index.S02.begrijpbaar": _entry("Score begrijpbaar, dienst 2", "Score compréhensible, service 2",
                                           "Understandability score, service 2", "begrijpbaar", "mean",
                                           kind="mean", instrument="parent", subject="S02", single_item=True),
    "perception_gap.S01.bereikbaar": _entry("Verschil bereikbaar", "Écart accessible", "Reachability gap", "bereikbaar",
                                            "difference", kind="difference", instrument="both", subject="S01",
                                            of=("field_actor_index.S01.bereikbaar", "access_index.S01.bereikbaar")),
}


def _row(rng, wave, indicator, breakdown, domain, unit, n, *, instrument="parent", centre=0.5, reason=None):
    n_eff = n / (1.3 + rng.random())
    if unit == "index":
        estimate = 100 * centre + rng.uniform(-8, 8)
        se = 18 / math.sqrt(n_eff)
        low, high = estimate - 1.96 * se, estimate + 1.96 * se
    elif unit == "difference":  # points on the 0-100 index scale
        estimate = 100 * centre + rng.uniform(-3, 3)
        se = 50 / math.sqrt(n_eff)
        low, high = estimate - 1.96 * se, estimate + 1.96 * se
    elif unit == "mean":  # a 1-5 score
        estimate = 1 + 4 * centre + rng.uniform(-0.2, 0.2)
        se = 1.1 / math.sqrt(n_eff)
        low, high = estimate - 1.96 * se, estimate + 1.96 * se
    elif unit == "count":
        estimate, se, low, high = float(round(centre * n)), None, None, None
    else:
        estimate = min(0.97, max(0.03, centre + rng.uniform(-0.08, 0.08)))
        se = math.sqrt(estimate * (1 - estimate) / n_eff)
        logit, half = math.log(estimate / (1 - estimate)), 1.96 * se / (estimate * (1 - estimate))
        low, high = 1 / (1 + math.exp(-(logit - half))), 1 / (1 + math.exp(-(logit + half)))
    row = {"study_id": "sample", "wave": wave, "indicator": indicator, "breakdown": breakdown, "domain": domain,
           "instrument": instrument, "estimate": estimate, "se": se, "ci_low": low, "ci_high": high, "n": n,
           "n_eff": n_eff, "deff": n / n_eff, "weighted": instrument == "parent", "low_n_eff": n_eff < 30,
           # Korn-Graubard for shares (each on its own n - 1 degrees of freedom, no clusters), Wald otherwise; a
           # weighted share's NCHS flag: "present" here, flagged below (flagged_rows).
           "ci_method": {"proportion": "beta", "count": "none"}.get(unit, "wald"),
           "df": None if unit in ("count", "difference") else n - 1,
           "n_eff_kg": min(n_eff, n) if unit == "proportion" else None,
           "nchs_flag": "present" if unit == "proportion" and instrument == "parent" else None,
           "suppressed": reason is not None,
           "reason": reason, "unit": unit, "run_id": f"run-{wave}", "instrument_version": f"v{wave[-2:]}a",
           "margins_version": f"m{wave}", "code_version": "abc1234"}
    if reason is not None:
        row.update(estimate=None, se=None, ci_low=None, ci_high=None, n=None, n_eff=None, deff=None, low_n_eff=None,
                   df=None, n_eff_kg=None, nchs_flag=None)
    return row


def sample_rows(seed: int = 8) -> pd.DataFrame:
    rng = random.Random(seed)
    rows = []
    for wave in WAVES:
        later = wave == "2021"
        sizes = {"W01": 76, "W02": 64, "W03": 58, "W04": 40 if not later else 7}
        for name, centre in (("awareness", 0.62), ("use", 0.41), ("access_index.S01.bereikbaar", 0.64)):
            unit = CATALOGUE[name]["unit"]
            rows.append(_row(rng, wave, name, "all", "all", unit, sum(sizes.values()), centre=centre + 0.05 * later))
            for area, n in sizes.items():
                reason = "primary" if n < 10 else None
                # Secondary suppression: with W04 hidden, the next-smallest area is hidden too.
                if later and area == "W03":
                    reason = "secondary"
                rows.append(_row(rng, wave, name, "neighbourhood", area, unit, n, centre=centre - 0.1 * (area == "W02"),
                                 reason=reason))
        for name, centre in (("unmet_need", 0.28), ("barrier_betaalbaar", 0.22)):
            rows.append(_row(rng, wave, name, "all", "all", "proportion", 238, centre=centre))
            for level, n, shift in (("LAAG", 52, 0.12), ("MID", 71, 0.0), ("HOOG", 115, -0.08)):
                rows.append(_row(rng, wave, name, "education", level, "proportion", n, centre=centre + shift))
        rows.append(_row(rng, wave, "access_index_begrijpbaar", "all", "all", "index", 238, centre=0.7,
                         reason=None if later else "alpha_below_0.7"))
        # Field actors: 18 in 2018 (a count, no index and no gap), 34 in 2021 (an index, and a gap with its
        # interval; their index is below).
        actors = 18 if not later else 34
        rows.append(_row(rng, wave, "field_actor_agree.S01.bereikbaar", "all", "all", "count", actors, instrument="field_actor",
                         centre=0.67))
        rows.append(_row(rng, wave, "perception_gap.S01.bereikbaar", "all", "all", "difference", actors,
                         instrument="both", centre=0.09, reason=None if later else "field_actor_n_below_30"))
    # The field actors' index (the gap's other side), drawn apart so the rows above keep their values.
    other = random.Random(seed + 1)
    for wave, actors, reason in (("2018", 18, "field_actor_n_below_30"), ("2021", 34, None)):
        rows.append(_row(other, wave, "field_actor_index.S01.bereikbaar", "all", "all", "index", actors,
                         instrument="field_actor", centre=0.71, reason=reason))
    # A single item (a one-item dimension's mean score), whole sample and by neighbourhood, drawn apart too.
    single = random.Random(seed + 2)
    for wave in WAVES:
        rows.append(_row(single, wave, "access_index.S02.begrijpbaar", "all", "all", "mean", 230, centre=0.62))
        for area, n in (("W01", 76), ("W02", 64), ("W03", 58), ("W04", 40)):
            rows.append(_row(single, wave, "access_index.S02.begrijpbaar", "neighbourhood", area, "mean", n,
                             centre=0.6))
    return flagged_rows(pd.DataFrame(rows))


# The shares the NCHS standards flag (the demo's rules: effective size 30, widths 0.30 and 0.05, 130%, 8 df), by
# (indicator, breakdown, domain, wave): the flag and the numbers that make it so. Each is charted on some pages
# and not on others: a share that would be withheld (with few degrees of freedom) on the page of the indicators
# of no dimension; one for review on the known-services page, the map page and its tile map; one with a footnote
# on the page of no dimension and the map page. Nothing on the overview, trend, comparison or other pages.
FLAGGED = {
    ("unmet_need", "education", "LAAG", "2021"): {"nchs_flag": "n_eff_kg_below_30;df_below_8", "n_eff_kg": 24.0,
                                                  "df": 5},
    ("awareness", "neighbourhood", "W02", "2021"): {"nchs_flag": "df_below_8", "df": 6},
    ("use", "neighbourhood", "W04", "2018"): {"nchs_flag": "complement_width_above_130", "estimate": 0.93,
                                              "ci_low": 0.79, "ci_high": 0.985, "n_eff_kg": 34.0},
}


def cell_keys() -> dict[int, str]:
    """A table cell's ``data-row`` -> the key (indicator|breakdown|domain|wave|instrument) of the sample row it
    names: the sample's rows checked as write_site checks them, numbered the same whatever a test changed in them."""
    rows = checked_indicators(sample_rows(), CATALOGUE)
    return {int(r[ROW]): "|".join(str(r[c]) for c in ("indicator", "breakdown", "domain", "wave", "instrument"))
            for _, r in rows.iterrows()}


def flagged_rows(rows: pd.DataFrame) -> pd.DataFrame:
    rows = rows.copy()
    for (indicator, breakdown, domain, wave), values in FLAGGED.items():
        at = (rows["indicator"] == indicator) & (rows["breakdown"] == breakdown) & (rows["domain"] == domain) \
            & (rows["wave"] == wave)
        assert at.sum() == 1 and not rows.loc[at, "suppressed"].any(), (indicator, domain, wave)
        for column, value in values.items():
            rows.loc[at, column] = value
    return rows


def sample_method() -> MethodFacts:
    return MethodFacts(
        samples=pd.DataFrame({"wave": ["2018", "2018", "2021", "2021"], "instrument": ["parent", "field_actor"] * 2,
                              "responses": [260, 30, 206, 27]}),
        weighting=pd.DataFrame({"wave": ["2018", "2021"], "n": [238, 184], "sum_w": [60000.0, 5400.0],
                                "n_eff": [73.5, 120.2], "deff": [3.24, 1.53], "w_min": [12.8, 12.7],
                                "w_max": [1286.5, 84.5], "cv": [1.5, 0.73], "trimmed": [0, 0]}),
        quality=pd.DataFrame({"wave": ["2018", "2018", "2021"], "instrument": ["parent", "parent", "parent"],
                              "flag": ["incomplete", "speeding", "incomplete"], "responses": [260, 260, 206],
                              "flagged": [18, 0, 17]}),
        versions=pd.DataFrame({"wave": ["2018", "2021"], "instrument": ["parent", "parent"],
                               "version": ["319d803752ca", "a806825871ae"]}),
        designs=sample_designs(),
    )


def sample_designs(**changes) -> pd.DataFrame:
    """Both waves as the demo declares them: drawn per neighbourhood (its breakdown's column), design weights
    N_h / n_h, linearisation; ``changes``: wave -> the fields that differ in that wave."""
    rows = [{"wave": wave, "variance": "linearisation", "strata": "wijk", "breakdown": "neighbourhood",
             "stratum_sizes": True, "method": "", "replicates": pd.NA, **changes.get(wave, {})} for wave in WAVES]
    return pd.DataFrame(rows).astype({"replicates": "Int64"})


def sample_words() -> dict:
    """The demo study's words, as the pipeline hands them to the site: its framework's dimensions, its
    breakdowns (compared, sensitivity checks, maps), its instruments (broken down or not), who answers each,
    and their texts."""
    # With its subjects' factsheets, which the demo leaves out (its site's size budget).
    return study_words(replace(load_study(DEMO_STUDY), factsheets=Factsheets(areas=True, subjects=True)))


def sample_shapes() -> dict:
    """The demo study's schematic polygons of its neighbourhoods, as the pipeline hands them to the site (pass
    ``shapes=sample_shapes()`` to ``sample_content`` for a map drawn from them instead of the tiles)."""
    return study_shapes(load_study(DEMO_STUDY))


def sample_rules(**changes) -> object:
    """The demo study's NCHS rules (it flags), as the pipeline hands them to the site; ``changes`` to them."""
    rules = {**load_study(DEMO_STUDY).publication.proportions, **changes}
    return proportion_rules(ProportionStandards(**rules))


# A benchmark of the sample (the demo declares none): its value, on the indicator's scale, and its source.
BENCHMARKS = {"use": 0.25}
BENCHMARK_SOURCES = {"use": {"nl": "Gemeentelijke monitor, 2017", "fr": "Moniteur communal, 2017",
                             "en": "Municipal monitor, 2017"}}


def sample_findings(rows: pd.DataFrame) -> pd.DataFrame:
    """The overview's key findings as the publish stage chooses them (analyses.findings): hand-made tested pairs
    of neighbourhoods (one clear, one not), the rows' own changes between waves, and the benchmark."""
    pairs = pd.DataFrame([
        {"wave": "2018", "indicator": "awareness", "breakdown": "neighbourhood", "domain_a": "W01", "domain_b": "W02",
         "difference": 0.12, "statistic": 4.6, "p_value": 4e-6},
        {"wave": "2018", "indicator": "use", "breakdown": "neighbourhood", "domain_a": "W01", "domain_b": "W03",
         "difference": 0.03, "statistic": 0.5, "p_value": 0.6}])
    headline = [name for name, entry in CATALOGUE.items() if entry["headline"]]
    return findings(candidates(rows, pairs, wave_differences(rows), BENCHMARKS, indicators=headline,
                               compared=["neighbourhood"]))


def sample_content(**changes) -> SiteContent:
    rows = sample_rows()
    words = sample_words()
    words["words"] = {**words["words"], **{f"benchmark_{name}": text for name, text in BENCHMARK_SOURCES.items()}}
    content = dict(
        study_title={"nl": "Voorbeeldstudie", "fr": "Étude exemple", "en": "Sample study"},
        indicators=rows, catalogue=CATALOGUE,
        domains={"neighbourhood": AREAS, "education": EDUCATION}, method=sample_method(), min_n=10,
        proportions=sample_rules(), findings=sample_findings(rows), **words,
    )
    content.update(changes)
    return SiteContent(**content)
