"""Study configuration: which LimeSurvey surveys make up a study, with their instrument and wave.

A study file (``instruments/studies/<study>.yaml``) maps each survey id to its instrument, wave and,
for file-based ingestion, the export file to read; and each breakdown of the indicators to the clean
column that holds its categories.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from instruments.loader import (CATALOGUES, ServiceCatalogue, load_instrument, load_service_catalogue,
                                multilingual)
from instruments.model import CLEAN_COLUMN_PATTERN, NAME_PATTERN, Instrument, InstrumentError
from instruments.vocabulary import BREAKDOWNS

STUDIES = Path(__file__).parent / "studies"
DEMO_STUDY = "demo-brussels"


@dataclass(frozen=True)
class Survey:
    survey_id: int
    instrument: str
    wave: str
    export: Path | None = None
    margins: Path | None = None  # population margins for weighting (parents only)
    # "file" (the export named above), "limesurvey" (the RemoteControl API) or "inbox" (only files
    # dropped in the inbox); default: "file" when an export is named, else "limesurvey".
    source: str = "limesurvey"


@dataclass(frozen=True)
class Study:
    study_id: str
    title: dict[str, str]
    surveys: tuple[Survey, ...]
    path: Path
    catalogue_path: Path
    # Only synthetic demo studies carry a key in their file; real ones take TOEGANG_PSEUDONYM_KEY.
    demo_pseudonym_key: str | None = None
    trim: tuple[float, float] | None = None  # weight bounds relative to the mean, e.g. (0.3, 3); off by default
    min_effective_sample: float = 30.0
    ingest_cron: str = "0 * * * *"  # new and changed responses, hourly
    rescan_cron: str = "30 3 * * 0"  # every stored id again (edits), weekly
    # Breakdown (vocabulary.BREAKDOWNS, but not "all") -> the clean column holding its categories.
    breakdowns: dict[str, str] = field(default_factory=dict)

    @property
    def waves(self) -> list[str]:
        return sorted({s.wave for s in self.surveys})

    def surveys_in(self, wave: str) -> list[Survey]:
        return [s for s in self.surveys if s.wave == wave]

    def catalogue(self) -> ServiceCatalogue:
        return load_service_catalogue(self.catalogue_path)

    def instrument(self, name: str, wave: str) -> Instrument:
        """The questionnaire as fielded in a wave: the definition with the wave's services."""
        return load_instrument(name, catalogue=self.catalogue(), wave=wave)


def study_path(study_id: str, studies: Path = STUDIES) -> Path:
    # The id names a file: refuse anything that could leave the studies folder.
    if not study_id or "/" in study_id or "\\" in study_id or study_id.startswith("."):
        raise InstrumentError(f"invalid study id {study_id!r}")
    return studies / f"{study_id}.yaml"


def load_study(study_id: str, studies: Path = STUDIES) -> Study:
    path = study_path(study_id, studies)
    if not path.is_file():
        raise InstrumentError(f"{path}: no such study configuration")
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError, UnicodeDecodeError) as exc:
        raise InstrumentError(f"{path}: cannot read study configuration: {exc}") from exc
    if not isinstance(doc, dict) or not isinstance(doc.get("surveys"), list) or not doc["surveys"]:
        raise InstrumentError(f"{path}: expected 'study_id' and a list of 'surveys'")
    surveys = []
    for i, s in enumerate(doc["surveys"], start=1):
        try:
            survey_id = int(s["survey_id"])
            instrument = str(s["instrument"])
            wave = str(s["wave"])
        except (KeyError, TypeError, ValueError, OverflowError) as exc:
            raise InstrumentError(f"{path}: survey {i} needs survey_id (a number), instrument and wave") from exc
        for key, value in (("instrument", instrument), ("wave", wave)):
            if not NAME_PATTERN.match(value):  # both name files (definitions, .lss) and HTML ids
                raise InstrumentError(f"{path}: survey {survey_id}: {key} {value[:80]!r} must be letters, digits, "
                                      "'_' or '-' (at most 64)")
        for key in ("export", "margins"):
            if s.get(key) is not None and not isinstance(s[key], str):
                raise InstrumentError(f"{path}: survey {survey_id}: {key} must be a file name")
        export, margins = (path.parent / s[key] if s.get(key) else None for key in ("export", "margins"))
        source = str(s.get("source") or ("file" if export else "limesurvey"))
        if source not in ("file", "limesurvey", "inbox") or (source == "file" and export is None):
            raise InstrumentError(f"{path}: survey {survey_id}: source must be file (with an export), "
                                  f"limesurvey or inbox, not {source!r}")
        surveys.append(Survey(survey_id, instrument, wave, export, margins, source))
    ids = [s.survey_id for s in surveys]
    if len(set(ids)) != len(ids):
        raise InstrumentError(f"{path}: a survey id appears twice")
    own_id = str(doc.get("study_id", study_id))
    try:
        study_path(own_id)  # the id names folders (inbox, build): refuse one that leaves them
    except InstrumentError as exc:
        raise InstrumentError(f"{path}: {exc}") from None
    weighting, schedule = doc.get("weighting") or {}, doc.get("schedule") or {}
    if not isinstance(weighting, dict) or not isinstance(schedule, dict):
        raise InstrumentError(f"{path}: 'weighting' and 'schedule' must be mappings")
    if doc.get("catalogue") is not None and not isinstance(doc["catalogue"], str):
        raise InstrumentError(f"{path}: 'catalogue' must be a file name")
    try:
        trim = tuple(float(x) for x in weighting["trim"]) if weighting.get("trim") else None
        min_effective_sample = float(weighting.get("min_effective_sample", 30))
    except (TypeError, ValueError, OverflowError) as exc:
        raise InstrumentError(f"{path}: weighting: trim must be two numbers and min_effective_sample a "
                              f"number ({exc})") from None
    if trim is not None and len(trim) != 2:
        raise InstrumentError(f"{path}: weighting: trim must be two numbers (lower, upper)")
    return Study(
        study_id=own_id,
        title=multilingual(doc.get("title") if isinstance(doc.get("title"), dict) else {}, f"{path} title"),
        surveys=tuple(surveys),
        path=path,
        catalogue_path=(path.parent / doc["catalogue"]) if doc.get("catalogue") else CATALOGUES / f"{path.stem}.yaml",
        demo_pseudonym_key=doc.get("demo_pseudonym_key"),
        trim=trim,
        min_effective_sample=min_effective_sample,
        ingest_cron=str(schedule.get("ingest", "0 * * * *")),
        rescan_cron=str(schedule.get("rescan", "30 3 * * 0")),
        breakdowns=_breakdowns(doc.get("breakdowns"), path),
    )


def _breakdowns(raw: object, path: Path) -> dict[str, str]:
    """The study's ``breakdowns:`` mapping, checked: a known breakdown name to a clean column name (the
    column becomes an SQL identifier, so nothing else may pass)."""
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise InstrumentError(f"{path}: 'breakdowns' must map each breakdown to a clean column")
    names = [b for b in BREAKDOWNS if b != "all"]
    out = {}
    for name, column in raw.items():
        if name not in names:
            raise InstrumentError(f"{path}: breakdowns: unknown breakdown {str(name)[:80]!r} "
                                  f"(one of {', '.join(names)})")
        if not isinstance(column, str) or not CLEAN_COLUMN_PATTERN.fullmatch(column):
            raise InstrumentError(f"{path}: breakdowns: {name}: {str(column)[:80]!r} is not a clean column name "
                                  "(a letter, then letters, digits or '_', at most 63)")
        out[name] = column
    return out


def all_waves(studies: Path = STUDIES) -> list[str]:
    """Every wave of every configured study: the partition keys of the pipeline."""
    waves: set[str] = set()
    for path in sorted(studies.glob("*.yaml")):
        waves.update(load_study(path.stem, studies).waves)
    return sorted(waves)
