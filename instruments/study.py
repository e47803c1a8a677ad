"""A study is a folder of YAML (``instruments/studies/<study>/``), never code.

``study.yaml`` names the LimeSurvey surveys (instrument, wave, export file, margins, sampling design), the
instruments, their roles and who answers them, the breakdowns, the dimension framework, the method page's
texts and the shared material it imports;
``instruments/<name>.yaml`` holds each questionnaire, ``subjects.yaml`` the subject lists,
``indicators.yaml`` the indicator catalogue and ``publication.yaml`` the publication rules. Shared material
(answer scales, dimension frameworks, data-quality rules) lives in ``instruments/shared/``.

``load_study`` reads the folder and refuses what it cannot use with file and line; ``check_study`` then
builds every instrument of every wave and reports every problem in one pass.
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path

from instruments import yamlfile
from instruments.dimensions import Dimension, Framework
from instruments.fieldwork import FieldworkPlan, check_fieldwork, read_fieldwork
from instruments.geojson import AreaFile, check_codes, read_areas
from instruments.loader import SHARED, Context, Problem, build_instrument, load_instrument, multilingual
from instruments.model import CLEAN_COLUMN_PATTERN, CODE_PATTERN, NAME_PATTERN, Instrument, InstrumentError, Labels
from instruments.subjects import ROLES, Subject, SubjectList
from instruments.vocabulary import LANGUAGES, SURVEY_LANGUAGE

STUDIES = Path(__file__).parent / "studies"  # the bundled studies; TOEGANG_STUDIES names another folder
STUDY_FILE = "study.yaml"
DEMO_STUDY = "demo-brussels"
SHARED_FILES = ("scales", "dimensions", "quality")
# The clean column of the language a respondent answered in: a breakdown on it is always possible, its
# categories named by the languages.
METADATA_COLUMNS = (SURVEY_LANGUAGE,)
DESIGN_COLUMNS = ("strata", "psu", "fpc", "base_weight")
DESIGN_KEYS = (*DESIGN_COLUMNS, "stratum_sizes", "variance", "replicates")
VARIANCE_METHODS = ("linearisation", "replicates")
REPLICATE_METHODS = ("jackknife", "bootstrap")
DEFAULT_BOOTSTRAP = 200  # replicates when a bootstrap does not say how many
# The study's own paragraphs on the dashboard's method page: who was recruited how, what the weighting
# margins are, what the weighting cannot correct.
METHOD_TEXTS = ("samples", "weighting", "caveats")


@dataclass(frozen=True)
class Design:
    """The sampling design of a survey, as clean columns of its instrument (names as in ``rake(base_weight=)``),
    and how its variance is estimated.

    ``stratum_sizes: margins``: each stratum's population N_h is the survey's margins total of its ``strata``
    column; a respondent's design weight is then N_h / n_h (n_h the stratum's respondents in the weighting
    base) and the finite population correction N_h. ``variance``: ``linearisation`` (Taylor, the default) or
    ``replicates`` (replicate weights that re-run the raking: ``method`` jackknife or bootstrap, ``count``
    bootstrap replicates, ``seed``)."""

    strata: str | None = None
    psu: str | None = None
    fpc: str | None = None
    base_weight: str | None = None
    stratum_sizes: str | None = None  # "margins": N_h from the survey's margins file
    variance: str = "linearisation"
    method: str = "jackknife"  # replicate method, when variance is replicates
    count: int | None = None  # bootstrap replicates
    seed: int | None = None

    def columns(self) -> list[str]:
        return [c for c in (self.strata, self.psu, self.fpc, self.base_weight) if c]

    @property
    def declared(self) -> bool:
        """Whether the survey declares any sampling design (else: equal-probability, Taylor variance)."""
        return self != Design()

    def config(self) -> dict:
        """The ``design:`` mapping of study.yaml that declares this design (empty when none is declared)."""
        entry = {k: getattr(self, k) for k in (*DESIGN_COLUMNS, "stratum_sizes") if getattr(self, k)}
        if self.variance != "linearisation":
            entry["variance"] = self.variance
            options = {"method": self.method}
            if self.method == "bootstrap":
                options |= {"count": self.count, "seed": self.seed}
            entry["replicates"] = options
        return entry


@dataclass(frozen=True)
class Survey:
    survey_id: int
    instrument: str
    wave: str
    export: Path | None = None
    margins: Path | None = None  # population margins for weighting (weighted instruments only)
    # "file" (the export named above), "limesurvey" (the RemoteControl API) or "inbox" (only files
    # dropped in the inbox); default: "file" when an export is named, else "limesurvey".
    source: str = "limesurvey"
    design: Design = Design()
    line: int | None = field(default=None, compare=False, repr=False)  # its line in study.yaml, for problems


@dataclass(frozen=True)
class InstrumentRole:
    name: str
    path: Path
    weighted: bool = False  # raked to margins; otherwise reported unweighted
    breakdowns: bool = True  # published per breakdown; otherwise for the whole sample only
    # Who answers it, as a plural noun written as a title ("Parents"); the dashboards use it in headers and,
    # first letter lowered, inside sentences. None: the dashboards show the instrument's name.
    respondents: Labels | None = None
    # The same persons answer it in every wave (a panel): its changes are measured on them (analyses.panel).
    panel: bool = False
    # Its respondents are professionals: never broken down by the questions that identify their organisation
    # or role (DOMAIN.md section 5).
    professionals: bool = False


@dataclass(frozen=True)
class Breakdown:
    name: str
    column: str
    title: Labels  # inside a sentence: "by neighbourhood"
    compare: bool = False  # test the differences between its categories
    sensitivity: bool = False  # the headline indicators without each of its categories in turn
    line: int | None = field(default=None, compare=False, repr=False)  # its line in study.yaml, for problems
    map: bool = False  # a dashboard page of its own with a map: tiles (one per category), or its ``areas``
    # With ``map``: its areas' polygons from a GeoJSON file in the study folder (drawn instead of the tiles).
    areas: AreaFile | None = None


@dataclass(frozen=True)
class Factsheets:
    """Which printable factsheets the site has (study.yaml ``factsheets:``): one per area of each breakdown with
    ``map: true`` (``areas``), and one per subject of the indicators (``subjects``)."""

    areas: bool = True
    subjects: bool = False


@dataclass(frozen=True)
class Publication:
    """``publication.yaml``: what may be published (DOMAIN.md sections 3 and 5)."""

    min_cell: int = 10
    min_group_for_index: int = 30
    # An unweighted instrument's shares below this many respondents are published as counts ("12 of 18"),
    # without a percentage or an interval.
    min_percentage_n: int = 30
    # A panel's change between two waves is published only on at least this many persons present in both.
    min_pairs: int = 10
    min_alpha: float = 0.70
    low_n_eff: float = 30.0
    forbidden_breakdowns: tuple[str, ...] = ()
    # A hidden cell must not be learnt more closely than this from published cells (0-1 scale).
    disclosure_tolerance: float = 0.01
    # The NCHS presentation standards for a weighted instrument's proportions (analyses.standards): the
    # study's values of its rules, and whether it suppresses what they would suppress or only flags it.
    proportions: Mapping[str, object] = field(default_factory=dict)
    # The interval of an unweighted instrument's proportions: exact Clopper-Pearson or Wilson
    # (analyses.small_samples).
    unweighted_interval: str = "clopper-pearson"


@dataclass(frozen=True)
class SyntheticInstrument:
    """How ``instruments.generate`` makes one instrument's synthetic responses (study.yaml ``synthetic:``).

    ``responses`` per survey (in a cohort: the first wave's persons). Either ``panel``, the share of a later
    wave's respondents who answered an earlier wave, or a cohort (``retention`` given): each wave a member
    stays with chance ``retention`` (who leaves never comes back), misses the wave with chance ``skip``
    (and comes back later), ``joiners`` new persons join, and each member's latent tendency moves by
    ``drift`` (plus a small step of their own). ``days``: the fieldwork period of a survey. ``implies``: a
    single choice whose answer fixes others, ``{column: {code: {other column: code}}}``."""

    responses: int | None = None
    panel: float | None = None
    retention: float | None = None
    joiners: int = 0
    skip: float = 0.0
    drift: float = 0.0
    days: int | None = None
    implies: Mapping[str, Mapping[str, Mapping[str, str]]] = field(default_factory=dict)
    line: int | None = field(default=None, compare=False, repr=False)

    @property
    def cohort(self) -> bool:
        return self.retention is not None


@dataclass(frozen=True)
class Synthetic:
    """study.yaml ``synthetic:``: the seed and per-instrument settings of the study's synthetic responses."""

    seed: int | None = None
    instruments: Mapping[str, SyntheticInstrument] = field(default_factory=dict)


@dataclass(frozen=True)
class Benchmark:
    """A value the study compares an indicator's whole-sample estimate with (``benchmarks:`` in study.yaml), on
    the indicator's own scale (a share between 0 and 1), and where the value comes from, per language."""

    value: float
    source: Labels
    line: int | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class Section:
    """The dashboard section of the indicators outside the dimensions."""

    title: Labels
    about: Labels | None = None


@dataclass(frozen=True)
class Study:
    study_id: str
    title: Labels
    surveys: tuple[Survey, ...]
    path: Path  # the study's folder
    instruments: tuple[InstrumentRole, ...]
    lists: Mapping[str, SubjectList] = field(default_factory=dict)
    frameworks: Mapping[str, Framework] = field(default_factory=dict)
    framework: Framework | None = None  # the one the per-dimension indicators and pages use, with the study's texts
    other_section: Section | None = None
    scales: Mapping[str, object] = field(default_factory=dict)
    quality_path: Path | None = None
    breakdowns: Mapping[str, Breakdown] = field(default_factory=dict)
    publication: Publication = Publication()
    method: Mapping[str, Labels] = field(default_factory=dict)  # METHOD_TEXTS -> text per language
    # Only synthetic demo studies carry a key in their file; real ones take TOEGANG_PSEUDONYM_KEY.
    demo_pseudonym_key: str | None = None
    trim: tuple[float, float] | None = None  # weight bounds relative to the mean, e.g. (0.3, 3); off by default
    min_effective_sample: float = 30.0
    ingest_cron: str = "0 * * * *"  # new and changed responses, hourly
    rescan_cron: str = "30 3 * * 0"  # every stored id again (edits), weekly
    synthetic: Synthetic = Synthetic()  # how `toegang generate` makes its synthetic responses
    fieldwork: tuple[FieldworkPlan, ...] = ()  # per wave and instrument: the window and the targets
    benchmarks: Mapping[str, Benchmark] = field(default_factory=dict)  # indicator name -> its benchmark
    factsheets: Factsheets = Factsheets()

    @property
    def file(self) -> Path:
        return self.path / STUDY_FILE

    @property
    def catalogue_path(self) -> Path:
        """The indicator catalogue of the study."""
        return self.path / "indicators.yaml"

    @property
    def waves(self) -> list[str]:
        return sorted({s.wave for s in self.surveys})

    @property
    def instrument_names(self) -> list[str]:
        return [role.name for role in self.instruments]

    @property
    def weighted_instruments(self) -> list[str]:
        return [role.name for role in self.instruments if role.weighted]

    def role(self, name: str) -> InstrumentRole:
        for role in self.instruments:
            if role.name == name:
                return role
        raise InstrumentError(f"{self.file}: study {self.study_id!r} has no instrument {name!r} "
                              f"(it has {', '.join(self.instrument_names)})")

    @property
    def breakdown_columns(self) -> dict[str, str]:
        """Breakdown name -> the clean column holding its categories."""
        return {name: b.column for name, b in self.breakdowns.items()}

    def surveys_in(self, wave: str) -> list[Survey]:
        return [s for s in self.surveys if s.wave == wave]

    @cached_property
    def catalogue(self):
        """The indicator catalogue (``indicators.yaml``); its problems raised together."""
        from instruments.catalogue import Catalogue, read_catalogue

        if not self.catalogue_path.is_file():
            return Catalogue({}, str(self.catalogue_path))
        problems: list[Problem] = []
        catalogue = read_catalogue(self.catalogue_path, problems)
        if problems:
            raise InstrumentError("\n".join(str(p) for p in problems))
        return catalogue

    @cached_property
    def context(self) -> Context:
        return Context(self.scales, self.lists, self.frameworks)

    def instrument(self, name: str, wave: str | None) -> Instrument:
        """The questionnaire as fielded in a wave: the definition with the wave's subjects."""
        return load_instrument(self.role(name).path, context=self.context, wave=wave)

    def subjects(self, list_name: str, wave: str | None) -> dict[str, Labels]:
        """The subjects of a list in a wave: code -> name per language."""
        subject_list = self.lists[list_name]
        if subject_list.question is None:
            return {s.code: dict(s.labels) for s in subject_list.in_wave(wave)}
        instrument, code = subject_list.question
        return {sq.code: dict(sq.labels) for sq in self.instrument(instrument, wave).question(code).subquestions}


def studies_dir(studies: Path | None = None) -> Path:
    """The folder of study folders: ``studies``, else ``TOEGANG_STUDIES``, else the bundled ``instruments/studies``.
    A research centre keeps its studies in its own repository and points Toegang at it."""
    return Path(studies or os.environ.get("TOEGANG_STUDIES") or STUDIES)


def study_folder(study_id: str, studies: Path | None = None) -> Path:
    # The id names a folder: refuse anything that could leave the studies folder.
    if not study_id or not NAME_PATTERN.match(study_id):
        raise InstrumentError(f"invalid study id {study_id[:80]!r}: letters, digits, '_' or '-' (at most 64)")
    return studies_dir(studies) / study_id


def study_path(study_id: str, studies: Path | None = None) -> Path:
    """The study file of ``study_id``."""
    return study_folder(study_id, studies) / STUDY_FILE


def study_ids(studies: Path | None = None) -> list[str]:
    """Every study configured in ``studies``: the folders with a study file."""
    return sorted(p.parent.name for p in studies_dir(studies).glob(f"*/{STUDY_FILE}")
                  if NAME_PATTERN.match(p.parent.name))


class _Reader:
    """Reads one study folder, collecting problems with file and line."""

    def __init__(self, folder: Path, shared: Path):
        self.folder, self.shared = folder, shared
        self.problems: list[Problem] = []

    def problem(self, file: Path, item: str, message: str, at: object = None, key: object = None) -> None:
        self.problems.append(Problem(str(file), item, message, yamlfile.line_of(at, key)))

    def read(self, path: Path, required: bool = True) -> object:
        if not path.is_file():
            if required:
                self.problem(path, "", "no such file")
            return None
        try:
            return yamlfile.read(path)
        except InstrumentError as exc:
            self.problems.append(Problem(str(path), "", str(exc).split(": ", 1)[-1]))
            return None

    def layered(self, name: str, shared: list[str]) -> tuple[dict, list[Path]]:
        """Shared ``<name>.yaml`` if imported, then the study's own: its keys add to or replace the shared ones."""
        merged: dict = {}
        paths = []
        for path, wanted in ((self.shared / f"{name}.yaml", name in shared), (self.folder / f"{name}.yaml", True)):
            if not wanted or not path.is_file():
                continue
            doc = self.read(path)
            if doc is None:
                continue
            if not isinstance(doc, dict):
                self.problem(path, "", "expected a mapping", doc)
                continue
            merged.update(doc)
            paths.append(path)
        return merged, paths


def _bool(reader: _Reader, file: Path, raw: Mapping, key: str, default: bool, item: str) -> bool:
    value = raw.get(key, default)
    if not isinstance(value, bool):
        reader.problem(file, item, f"{key} must be true or false, not {str(value)[:40]!r}", raw, key)
        return default
    return value


def _frameworks(reader: _Reader, doc: dict, paths: list[Path]) -> dict[str, Framework]:
    out = {}
    file = paths[-1] if paths else reader.folder / "dimensions.yaml"
    for name, raw in doc.items():
        item = f"framework {name}"
        if not isinstance(name, str) or not CODE_PATTERN.match(name) or not isinstance(raw, dict) \
                or not isinstance(raw.get("dimensions"), dict) or not raw["dimensions"]:
            reader.problem(file, item, "a framework is a name (letters and digits) with a mapping of 'dimensions'",
                           doc, name)
            continue
        dimensions = []
        for code, labels in raw["dimensions"].items():
            if not isinstance(code, str) or not CODE_PATTERN.match(code):
                reader.problem(file, item, f"dimension code {str(code)[:40]!r} must be letters and digits",
                               raw["dimensions"], code)
                continue
            dimensions.append(Dimension(code, multilingual(labels, f"{item} dimension {code}", reader.problems,
                                                           str(file), yamlfile.line_of(raw["dimensions"], code))))
        title = multilingual(raw.get("title"), f"{item} title", reader.problems, str(file),
                             yamlfile.line_of(raw, "title"))
        out[name] = Framework(name, title, tuple(dimensions))
    return out


def _subject_lists(reader: _Reader, path: Path) -> dict[str, SubjectList]:
    doc = reader.read(path, required=False)
    if doc is None:
        return {}
    if not isinstance(doc, dict):
        reader.problem(path, "", "expected a mapping of subject lists", doc)
        return {}
    lists = {}
    for name, raw in doc.items():
        item = f"list {name}"
        if not isinstance(name, str) or not NAME_PATTERN.match(name) or not isinstance(raw, dict):
            reader.problem(path, item, "a subject list is a name with a mapping (role, title, items or question)",
                           doc, name)
            continue
        role = raw.get("role", "service")
        if role not in ROLES:
            reader.problem(path, item, f"role must be one of {', '.join(ROLES)}, not {str(role)[:40]!r}", raw, "role")
        title = multilingual(raw.get("title"), f"{item} title", reader.problems, str(path),
                             yamlfile.line_of(raw, "title"))
        question = raw.get("question")
        if question is not None:
            if not isinstance(question, dict) or not all(isinstance(question.get(k), str)
                                                         for k in ("instrument", "code")):
                reader.problem(path, item, "question must be {instrument: <name>, code: <question code>}",
                               raw, "question")
                continue
            if "items" in raw:
                reader.problem(path, item, "a list has either items or a question, not both", raw, "items")
            lists[name] = SubjectList(name, str(role), title, question=(question["instrument"], question["code"]),
                                      source=str(path))
            continue
        items = raw.get("items")
        if not isinstance(items, list) or not items:
            reader.problem(path, item, "needs 'items' (a list of subjects) or 'question'", raw)
            continue
        subjects, seen = [], set()
        for position, entry in enumerate(items):
            entry = entry if isinstance(entry, dict) else {}
            code = str(entry.get("code", ""))
            where = f"{item} subject {code or '?'}"
            if not CODE_PATTERN.match(code):
                reader.problem(path, where, f"code {code!r} is not a valid LimeSurvey code", items, position)
            if code in seen:
                reader.problem(path, where, "duplicate subject code", items, position)
            seen.add(code)
            names = {}
            for key in ("places", "waves"):
                value = entry.get(key)
                if value is not None and (not isinstance(value, list) or not all(
                        isinstance(x, (str, int)) and not isinstance(x, bool) for x in value)):
                    reader.problem(path, where, f"{key} must be a list of names", entry, key)
                    value = None
                names[key] = tuple(str(x) for x in value or ())
            subjects.append(Subject(code, multilingual(entry, where, reader.problems, str(path),
                                                       yamlfile.line_of(items, position)),
                                    str(entry.get("type", "")), names["places"], names["waves"]))
        lists[name] = SubjectList(name, str(role), title, tuple(subjects), source=str(path))
    return lists


SHARES = ("min_alpha", "disclosure_tolerance")  # publication rules on a 0-1 scale


def _rule_value(kind: type, value: object, share: bool = False) -> tuple[object, str | None]:
    """A publication rule's number as ``kind`` (int: whole), at least 0 (and at most 1 for a ``share``), or
    the problem with it."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0 \
            or (kind is int and value != int(value)) or (share and value > 1):
        return None, (f"must be a {'whole ' if kind is int else ''}number"
                      f"{' between 0 and 1' if share else ' of at least 0'}, not {str(value)[:40]!r}")
    return kind(value), None


def _publication(reader: _Reader, path: Path) -> Publication:
    doc = reader.read(path, required=False)
    if doc is None:
        return Publication()
    if not isinstance(doc, dict):
        reader.problem(path, "", "expected a mapping of publication rules", doc)
        return Publication()
    known = {"min_cell": int, "min_group_for_index": int, "min_percentage_n": int, "min_pairs": int,
             "min_alpha": float, "low_n_eff": float, "disclosure_tolerance": float}
    values: dict = {}
    for key, value in doc.items():
        if key in known:
            number, problem = _rule_value(known[key], value, share=key in SHARES)
            if problem:
                reader.problem(path, key, problem, doc, key)
                continue
            values[key] = number
        elif key == "proportions":
            rules = _proportion_rules(reader, path, value, doc)
            if rules is not None:
                values[key] = rules
        elif key == "unweighted_interval":
            if value not in UNWEIGHTED_INTERVALS:
                reader.problem(path, key, f"{str(value)[:80]!r}: choose {' or '.join(UNWEIGHTED_INTERVALS)}", doc, key)
                continue
            values[key] = value
        elif key == "forbidden_breakdowns":
            if not isinstance(value, list) or not all(isinstance(x, str) and CLEAN_COLUMN_PATTERN.match(x)
                                                      for x in value):
                reader.problem(path, key, "must be a list of clean column names", doc, key)
                continue
            values[key] = tuple(value)
        else:
            named = [*known, "forbidden_breakdowns", "proportions", "unweighted_interval"]
            reader.problem(path, str(key), f"unknown rule (known: {', '.join(named)})", doc, key)
    publication = Publication(**values)
    if publication.min_pairs < publication.min_cell:  # a change rests on its pairs: a cell like any other
        reader.problem(path, "min_pairs", f"must be at least min_cell ({publication.min_cell}), not "
                                          f"{publication.min_pairs}", doc, "min_pairs" if "min_pairs" in doc else None)
    return publication


# publication.yaml's `proportions:` (analyses.standards.ProportionStandards): each rule and its kind.
PROPORTION_RULES = {"min_n_eff_kg": float, "present_width": float, "max_width": float, "max_relative_width": float,
                    "min_df": int}
PROPORTION_ACTIONS = ("flag", "suppress")
UNWEIGHTED_INTERVALS = ("clopper-pearson", "wilson")


def _proportion_rules(reader: _Reader, path: Path, value: object, doc: Mapping) -> dict | None:
    if not isinstance(value, dict):
        reader.problem(path, "proportions", "must be a mapping of the NCHS rules", doc, "proportions")
        return None
    rules: dict = {}
    for key, rule in value.items():
        where = f"proportions.{key}"
        if key == "action":
            if rule not in PROPORTION_ACTIONS:
                reader.problem(path, where, f"must be {' or '.join(PROPORTION_ACTIONS)}, not {str(rule)[:40]!r}",
                               value, key)
                continue
            rules[key] = rule
        elif key in PROPORTION_RULES:
            number, problem = _rule_value(PROPORTION_RULES[key], rule)
            if problem:
                reader.problem(path, where, problem, value, key)
                continue
            rules[key] = number
        else:
            reader.problem(path, where, f"unknown rule (known: action, {', '.join(PROPORTION_RULES)})", value,
                           key)
    return rules


def _breakdowns(reader: _Reader, raw: object, doc: Mapping) -> dict[str, Breakdown]:
    """The study's ``breakdowns:``: a name to its clean column (an SQL identifier, so nothing else may pass),
    title and options."""
    file = reader.folder / STUDY_FILE
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        reader.problem(file, "breakdowns", "must map each breakdown to its column and title", doc, "breakdowns")
        return {}
    out = {}
    for name, entry in raw.items():
        item = f"breakdown {name}"
        if not isinstance(name, str) or not NAME_PATTERN.match(name) or name == "all":
            reader.problem(file, item, "a breakdown's name is letters, digits, '_' or '-' (and not 'all')", raw, name)
            continue
        if not isinstance(entry, dict):
            reader.problem(file, item, "needs column and title", raw, name)
            continue
        column = entry.get("column")
        if not isinstance(column, str) or not CLEAN_COLUMN_PATTERN.fullmatch(column):
            reader.problem(file, item, f"{str(column)[:80]!r} is not a clean column name (a letter, then letters, "
                                       "digits or '_', at most 63)", entry, "column")
            continue
        unknown = set(entry) - {"column", "title", "compare", "sensitivity", "map", *GEOJSON_KEYS}
        if unknown:
            reader.problem(file, item, f"unknown key(s) {', '.join(sorted(map(str, unknown)))}", entry,
                           next(k for k in entry if k in unknown))
        out[name] = Breakdown(name, column, multilingual(entry.get("title"), f"{item} title", reader.problems,
                                                         str(file), yamlfile.line_of(entry, "title")),
                              _bool(reader, file, entry, "compare", False, item),
                              _bool(reader, file, entry, "sensitivity", False, item), yamlfile.line_of(raw, name),
                              _bool(reader, file, entry, "map", False, item))
        if any(k in entry for k in GEOJSON_KEYS):
            out[name] = replace(out[name], areas=_areas(reader, entry, item, out[name].map))
    checks = [b.name for b in out.values() if b.sensitivity]
    if len(checks) > 1:  # indicators.channel_sensitivity holds one breakdown's categories
        reader.problem(file, "breakdowns", f"one breakdown may be a sensitivity check, not {len(checks)} "
                                           f"({', '.join(checks)})", raw)
    return out


GEOJSON_KEYS = ("geojson", "code_property", "schematic")


def _areas(reader: _Reader, entry: Mapping, item: str, drawn: bool) -> AreaFile | None:
    """A breakdown's ``geojson:`` (a file in the study folder), ``code_property:`` (the feature property holding
    the category code; default ``code``) and ``schematic:`` (true for hand-simplified or approximate boundaries,
    which the map then says; required, so the study decides)."""
    file = reader.folder / STUDY_FILE
    name, code_property = entry.get("geojson"), entry.get("code_property", "code")
    if not drawn:
        reader.problem(file, item, "geojson, code_property and schematic need map: true", entry,
                       next(k for k in GEOJSON_KEYS if k in entry))
        return None
    if not isinstance(name, str) or not name or Path(name).is_absolute() or ".." in Path(name).parts:
        reader.problem(file, item, "geojson must name a file in the study folder", entry, "geojson")
        return None
    if not isinstance(code_property, str) or not code_property:
        reader.problem(file, item, "code_property must name the features' property holding the category code",
                       entry, "code_property")
        return None
    if not isinstance(entry.get("schematic"), bool):
        reader.problem(file, item, "schematic: true or false is required with geojson (true: hand-simplified or "
                                   "approximate boundaries, which the map says)", entry, "geojson")
        return None
    return read_areas(reader.folder / name, code_property, entry["schematic"], reader.problems, item, file,
                      yamlfile.line_of(entry, "geojson"))


def _factsheets(reader: _Reader, raw: object, doc: Mapping) -> Factsheets:
    """The study's ``factsheets:``: ``areas`` and ``subjects``, each true or false."""
    file = reader.folder / STUDY_FILE
    if raw is None:
        return Factsheets()
    if not isinstance(raw, dict):
        reader.problem(file, "factsheets", "must map areas and subjects to true or false", doc, "factsheets")
        return Factsheets()
    unknown = [k for k in raw if k not in ("areas", "subjects")]
    if unknown:
        reader.problem(file, "factsheets", f"unknown key(s) {', '.join(sorted(map(str, unknown)))} (known: areas, "
                                           "subjects)", raw, unknown[0])
    return Factsheets(areas=_bool(reader, file, raw, "areas", True, "factsheets"),
                      subjects=_bool(reader, file, raw, "subjects", False, "factsheets"))


def _method(reader: _Reader, raw: object, doc: Mapping) -> dict[str, Labels]:
    """The study's ``method:`` texts for the dashboard's method page, each in nl, fr and en."""
    file = reader.folder / STUDY_FILE
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        reader.problem(file, "method", f"must map method texts ({', '.join(METHOD_TEXTS)}) to a text per language",
                       doc, "method")
        return {}
    texts = {}
    for part, labels in raw.items():
        if part not in METHOD_TEXTS:
            reader.problem(file, "method", f"{str(part)[:40]!r} is not a method text (known: "
                                           f"{', '.join(METHOD_TEXTS)})", raw, part)
            continue
        texts[part] = multilingual(labels, f"method {part}", reader.problems, str(file), yamlfile.line_of(raw, part))
    return texts


# The range a benchmark of each unit must lie in (a share is written between 0 and 1, as the indicators hold it).
BENCHMARK_RANGES = {"proportion": (0.0, 1.0), "index": (0.0, 100.0)}


def _indicator_names(study: Study, measure) -> set[str] | None:
    """Every indicator name a measure can have in the study (its subjects of every wave, and each dimension of
    the framework); None when they cannot be listed (a subject list read from a questionnaire that fails)."""
    subjects: list[str | None] = [None]
    if measure.subject_list is not None:
        if measure.subject_list not in study.lists:
            return None
        try:
            subjects = sorted({code for wave in [None, *study.waves]
                               for code in study.subjects(measure.subject_list, wave)})
        except (InstrumentError, KeyError):
            return None
    dimensions = ([d.code for d in study.framework.dimensions] if study.framework else []) \
        if measure.per_dimension else [None]
    return {".".join(p for p in (measure.name, subject, dimension) if p) for subject in subjects
            for dimension in dimensions}


def _benchmarks(reader: _Reader, raw: object, doc: Mapping, study: Study) -> dict[str, Benchmark]:
    """The study's ``benchmarks:``: indicator name -> ``{value: number, source: {nl, fr, en} or a text}``; an
    unknown indicator, a count, a value that is no number or outside its unit's range, a missing source: each a
    problem with file and line."""
    file = reader.folder / STUDY_FILE
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        reader.problem(file, "benchmarks", "must map indicator names to {value, source}", doc, "benchmarks")
        return {}
    try:
        measures = study.catalogue.measures
    except InstrumentError:  # the catalogue's own problems are reported by instruments check
        measures = {}
    out = {}
    for name, entry in raw.items():
        item = f"benchmarks {str(name)[:60]}"
        measure = measures.get(str(name).split(".", 1)[0])
        names = _indicator_names(study, measure) if measure is not None else set()
        if measure is None or (names is not None and str(name) not in names):
            reader.problem(file, item, "unknown indicator (a measure of indicators.yaml with its subject code and "
                                       "dimension, as the indicator rows name it)", raw, name)
            continue
        if not isinstance(entry, dict) or set(entry) - {"value", "source"}:
            reader.problem(file, item, "must be a mapping with value and source", raw, name)
            continue
        value = entry.get("value")
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            reader.problem(file, item, f"value must be a number, not {str(value)[:40]!r}", entry, "value")
            continue
        if measure.unit == "count":
            reader.problem(file, item, "a count (\"12 of 18\") has no benchmark", entry, "value")
            continue
        low, high = BENCHMARK_RANGES.get(measure.unit, (-math.inf, math.inf))
        if not low <= value <= high:
            hint = " (a share is written between 0 and 1: 0.45 for 45%)" if measure.unit == "proportion" else ""
            reader.problem(file, item, f"value {value:g} is outside {low:g}-{high:g}{hint}", entry, "value")
            continue
        source = entry.get("source")
        if isinstance(source, str) and source.strip():
            source = {lang: source for lang in LANGUAGES}
        elif source is None:
            reader.problem(file, item, "needs a source: where the value comes from ({nl, fr, en} or a text)", entry)
            continue
        else:
            source = multilingual(source, f"{item} source", reader.problems, str(file),
                                  yamlfile.line_of(entry, "source"))
        out[str(name)] = Benchmark(float(value), source, yamlfile.line_of(raw, name))
    return out


def _design(reader: _Reader, raw: object, item: str) -> Design:
    file = reader.folder / STUDY_FILE
    if raw is None:
        return Design()
    if not isinstance(raw, dict) or set(raw) - set(DESIGN_KEYS):
        reader.problem(file, item, f"design takes {', '.join(DESIGN_COLUMNS)} (each a clean column), "
                                   "stratum_sizes, variance and replicates", raw)
        return Design()
    for key in DESIGN_COLUMNS:
        value = raw.get(key)
        if value is not None and (not isinstance(value, str) or not CLEAN_COLUMN_PATTERN.fullmatch(value)):
            reader.problem(file, item, f"design {key}: {str(value)[:80]!r} is not a clean column name", raw, key)
            return Design()
    columns = {k: raw.get(k) for k in DESIGN_COLUMNS}
    sizes = raw.get("stratum_sizes")
    if sizes is not None:
        if sizes != "margins":
            reader.problem(file, item, f"design stratum_sizes: {str(sizes)[:80]!r}: only 'margins' (the survey's "
                                       "margins totals of the strata column)", raw, "stratum_sizes")
            return Design()
        if not columns["strata"] or columns["fpc"] or columns["base_weight"] or columns["psu"]:
            # Its N_h counts persons: the fpc of a sample of persons, not of clusters (psu).
            reader.problem(file, item, "design stratum_sizes: margins needs strata, and gives the fpc and the "
                                       "design weights of a sample of persons itself (no psu, fpc or base_weight "
                                       "beside it)", raw, "stratum_sizes")
            return Design()
    variance = raw.get("variance", "linearisation")
    if variance not in VARIANCE_METHODS:
        reader.problem(file, item, f"design variance: {str(variance)[:80]!r}: choose {' or '.join(VARIANCE_METHODS)}",
                       raw, "variance")
        return Design()
    replicates = raw.get("replicates")
    if replicates is not None and variance != "replicates":
        reader.problem(file, item, "design replicates: given, but variance is not 'replicates'", raw, "replicates")
        return Design()
    options = {}
    if variance == "replicates":
        replicates = {} if replicates is None else replicates
        method = replicates.get("method", "jackknife") if isinstance(replicates, dict) else None
        count, seed = (replicates.get(k) for k in ("count", "seed")) if isinstance(replicates, dict) else (None, None)
        good = (isinstance(replicates, dict) and not set(replicates) - {"method", "count", "seed"}
                and method in REPLICATE_METHODS
                and (count is None or isinstance(count, int) and not isinstance(count, bool) and count >= 2)
                and (seed is None or isinstance(seed, int) and not isinstance(seed, bool) and 0 <= seed < 2**63)
                and not (method == "jackknife" and count is not None))
        if not good:
            reader.problem(file, item, "design replicates: {method: jackknife} (one replicate per PSU) or {method: "
                                       "bootstrap, count: <at least 2>, seed: <a whole number from 0>}", raw,
                           "replicates")
            return Design()
        if method == "bootstrap" and columns["fpc"]:
            reader.problem(file, item, "design replicates: the bootstrap (Rao-Wu) has no finite population "
                                       "correction: leave out fpc, or use the jackknife", raw, "replicates")
            return Design()
        if method == "bootstrap" and seed is None:  # the published SEs must come out the same on every run
            reader.problem(file, item, "design replicates: a bootstrap needs a seed, so every run draws the same "
                                       "replicates", raw, "replicates")
            return Design()
        options = {"method": method, "count": count or (DEFAULT_BOOTSTRAP if method == "bootstrap" else None),
                   "seed": seed}
    return Design(**columns, stratum_sizes=sizes, variance=variance, **options)


# study.yaml `synthetic:` per instrument: each key's kind and range (low, high; None: unbounded).
SYNTHETIC_KEYS = {"responses": (int, 1, None), "panel": (float, 0, 1), "retention": (float, 0, 1),
                  "joiners": (int, 0, None), "skip": (float, 0, 1), "drift": (float, -2, 2), "days": (int, 1, 3650)}
COHORT_KEYS = ("joiners", "skip", "drift")  # only with retention: they describe a cohort


def _synthetic_number(key: str, value: object) -> tuple[object, str | None]:
    kind, low, high = SYNTHETIC_KEYS[key]
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) \
            or (kind is int and value != int(value)) or value < low or (high is not None and value > high):
        return None, (f"{key} must be a {'whole ' if kind is int else ''}number from {low}"
                      f"{f' to {high}' if high is not None else ''}, not {str(value)[:40]!r}")
    return kind(value), None


def _implies(reader: _Reader, raw: object, where: str, at: Mapping) -> dict:
    file = reader.folder / STUDY_FILE
    good = isinstance(raw, dict) and all(
        isinstance(column, str) and isinstance(codes, dict) and all(
            isinstance(code, (str, int)) and not isinstance(code, bool) and isinstance(fixed, dict) and fixed
            and all(isinstance(k, str) and isinstance(v, (str, int)) and not isinstance(v, bool)
                    for k, v in fixed.items())
            for code, fixed in codes.items())
        for column, codes in raw.items())
    if not good:
        reader.problem(file, where, "implies: {<column>: {<answer code>: {<other column>: <answer code>}}}", at,
                       "implies")
        return {}
    return {column: {str(code): {k: str(v) for k, v in fixed.items()} for code, fixed in codes.items()}
            for column, codes in raw.items()}


def _synthetic(reader: _Reader, raw: object, doc: Mapping, roles: tuple[InstrumentRole, ...]) -> Synthetic:
    """The study's ``synthetic:`` section (instruments.generate reads it); every problem with file and line."""
    file = reader.folder / STUDY_FILE
    if raw is None:
        return Synthetic()
    if not isinstance(raw, dict) or set(raw) - {"seed", "instruments"}:
        reader.problem(file, "synthetic", "takes seed (a whole number) and instruments (name: settings)", doc,
                       "synthetic")
        return Synthetic()
    seed = raw.get("seed")
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed < 2**63):
        reader.problem(file, "synthetic", f"seed must be a whole number from 0, not {str(seed)[:40]!r}", raw, "seed")
        seed = None
    entries = raw.get("instruments") or {}
    if not isinstance(entries, dict):
        reader.problem(file, "synthetic", "instruments must map instrument names to their settings", raw,
                       "instruments")
        entries = {}
    names = {r.name for r in roles}
    out = {}
    for name, entry in entries.items():
        where = f"synthetic instrument {name}"
        if name not in names:
            reader.problem(file, where, f"not one of the study's instruments ({', '.join(sorted(names))})", entries,
                           name)
            continue
        if not isinstance(entry, dict):
            reader.problem(file, where, f"a mapping of {', '.join(SYNTHETIC_KEYS)} and implies", entries, name)
            continue
        values: dict = {"line": yamlfile.line_of(entries, name)}
        for key, value in entry.items():
            if key == "implies":
                values[key] = _implies(reader, value, where, entry)
                continue
            if key not in SYNTHETIC_KEYS:
                reader.problem(file, where, f"unknown key {str(key)[:40]!r} (known: {', '.join(SYNTHETIC_KEYS)}, "
                                            "implies)", entry, key)
                continue
            number, problem = _synthetic_number(key, value)
            if problem:
                reader.problem(file, where, problem, entry, key)
                continue
            values[key] = number
        if "retention" in values and "panel" in values:
            reader.problem(file, where, "panel (a share of returning respondents) or retention (a cohort), not both",
                           entry, "panel")
            values.pop("panel")
        cohort_only = [k for k in COHORT_KEYS if k in values and "retention" not in values]
        if cohort_only:
            reader.problem(file, where, f"{', '.join(cohort_only)}: only for a cohort (give retention)", entry,
                           cohort_only[0])
            for k in cohort_only:
                values.pop(k)
        out[name] = SyntheticInstrument(**values)
    return Synthetic(seed, out)


def _instruments(reader: _Reader, raw: object, doc: Mapping) -> tuple[InstrumentRole, ...]:
    file = reader.folder / STUDY_FILE
    if not isinstance(raw, dict) or not raw:
        reader.problem(file, "instruments", "declare the study's instruments: name: {weighted: true|false}", doc,
                       "instruments" if "instruments" in doc else None)
        return ()
    roles = []
    for name, entry in raw.items():
        item = f"instrument {name}"
        entry = {} if entry is None else entry
        if not isinstance(name, str) or not NAME_PATTERN.match(name) or not isinstance(entry, dict):
            reader.problem(file, item, "an instrument is a name (letters, digits, '_' or '-') with its role", raw, name)
            continue
        unknown = set(entry) - {"weighted", "breakdowns", "definition", "respondents", "panel", "professionals"}
        if unknown:
            reader.problem(file, item, f"unknown key(s) {', '.join(sorted(map(str, unknown)))}", entry,
                           next(k for k in entry if k in unknown))
        definition = entry.get("definition", f"instruments/{name}.yaml")
        path = reader.folder / str(definition)
        # A study is its folder: a definition elsewhere would make the study depend on files it does not hold.
        if not path.resolve().is_relative_to(reader.folder.resolve()):
            reader.problem(file, item, f"definition {str(definition)[:80]!r} is outside the study folder", entry,
                           "definition")
        elif not path.is_file():
            reader.problem(file, item, f"no definition {path}", raw, name)
        weighted = _bool(reader, file, entry, "weighted", False, item)
        respondents = None
        if "respondents" in entry:
            respondents = multilingual(entry["respondents"], f"{item} respondents", reader.problems, str(file),
                                       yamlfile.line_of(entry, "respondents"))
        elif len(raw) > 1:  # the dashboards tell the instruments' answers apart by who gave them
            reader.problem(file, item, "respondents: who answers it, a plural noun per language (nl, fr, en), "
                                       "is needed when a study has more than one instrument", raw, name)
        roles.append(InstrumentRole(name, path, weighted, _bool(reader, file, entry, "breakdowns", True, item),
                                    respondents, _bool(reader, file, entry, "panel", False, item),
                                    _bool(reader, file, entry, "professionals", False, item)))
        if weighted and roles[-1].panel:
            reader.problem(file, item, "a panel is not weighted: its changes are on the same persons", entry, "panel")
    weighted = [r.name for r in roles if r.weighted]
    if len(weighted) > 1:
        reader.problem(file, "instruments", f"one weighted instrument per study, not {len(weighted)} "
                                            f"({', '.join(weighted)}): the weighted layer keeps one weight per "
                                            "respondent of a wave", raw)
    return tuple(roles)


def _surveys(reader: _Reader, doc: Mapping, roles: tuple[InstrumentRole, ...]) -> tuple[Survey, ...]:
    file = reader.folder / STUDY_FILE
    raw = doc.get("surveys")
    if not isinstance(raw, list) or not raw:
        reader.problem(file, "surveys", "expected a list of 'surveys'", doc, "surveys" if "surveys" in doc else None)
        return ()
    names = {r.name: r for r in roles}
    surveys = []
    for i, s in enumerate(raw, start=1):
        if not isinstance(s, dict):
            reader.problem(file, f"survey {i}", "needs survey_id (a number), instrument and wave", raw, i - 1)
            continue
        try:
            survey_id = int(s["survey_id"])
            instrument = str(s["instrument"])
            wave = str(s["wave"])
        except (KeyError, TypeError, ValueError, OverflowError):
            reader.problem(file, f"survey {i}", "needs survey_id (a number), instrument and wave", raw, i - 1)
            continue
        item = f"survey {survey_id}"
        bad = False
        for key, value in (("instrument", instrument), ("wave", wave)):
            if not NAME_PATTERN.match(value):  # both name files (definitions, .lss) and HTML ids
                reader.problem(file, item, f"{key} {value[:80]!r} must be letters, digits, '_' or '-' (at most 64)",
                               s, key)
                bad = True
        if not bad and instrument not in names:
            reader.problem(file, item, f"instrument {instrument!r} is not one of the study's instruments "
                                       f"({', '.join(names) or 'none'})", s, "instrument")
        for key in ("export", "margins"):
            if s.get(key) is not None and not isinstance(s[key], str):
                reader.problem(file, item, f"{key} must be a file name", s, key)
                bad = True
        if bad:
            continue
        export, margins = (reader.folder / s[key] if s.get(key) else None for key in ("export", "margins"))
        if margins is not None and instrument in names and not names[instrument].weighted:
            reader.problem(file, item, f"margins given, but instrument {instrument!r} is not weighted", s, "margins")
        if s.get("design") is not None and margins is None:
            reader.problem(file, item, "design given, but no margins: a design serves the weighting of a weighted "
                                       "instrument's survey", s, "design")
        source = str(s.get("source") or ("file" if export else "limesurvey"))
        if source not in ("file", "limesurvey", "inbox") or (source == "file" and export is None):
            reader.problem(file, item, f"source must be file (with an export), limesurvey or inbox, not {source!r}",
                           s, "source")
            continue
        surveys.append(Survey(survey_id, instrument, wave, export, margins, source,
                              _design(reader, s.get("design"), item), yamlfile.line_of(raw, i - 1)))
    ids = [s.survey_id for s in surveys]
    if len(set(ids)) != len(ids):
        reader.problem(file, "surveys", "a survey id appears twice", doc, "surveys")
    return tuple(surveys)


def _chosen_framework(reader: _Reader, raw: object, frameworks: Mapping[str, Framework],
                      doc: Mapping) -> tuple[Framework | None, Section | None]:
    file = reader.folder / STUDY_FILE
    if raw is None:
        return None, None
    if not isinstance(raw, dict) or not isinstance(raw.get("framework"), str) or raw["framework"] not in frameworks:
        reader.problem(file, "dimensions", f"framework must name an imported framework "
                                           f"({', '.join(frameworks) or 'none: import dimensions'})", doc, "dimensions")
        return None, None
    framework = frameworks[raw["framework"]]
    about = raw.get("about") or {}
    if not isinstance(about, dict):
        reader.problem(file, "dimensions", "about must map dimension codes to texts", raw, "about")
        about = {}
    for code in about:
        if code not in framework.codes:
            reader.problem(file, "dimensions", f"about: {str(code)[:40]!r} is not a dimension of "
                                               f"{framework.name!r}", about, code)
    dimensions = tuple(Dimension(d.code, d.labels, multilingual(about[d.code], f"dimensions about {d.code}",
                                                                reader.problems, str(file),
                                                                yamlfile.line_of(about, d.code))
                                 if d.code in about else None) for d in framework.dimensions)
    other = raw.get("other")
    section = None
    if other is not None:
        if not isinstance(other, dict):
            reader.problem(file, "dimensions", "other must have a title (and an about)", raw, "other")
        else:
            section = Section(multilingual(other.get("title"), "dimensions other title", reader.problems, str(file),
                                           yamlfile.line_of(other, "title")),
                              multilingual(other["about"], "dimensions other about", reader.problems, str(file),
                                           yamlfile.line_of(other, "about")) if other.get("about") else None)
    return Framework(framework.name, framework.title, dimensions), section


def read_study(folder: Path, shared: Path = SHARED) -> tuple[Study | None, list[Problem]]:
    """The study of ``folder``, and every problem of its files (the study is None when it cannot be used).
    ``shared`` is the folder of shared material it may import."""
    reader = _Reader(folder, shared)
    file = folder / STUDY_FILE
    doc = reader.read(file)
    if doc is None and reader.problems:
        return None, reader.problems
    if not isinstance(doc, dict):  # an empty file reads as None
        reader.problem(file, "", "expected a mapping with study_id, instruments and surveys", doc)
        return None, reader.problems
    own_id = str(doc.get("study_id", folder.name))
    if own_id != folder.name:  # the folder is the id: inbox, home and site folders are named by it
        reader.problem(file, "study_id", f"{own_id[:80]!r} differs from the folder's name {folder.name!r}", doc,
                       "study_id")
    shared = doc.get("shared") or []
    if not isinstance(shared, list) or not all(x in SHARED_FILES for x in shared):
        reader.problem(file, "shared", f"a list of shared files to import ({', '.join(SHARED_FILES)})", doc, "shared")
        shared = []
    scales, _ = reader.layered("scales", shared)
    frameworks = _frameworks(reader, *reader.layered("dimensions", shared))
    quality = folder / "quality.yaml" if (folder / "quality.yaml").is_file() else \
        reader.shared / "quality.yaml" if "quality" in shared else None
    roles = _instruments(reader, doc.get("instruments"), doc)
    framework, other = _chosen_framework(reader, doc.get("dimensions"), frameworks, doc)
    weighting, schedule = doc.get("weighting") or {}, doc.get("schedule") or {}
    trim, min_effective_sample = None, 30.0
    if not isinstance(weighting, dict) or not isinstance(schedule, dict):
        reader.problem(file, "", "'weighting' and 'schedule' must be mappings", doc)
    else:
        try:
            trim = tuple(float(x) for x in weighting["trim"]) if weighting.get("trim") else None
            min_effective_sample = float(weighting.get("min_effective_sample", 30))
            if trim is not None and len(trim) != 2:
                raise ValueError("two numbers")
        except (TypeError, ValueError, OverflowError) as exc:
            reader.problem(file, "weighting", f"trim must be two numbers (lower, upper) and min_effective_sample a "
                                              f"number ({exc})", doc, "weighting")
            trim = None
    study = Study(
        study_id=folder.name,
        title=multilingual(doc.get("title"), "title", reader.problems, str(file), yamlfile.line_of(doc, "title")),
        surveys=_surveys(reader, doc, roles),
        path=folder,
        instruments=roles,
        lists=_subject_lists(reader, folder / "subjects.yaml"),
        frameworks=frameworks,
        framework=framework,
        other_section=other,
        scales=scales,
        quality_path=quality,
        breakdowns=_breakdowns(reader, doc.get("breakdowns"), doc),
        publication=_publication(reader, folder / "publication.yaml"),
        method=_method(reader, doc.get("method"), doc),
        demo_pseudonym_key=doc.get("demo_pseudonym_key"),
        trim=trim,
        min_effective_sample=min_effective_sample,
        ingest_cron=str(schedule.get("ingest", "0 * * * *")) if isinstance(schedule, dict) else "0 * * * *",
        rescan_cron=str(schedule.get("rescan", "30 3 * * 0")) if isinstance(schedule, dict) else "30 3 * * 0",
        synthetic=_synthetic(reader, doc.get("synthetic"), doc, roles),
        factsheets=_factsheets(reader, doc.get("factsheets"), doc),
    )
    waves: dict[str, set[str]] = {}
    for survey in study.surveys:
        waves.setdefault(survey.instrument, set()).add(survey.wave)
    plans = read_fieldwork(doc.get("fieldwork"), lambda item, message, at, key: reader.problem(
        file, item, message, at, key), waves, study.breakdown_columns)
    return replace(study, fieldwork=plans, benchmarks=_benchmarks(reader, doc.get("benchmarks"), doc, study)), \
        reader.problems


def load_study(study_id: str, studies: Path | None = None, shared: Path = SHARED) -> Study:
    """The study ``studies/<study_id>/`` (default: ``studies_dir()``, importing from ``shared``); every problem of
    its files raised together as one ``InstrumentError``."""
    folder = study_folder(study_id, studies)
    if not (folder / STUDY_FILE).is_file():
        raise InstrumentError(f"{folder / STUDY_FILE}: no such study configuration")
    study, problems = read_study(folder, shared)
    if problems or study is None:
        raise InstrumentError("\n".join(str(p) for p in problems))
    return study


def check_study(study: Study) -> list[Problem]:
    """Every problem of every instrument in every wave of the study (mirror items that do not exist in the
    mirror instrument, subject lists built from questions that do not exist), of its breakdowns and
    designs; the same problem in several waves is reported once. Empty when all is well."""
    from instruments.catalogue import check_catalogue, read_catalogue

    problems: list[Problem] = []
    file = str(study.file)
    columns: dict[str, set[str]] = {}
    by_wave: dict[str, dict[str, Instrument]] = {}
    for wave in study.waves or [None]:
        built = {role.name: build_instrument(role.path, problems, context=study.context, wave=wave)
                 for role in study.instruments}
        by_wave[wave] = {name: instrument for name, instrument in built.items() if instrument is not None}
        for name, instrument in built.items():
            if instrument is None:
                continue
            columns.setdefault(name, set()).update(c.variable for c in instrument.columns() if not c.free_text)
            mirror = built.get(instrument.mirror_instrument or "")
            if instrument.mirror_instrument and mirror is None:
                if instrument.mirror_instrument not in built:
                    problems.append(Problem(instrument.source, "mirror_instrument", f"{instrument.mirror_instrument!r} "
                                            f"is not one of the study's instruments ({', '.join(built)})"))
                continue
            names_in_mirror = {c.name for c in mirror.columns()} if mirror else set()
            for column in instrument.columns():
                target = column.subquestion.mirror if column.subquestion else None
                if target and target not in names_in_mirror:
                    problems.append(Problem(instrument.source, f"question {column.question.code!r} subquestion "
                                            f"{column.subquestion.code}", f"mirror item {target!r} does not exist in "
                                            f"{instrument.mirror_instrument}", column.subquestion.line))
        for subject_list in study.lists.values():
            if subject_list.question is None:
                continue
            name, code = subject_list.question
            instrument = built.get(name)
            if name not in built:
                problems.append(Problem(subject_list.source, f"list {subject_list.name}",
                                        f"question: instrument {name!r} is not one of the study's instruments"))
            elif instrument is not None and not any(q.code == code and q.subquestions for q in instrument.questions):
                problems.append(Problem(subject_list.source, f"list {subject_list.name}",
                                        f"question: {name} has no question {code!r} with subquestions"))
    broken_down = [r.name for r in study.instruments if r.breakdowns]
    # The columns naming a professional's organisation or role, in any wave: no breakdown may use them (one
    # not broken down is published whole; a column of its name then breaks down the other instruments only).
    identifying = {c.variable: (role.name, c.question.identifies) for role in study.instruments
                   if role.professionals and role.breakdowns
                   for built in by_wave.values() if role.name in built
                   for c in built[role.name].columns() if c.question.identifies}
    for breakdown in study.breakdowns.values():
        where = f"breakdown {breakdown.name}"
        if breakdown.column in identifying:
            name, what = identifying[breakdown.column]
            problems.append(Problem(file, where, f"column {breakdown.column!r} identifies the {what} of {name}'s "
                                                 "respondents, who are professionals: they are never broken down by "
                                                 "it (DOMAIN.md section 5)", breakdown.line))
        elif breakdown.column in study.publication.forbidden_breakdowns:
            problems.append(Problem(file, where, f"column {breakdown.column!r} is a forbidden breakdown "
                                                 "(publication.yaml)", breakdown.line))
        elif breakdown.column not in METADATA_COLUMNS and not any(breakdown.column in columns.get(name, ())
                                                                  for name in broken_down):
            problems.append(Problem(file, where, f"no instrument that is broken down ({', '.join(broken_down)}) "
                                                 f"has the column {breakdown.column!r}", breakdown.line))
        categories = _categories(breakdown.column, by_wave, broken_down) if breakdown.areas else set()
        if categories:  # none: the column is missing, said above
            problems += check_codes(breakdown.areas, categories, where)
    for wave in study.waves:
        # One weighting per wave: its surveys of the weighted instrument share their margins and design.
        raked = [s for s in study.surveys_in(wave) if s.instrument in study.weighted_instruments and s.margins]
        if len({(s.margins, s.design) for s in raked}) > 1:
            problems.append(Problem(file, f"survey {raked[1].survey_id}", f"wave {wave}'s surveys of "
                                    f"{raked[0].instrument} are raked together: give them the same margins and "
                                    "design", raked[1].line))
    for survey in study.surveys:
        for column in survey.design.columns():
            if columns.get(survey.instrument) is not None and column not in columns[survey.instrument]:
                problems.append(Problem(file, f"survey {survey.survey_id}", f"design column {column!r} is not a "
                                                                            f"column of {survey.instrument}",
                                        survey.line))
    # The generator's `implies:` refers to the questionnaires: checked here, not only when responses are made.
    from instruments.generate import implied_answers

    for name, settings in study.synthetic.instruments.items():
        for built in by_wave.values():
            if settings.implies and name in built:
                try:
                    implied_answers(study, built[name], settings)
                except InstrumentError as exc:
                    problems.append(Problem(file, f"synthetic instrument {name}",
                                            str(exc).split(": implies: ", 1)[-1], settings.line))
    problems += check_fieldwork(study.fieldwork, by_wave, file)
    if study.catalogue_path.is_file():
        catalogue = read_catalogue(study.catalogue_path, problems)
        if not problems:  # what it refers to is checked on sound instruments only
            problems += check_catalogue(catalogue, study, by_wave)
    unique: list[Problem] = []
    for p in problems:
        if p not in unique:
            unique.append(p)
    return unique


def _categories(column: str, by_wave: Mapping[str | None, Mapping[str, Instrument]], names: list[str]) -> set[str]:
    """The codes a breakdown on ``column`` can take: its question's answers in the instruments ``names`` in
    any wave (the survey language's: the languages)."""
    if column == SURVEY_LANGUAGE:
        return set(LANGUAGES)
    return {answer.code for built in by_wave.values() for name in names if name in built
            for c in built[name].columns() if c.variable == column for answer in c.question.answer_options()}


def all_instruments(studies: Path | None = None) -> list[str]:
    """Every instrument name of every configured study, in study order."""
    names: dict[str, None] = {}
    for study_id in study_ids(studies):
        names.update(dict.fromkeys(load_study(study_id, studies).instrument_names))
    return list(names)


def all_waves(studies: Path | None = None) -> list[str]:
    """Every wave of every configured study: the partition keys of the pipeline."""
    waves: set[str] = set()
    for study_id in study_ids(studies):
        waves.update(load_study(study_id, studies).waves)
    return sorted(waves)
