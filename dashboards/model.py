"""What a site is built from: indicator rows (the contract of table ``indicators.indicators``), the
indicator catalogue, category labels and the method page's figures. Plain data: the pipeline reads the
warehouse and hands these over; nothing here knows about Dagster or DuckDB files."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import pandas as pd

from dashboards.areas import AreaShapes

# low_n_eff: the estimate rests on an effective sample size under 30 (DOMAIN.md section 3), as the indicator
# table flagged it; the pages mark it and do not judge it again. ci_method: the interval's (beta: Korn-Graubard,
# clopper-pearson or wilson: an unweighted instrument's shares, logit, wald, none); df: its degrees of freedom (the domain's own); n_eff_kg: a proportion's Korn-Graubard
# effective size; nchs_flag: a weighted proportion's NCHS presentation flag ("present", or the rules it meets
# joined by ';', analyses/standards.py), which the pages mark as they find it (dashboards/marks.py).
INDICATOR_COLUMNS = (
    "study_id", "wave", "indicator", "breakdown", "domain", "instrument", "estimate", "se", "ci_low", "ci_high",
    "n", "n_eff", "deff", "ci_method", "df", "n_eff_kg", "weighted", "low_n_eff", "nchs_flag", "suppressed",
    "reason", "unit",
)
# An unweighted proportion's numerator, and whether it is published as "numerator of n" alone (below the
# study's min_percentage_n): rows without them (made before Toegang kept them) are shown as percentages.
COUNT_COLUMNS = ("numerator", "as_count")
# Provenance columns: published in the downloads when the table has them.
# The run id stays in the warehouse: the same numbers from another run give the same site, byte for byte.
PROVENANCE_COLUMNS = ("instrument_version", "margins_version", "code_version")
# A row's number in the site's downloads (indicators.csv, counting from 1 after its header, and indicators.parquet),
# in their order (``DOWNLOAD_ORDER``): a table cell names its row by it (``data-row``), so a reader or a test finds
# every column of what a cell shows.
ROW = "row"
DOWNLOAD_ORDER = ("wave", "indicator", "breakdown", "domain")
# difference: points on the 0-100 index scale (the perception gap, field actors minus parents)
UNITS = ("proportion", "index", "mean", "count", "difference")

Labels = Mapping[str, Mapping[str, str]]  # code -> language -> label


class ContentError(ValueError):
    """The rows or the catalogue break the contract; the message says which row or name."""


@dataclass(frozen=True)
class CatalogueEntry:
    label: Mapping[str, str]
    description: Mapping[str, str]
    dimension: str | None
    unit: str
    headline: bool = False
    kind: str | None = None  # share, mean, scale_index, count, difference (instruments/catalogue.py)
    instrument: str | None = None  # the instrument it is computed from (a difference: both of its sides')
    subject: str | None = None  # the code of its subject (a service or theme), if it has one
    of: tuple[str, str] | None = None  # a difference: the indicators it subtracts, (minuend, subtrahend)
    # A scale index of a dimension with one item, published as that item's mean score (1-5): a single item,
    # not an index (no reliability to check), never on a 0-100 axis.
    single_item: bool = False
    # Who is counted and among whom (the universe), per language, the subject and dimension named; empty when
    # the catalogue given does not say.
    numerator: Mapping[str, str] = field(default_factory=dict)
    denominator: Mapping[str, str] = field(default_factory=dict)


def catalogue_entry(value: object) -> CatalogueEntry:
    """A catalogue entry from a mapping or from any object with the same attributes (an indicator of the
    indicator table names its subject ``service`` or ``theme``, after its list's role)."""
    if isinstance(value, CatalogueEntry):
        return value
    get = value.get if isinstance(value, Mapping) else (lambda key, default=None: getattr(value, key, default))
    of = get("of")
    return CatalogueEntry(label=dict(get("label") or {}), description=dict(get("description") or {}),
                          dimension=get("dimension"), unit=str(get("unit")), headline=bool(get("headline", False)),
                          kind=get("kind"), instrument=get("instrument"),
                          subject=get("subject") or get("service") or get("theme"),
                          of=(str(of[0]), str(of[1])) if of else None,
                          single_item=bool(get("single_item", False)),
                          numerator=dict(get("numerator") or {}), denominator=dict(get("denominator") or {}))


@dataclass(frozen=True)
class ProportionRules:
    """The study's NCHS presentation standards for a weighted instrument's proportions (publication.yaml
    ``proportions:`` with its defaults, as ``analyses.standards.ProportionStandards`` applies them): the method
    page states them. ``action``: "flag" (publish with a mark) or "suppress" (withhold); widths on 0-1;
    ``max_relative_width`` a ratio (1.30 is 130%); ``codes``: the rules' codes as the rows' ``nchs_flag`` carries
    them, with the study's numbers."""

    action: str
    min_n_eff_kg: float
    present_width: float
    max_width: float
    max_relative_width: float
    min_df: int
    codes: tuple[str, ...] = ()


def proportion_rules(value: object) -> ProportionRules:
    """The rules from a mapping or from any object with the same attributes (a ``ProportionStandards``, whose
    ``codes()`` gives the codes)."""
    get = value.get if isinstance(value, Mapping) else (lambda key, default=None: getattr(value, key, default))
    codes = get("codes", ())
    return ProportionRules(action=str(get("action")), min_n_eff_kg=float(get("min_n_eff_kg")),
                           present_width=float(get("present_width")), max_width=float(get("max_width")),
                           max_relative_width=float(get("max_relative_width")), min_df=int(get("min_df")),
                           codes=tuple(codes() if callable(codes) else codes))


@dataclass(frozen=True)
class MethodFacts:
    """Aggregates for the method page; every frame may be empty.

    ``samples``: wave, instrument, responses. ``weighting``: wave, n, sum_w, n_eff, deff, w_min, w_max, cv,
    trimmed. ``quality``: wave, instrument, flag, responses, flagged. ``versions``: wave, instrument, version.
    ``designs``, one row per weighted wave: how its standard errors are estimated. ``variance``: "linearisation"
    (Taylor) or "replicates"; ``strata``: the column the sample was stratified by ("" when not stratified);
    ``breakdown``: the study's breakdown of that column ("" when none is); ``stratum_sizes``: whether the design
    weights are each stratum's population over its respondents (N_h / n_h); ``method``: the replicates' (JKn,
    JK1 or bootstrap; "" with linearisation); ``replicates``: their count (missing with linearisation).
    """

    samples: pd.DataFrame = field(default_factory=pd.DataFrame)
    weighting: pd.DataFrame = field(default_factory=pd.DataFrame)
    quality: pd.DataFrame = field(default_factory=pd.DataFrame)
    versions: pd.DataFrame = field(default_factory=pd.DataFrame)
    designs: pd.DataFrame = field(default_factory=pd.DataFrame)
    # What changed since each wave's previous run (warehouse/changes.py: published changes only). ``changes``, one
    # row per wave: wave, first (nothing to compare), new and edited (responses between the runs; <NA> not
    # recorded), versions ("instrument[:<name>]", "margins", "code", joined by ","), moved, suppressed, released
    # (cell counts). ``changed_cells``: wave, indicator, breakdown, domain, unit, before, after, se, change
    # ("moved", "suppressed", "released"; values and SE only for "moved"), largest moves first.
    changes: pd.DataFrame = field(default_factory=pd.DataFrame)
    changed_cells: pd.DataFrame = field(default_factory=pd.DataFrame)


@dataclass(frozen=True)
class SiteContent:
    study_title: Mapping[str, str]
    indicators: pd.DataFrame  # rows with INDICATOR_COLUMNS (suppression already applied)
    catalogue: Mapping[str, object]  # indicator name -> CatalogueEntry or a mapping with its fields
    domains: Mapping[str, Labels]  # breakdown -> category code -> language -> label
    method: MethodFacts
    min_n: int
    # Unweighted instruments publish percentages, indices and the differences built on them from this many
    # respondents (publication.yaml's min_group_for_index).
    min_group: int = 30
    # The study's words (its folder, never this package): the framework's dimension codes in page order; the
    # breakdowns in publication order, those compared between categories, those that are sensitivity
    # checks (charted nowhere, in the downloads) and those with a map page; the instruments in study order and
    # those broken down (their rows fill the overview, dimension, map and trend pages; the others' rows are
    # beside the differences they are a side of); and texts: dim_<code>, dim_<code>_about, dim_other,
    # dim_other_about, breakdown_<name>, respondents_<instrument> (who answers it, a plural noun written as a
    # title) and method_<part> (the method page's study paragraphs, where the study has them) -> language -> text.
    dimensions: tuple[str, ...] = ()
    breakdowns: tuple[str, ...] = ()
    compared: tuple[str, ...] = ()
    checks: tuple[str, ...] = ()
    maps: tuple[str, ...] = ()
    instruments: tuple[str, ...] = ()
    broken_down: tuple[str, ...] = ()
    words: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    # The NCHS rules the study applies to its weighted proportions; None: the method page states none.
    proportions: ProportionRules | None = None
    # A panel instrument's persons followed across waves (tables indicators.panel_changes and panel_trajectory,
    # without study_id and run_id); empty: the study has no panel. Changes are reported from min_pairs pairs.
    panel_changes: pd.DataFrame = field(default_factory=pd.DataFrame)
    panel_trajectory: pd.DataFrame = field(default_factory=pd.DataFrame)
    min_pairs: int = 10
    # An unweighted instrument's shares on fewer respondents (or a panel's on fewer pairs) are said as counts.
    min_percentage_n: int = 30
    # breakdown -> the shapes of its areas from the study's GeoJSON (dashboards.areas.AreaShapes); a breakdown
    # with a map but no shapes is drawn as tiles.
    shapes: Mapping[str, AreaShapes] = field(default_factory=dict)
    # The overview's family of candidate findings (analyses.findings.FINDING_COLUMNS): every candidate with its
    # Holm-adjusted p, and ``rank`` 1, 2, ... for those the page says (missing for the others); empty: none to
    # say. A benchmark's source is the study text ``benchmark_<indicator>``.
    findings: pd.DataFrame = field(default_factory=pd.DataFrame)
    # The printable factsheets (study.yaml ``factsheets:``): "areas", one per category of each breakdown with a
    # map; "subjects", one per subject of the indicators (named by words' subject_<code>).
    factsheets: tuple[str, ...] = ("areas",)

    def entry(self, indicator: str) -> CatalogueEntry:
        return catalogue_entry(self.catalogue[indicator])

    def text(self, key: str, lang: str) -> str:
        """A study text; the key itself where the study has none (never an empty heading)."""
        return self.words.get(key, {}).get(lang) or key

    def has_text(self, key: str) -> bool:
        return key in self.words


def checked_indicators(rows: pd.DataFrame, catalogue: Mapping[str, object],
                       breakdowns: tuple[str, ...] | None = None) -> pd.DataFrame:
    """The rows with typed columns, or ContentError naming what breaks the contract. A suppressed row
    keeps its place but loses its numbers, so nothing hidden can reach a page or a download. Each row gets its
    number in the downloads (``ROW``)."""
    missing = [c for c in INDICATOR_COLUMNS if c not in rows.columns]
    if missing:
        raise ContentError(f"indicator rows lack column(s) {', '.join(missing)}")
    out = rows.loc[:, [c for c in (*INDICATOR_COLUMNS, *COUNT_COLUMNS, *PROVENANCE_COLUMNS)
                       if c in rows.columns]].copy()
    if "numerator" not in out:
        out["numerator"] = pd.NA
    out["numerator"] = out["numerator"].astype("Int64")
    out["as_count"] = out["as_count"].fillna(False).astype(bool) if "as_count" in out else False
    checks = [("unit", UNITS)] + ([("breakdown", ("all", *breakdowns))] if breakdowns is not None else [])
    for column, allowed in checks:
        wrong = sorted(set(out[column].astype(str)) - set(allowed))
        if wrong:
            raise ContentError(f"unknown {column} value(s) {', '.join(wrong)}; expected one of {', '.join(allowed)}")
    unknown = sorted(set(out["indicator"]) - set(catalogue))
    if unknown:
        raise ContentError(f"indicator(s) {', '.join(unknown)} are not in the catalogue")
    out["wave"] = out["wave"].astype(str)
    out["domain"] = out["domain"].astype(str)
    out["suppressed"] = out["suppressed"].fillna(False).astype(bool)
    numbers = ["estimate", "se", "ci_low", "ci_high", "n_eff", "deff", "n_eff_kg"]
    out[numbers] = out[numbers].astype("float64")
    out["n"] = out["n"].astype("Float64")
    out["df"] = out["df"].astype("Float64")  # withheld with n: without clusters it is n - 1
    out["low_n_eff"] = out["low_n_eff"].astype("boolean")
    out["nchs_flag"] = out["nchs_flag"].astype("object").where(out["nchs_flag"].notna(), None)
    # A hidden cell's flag would say something about its estimate ("estimate_0_or_1").
    out.loc[out["suppressed"], [*numbers, "n", "df", "low_n_eff", "nchs_flag", "numerator"]] = None
    out.loc[out["suppressed"], "as_count"] = False
    out.loc[~out["suppressed"], "reason"] = None
    out = out.reset_index(drop=True)
    out[ROW] = pd.Series(range(1, len(out) + 1), index=out.sort_values(list(DOWNLOAD_ORDER), kind="stable").index)
    return out
