"""A synthetic demo study shaped like the 2018 Brussels survey and its 2021 Molenbeek follow-up.

Seeded and deterministic: the same seed gives byte-identical export files on every run. The files are
what LimeSurvey itself would export (see ``limesurvey_export``), with columns taken from the instrument
definitions, so the demo exercises exactly the path real data takes.

The sample is skewed the way recruitment through services skews it (DOMAIN.md section 4): too many
highly educated and Dutch-speaking parents, so that weighting will matter. Some responses are
incomplete, some answers are missing or "don't know", and a few parents decline consent.

Scale items are correlated as a real questionnaire's are: each respondent has a general sense of how
accessible services are and a latent score per accessibility dimension around it, and the items of a
dimension load on that score, so the scales are reliable (Cronbach's alpha about 0.8) and their indices
published. Field actors (interviewed face to face: no incomplete interview) rate the services they know
well, most of them the well-known ones, so in a wave of at least 31 some of their indices, and the gaps to
the parents', rest on enough of them to be published.
"""

from __future__ import annotations

import math
import random
import string
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from instruments.limesurvey_export import META_COLUMNS, write_csv, write_json
from instruments.model import Instrument
from instruments.study import DEMO_STUDY, STUDIES, load_study

SEED = 20181
_TOKEN_CHARS = string.ascii_letters + string.digits


@dataclass(frozen=True)
class WaveDesign:
    wave: str
    parent_survey: int
    field_actor_survey: int
    parents: int
    field_actors: int
    fieldwork_start: datetime
    fieldwork_days: int
    neighbourhood_shares: dict[str, float]  # of the sample, not of the population


WAVES = (
    WaveDesign(
        "2018", 418201, 418202, parents=277, field_actors=31,
        fieldwork_start=datetime(2018, 6, 4, 9, 0), fieldwork_days=200,
        neighbourhood_shares={"W01": 0.30, "W02": 0.22, "W03": 0.13, "W04": 0.35},
    ),
    # The follow-up centred on three Molenbeek neighbourhoods: few parents from the rest of Brussels,
    # so that small-cell suppression shows on the dashboard.
    WaveDesign(
        "2021", 421201, 421202, parents=214, field_actors=28,
        fieldwork_start=datetime(2021, 2, 1, 9, 0), fieldwork_days=120,
        neighbourhood_shares={"W01": 0.38, "W02": 0.33, "W03": 0.25, "W04": 0.04},
    ),
)

# Awareness of each service: a base log-odds, raised for Dutch speakers where the service is run by the
# Flemish community (the 2018 finding that services were too little known, more so outside Dutch networks).
_AWARENESS = {"S01": (1.6, 0.2), "S02": (-0.6, 1.0), "S03": (1.1, 0.3), "S04": (-1.0, 0.6),
              "S05": (-0.3, 0.4), "S06": (-1.4, 0.5), "S07": (-0.8, 0.2)}
# How well field actors know each service (well enough to judge it): nearly all know the clinic and childcare.
_FIELD_ACTOR_KNOWS = {"S01": 0.99, "S02": 0.85, "S03": 0.98, "S04": 0.75, "S05": 0.8, "S06": 0.65, "S07": 0.8}
# The parents' mean score per dimension relative to their general score (1-5 scale): waiting lists and not
# knowing what a service offers weigh most, cost least (most services are free).
_DIMENSION_SHIFT = {"beschikbaar": -0.35, "bereikbaar": 0.1, "betaalbaar": 0.35, "begrijpbaar": -0.15,
                    "bruikbaar": 0.1, "bekend": -0.4, "betrouwbaar": 0.15}
_USE_GIVEN_AWARE = {"S01": 0.6, "S02": 0.3, "S03": 0.45, "S04": 0.2, "S05": 0.35, "S06": 0.15, "S07": 0.4}
_OTHER_LANGUAGES = ["Arabisch", "Berbers (Tamazight)", "Turks", "Roemeens", "Spaans", "Pools", "Lingala"]
_COMMENTS_OTHER = {
    "nl": ["Via de school van mijn oudste", "De moskee"],
    "fr": ["Par l'école de mon aîné", "À la pharmacie"],
    "en": ["Through my employer", "Expat Facebook group"],
}
_COMMENTS = {
    "nl": ["Meer info in het Nederlands én Frans graag.",
           'Het "Huis van het Kind" is top; de wachtlijst voor opvang niet.',
           "Graag ook op zaterdag open.\nDank voor deze bevraging!"],
    "fr": ["Plus d'informations en français, s'il vous plaît.",
           "Les horaires ne conviennent pas quand on travaille ; dommage.",
           "Merci pour l'accueil « chaleureux » à la consultation."],
    "en": ["Hard to find information in English.",
           "Great staff, but the waiting list was long; we gave up.",
           "More activities for toddlers, please."],
}


def _choice(rng: random.Random, shares: dict[str, float]) -> str:
    return rng.choices(list(shares), weights=list(shares.values()))[0]


def _expit(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


def _token(rng: random.Random) -> str:
    return "".join(rng.choice(_TOKEN_CHARS) for _ in range(15))


def _stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S")


@dataclass(frozen=True)
class ScaleModel:
    """How one group answers the scale items: item = round(mean + general + dimension + noise), clipped to 1-5,
    where general is the respondent's general sense of accessibility and dimension their own score on the
    item's dimension (both drawn once per respondent), so items of a dimension correlate (mostly through the
    dimension, a little across dimensions through the general factor); then "don't know", "not applicable"
    and skipped at the given rates."""

    general_sd: float
    dimension_sd: float
    noise_sd: float
    dont_know: float
    not_applicable: float
    skipped: float


_PARENT_SCALE = ScaleModel(general_sd=0.45, dimension_sd=0.65, noise_sd=0.4,
                           dont_know=0.04, not_applicable=0.02, skipped=0.03)
# Professionals in a face-to-face interview: rarely "don't know" about a service they chose to judge.
_FIELD_ACTOR_SCALE = ScaleModel(general_sd=0.35, dimension_sd=0.5, noise_sd=0.4,
                                dont_know=0.005, not_applicable=0.005, skipped=0.0)


def _dimensions(items) -> list[str]:
    """The items' dimensions (the study's framework of the B's), in order of appearance."""
    return list(dict.fromkeys(_dimension(item) for item in items))


def _dimension(item) -> str:
    return item.dimension("b") or item.code


# Before its items were correlated, the generator drew per item one number (a "don't know", "not applicable" or
# skipped answer below this) and, for a substantive answer, one normal deviate. The main stream still draws
# exactly these, so that every other answer of the demo stays as it was; the dimension scores, and an item's
# deviate where the old generator drew none, come from a second stream of the same seed.
_OLD_MISSING = 0.09


def _latent_scores(rng: random.Random, scales: random.Random, model: ScaleModel, mean: float,
                   dimensions: list[str], shift: dict[str, float] | None = None) -> dict[str, float]:
    """One respondent's latent score (1-5 scale) per dimension: the mean, the general factor they share (from
    ``rng``, the one deviate the old generator drew per respondent) and the dimension's own (from ``scales``)."""
    general = mean + rng.gauss(0, model.general_sd)
    return {d: general + (shift or {}).get(d, 0.0) + scales.gauss(0, model.dimension_sd) for d in dimensions}


def _scale_answer(rng: random.Random, scales: random.Random, model: ScaleModel, latent: float,
                  polarity: str | None) -> str:
    roll = rng.random()
    deviate = rng.gauss(0, 1) if roll >= _OLD_MISSING else scales.gauss(0, 1)
    if roll < model.dont_know:
        return "DK"
    if roll < model.dont_know + model.not_applicable:
        return "NA"
    if roll < model.dont_know + model.not_applicable + model.skipped:
        return ""  # skipped
    score = min(5, max(1, round(latent + model.noise_sd * deviate)))
    return str(6 - score if polarity == "-" else score)


def _meta(rng: random.Random, design: WaveDesign, rid: int, language: str, token: str,
          n_groups: int, incomplete: bool) -> dict[str, str]:
    day = rng.randrange(design.fieldwork_days)
    start = design.fieldwork_start + timedelta(days=day, minutes=rng.randrange(-60, 12 * 60))
    end = start + timedelta(seconds=rng.randrange(240, 1500))
    lastpage = rng.randrange(0, n_groups) if incomplete else n_groups
    return {
        "id": str(rid),
        "submitdate": "" if incomplete else _stamp(end),
        "lastpage": str(lastpage),
        "startlanguage": language,
        "seed": "",
        "token": token,
        "startdate": _stamp(start),
        "datestamp": _stamp(end),
    }


def apply_relevance(instrument: Instrument, response: dict[str, str]) -> dict[str, str]:
    """Blank what LimeSurvey would not have shown (conditions), and the pages never submitted."""
    reached = int(response["lastpage"] or 0)
    for column in instrument.columns():
        shown = all(c.holds(response) for c in instrument.conditions(column))
        if not shown or column.question.group > reached:
            response[column.name] = ""
    return response


def _services(instrument: Instrument, question: str) -> list[str]:
    return [sq.code for sq in instrument.question(question).subquestions]


def parent_responses(instrument: Instrument, design: WaveDesign, rng: random.Random, scales: random.Random,
                     first_id: int = 1) -> list[dict[str, str]]:
    services = _services(instrument, "kent")
    themes = _services(instrument, "nood")
    barrier_items = instrument.question(f"dr{services[0]}").subquestions
    out = []
    rid = first_id - 1
    for _ in range(design.parents):
        rid += 1 if rng.random() > 0.03 else 2  # a few ids lost to deleted test responses
        language = _choice(rng, {"nl": 0.35, "fr": 0.50, "en": 0.15})
        home = {
            "nl": {"NL": 0.6, "NLFR": 0.2, "ANF": 0.2},
            "fr": {"FR": 0.45, "NLFR": 0.1, "ANF": 0.35, "AND": 0.1},
            "en": {"ANF": 0.3, "AND": 0.7},
        }[language]
        education = _choice(rng, {"HOOG": 0.52, "MID": 0.30, "LAAG": 0.18})
        token = _token(rng) if rng.random() < 0.45 else ""
        r = _meta(rng, design, rid, language, token, len(instrument.groups), incomplete=rng.random() < 0.09)
        if rng.random() < 0.02:
            r["consent"] = "N"  # the survey ends at the consent page
            r["lastpage"] = "1"
            out.append(apply_relevance(instrument, r))
            continue
        r["consent"] = "Y"
        face_to_face = rng.random() < 0.3
        r["modus"] = "F2F" if face_to_face else "WEB"
        r["kanaal"] = _choice(rng, {"CB": 0.3, "KO": 0.25, "OG": 0.2, "ONL": 0.2, "AND": 0.05})
        r["wijk"] = _choice(rng, design.neighbourhood_shares)
        r["kindleeftijd"] = _choice(rng, {"E": 0.12, "K0": 0.25, "K1": 0.28, "K3": 0.25, "K6": 0.10})
        r["kinderen"] = str(rng.choice([0, 1]) if r["kindleeftijd"] == "E" else rng.choice([1, 1, 2, 2, 3, 4]))
        r["thuistaal"] = _choice(rng, home)
        r["andertaal"] = rng.choice(_OTHER_LANGUAGES)
        r["opleiding"] = "" if rng.random() < 0.03 else education
        edu_effect = {"HOOG": 0.8, "MID": 0.0, "LAAG": -0.7}[education]
        for s in services:
            base, dutch = _AWARENESS[s]
            aware = rng.random() < _expit(base + edu_effect + (dutch if "NL" in r["thuistaal"] else 0.0))
            used = aware and rng.random() < _USE_GIVEN_AWARE[s]
            r[f"kent[{s}]"] = "Y" if aware else ""
            r[f"gebruik[{s}]"] = "Y" if used else ""
            r[f"tevreden[{s}]"] = _choice(rng, {"1": 0.05, "2": 0.1, "3": 0.2, "4": 0.4, "5": 0.25})
        for channel in ("FAM", "PRO", "WEB", "FLY"):
            r[f"kanalen[{channel}]"] = "Y" if rng.random() < 0.4 else ""
        r["kanalen[other]"] = rng.choice(_COMMENTS_OTHER[language]) if rng.random() < 0.08 else ""
        for theme in themes:
            need = rng.random() < (0.55 if theme in ("OPV", "ONT") else 0.3)
            r[f"nood[{theme}]"] = "Y" if need else ""
            r[f"steun[{theme}]"] = _choice(rng, {"J": 0.45 + 0.1 * (education == "HOOG"), "D": 0.3, "N": 0.25})
        mean = 3.3 + 0.3 * (education == "HOOG") - 0.5 * (education == "LAAG")
        latent = _latent_scores(rng, scales, _PARENT_SCALE, mean, _dimensions(barrier_items), _DIMENSION_SHIFT)
        for s in services:
            for item in barrier_items:
                r[f"dr{s}[{item.code}]"] = _scale_answer(rng, scales, _PARENT_SCALE, latent[_dimension(item)],
                                                         item.polarity)
        day = datetime.strptime(r["startdate"], "%Y-%m-%d %H:%M:%S").strftime("%Y-%m-%d 00:00:00")
        r["datum"] = day if face_to_face else ""
        r["opmerking"] = rng.choice(_COMMENTS[language]) if rng.random() < 0.12 else ""
        out.append(apply_relevance(instrument, r))
    return out


def field_actor_responses(instrument: Instrument, design: WaveDesign, rng: random.Random, scales: random.Random,
                          panel: list[str]) -> list[dict[str, str]]:
    """Field actors answer with a personal token; ``panel`` holds tokens of earlier waves, part of whom
    take part again (a professional panel keeps its pseudonymous id across waves)."""
    services = _services(instrument, "kentwa")
    items = instrument.question(f"wd{services[0]}").subquestions
    returning = [t for t in panel if rng.random() < 0.65]
    out = []
    for index in range(design.field_actors):
        token = returning[index] if index < len(returning) else _token(rng)
        language = _choice(rng, {"nl": 0.6, "fr": 0.35, "en": 0.05})
        # Interviewed face to face: every interview is finished (one drawn as broken off, as before the scale
        # items were correlated, is completed, so that the draws after it stay as they were).
        r = _meta(rng, design, index + 1, language, token, len(instrument.groups), incomplete=rng.random() < 0.05)
        r.update(submitdate=r["datestamp"], lastpage=str(len(instrument.groups)))
        r["consent"] = "Y"
        r["rol"] = _choice(rng, {"A1": 0.6, "A2": 0.2, "A3": 0.2})
        r["wijk"] = _choice(rng, {"W01": 0.3, "W02": 0.3, "W03": 0.2, "W04": 0.2})
        r["ervaring"] = str(rng.randrange(1, 30))
        # Field actors see services as more accessible than parents do, whatever the dimension.
        latent = _latent_scores(rng, scales, _FIELD_ACTOR_SCALE, 3.7, _dimensions(items))
        for s in services:
            r[f"kentwa[{s}]"] = "Y" if rng.random() < _FIELD_ACTOR_KNOWS.get(s, 0.75) else ""
            for item in items:
                r[f"wd{s}[{item.code}]"] = _scale_answer(rng, scales, _FIELD_ACTOR_SCALE, latent[_dimension(item)],
                                                         item.polarity)
        r["opmerking"] = ""
        out.append(apply_relevance(instrument, r))
    return out


def generate(out_dir: Path | None = None, seed: int = SEED) -> list[Path]:
    """Write the demo exports (CSV and JSON for every survey) and return their paths."""
    out_dir = out_dir or STUDIES / DEMO_STUDY / "data"
    out_dir.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    scales = random.Random(f"{seed}:scales")  # what the correlated scale items add (see _OLD_MISSING)
    study = load_study(DEMO_STUDY)
    written: list[Path] = []
    panel: list[str] = []
    for design in WAVES:
        parent = study.instrument("parent", design.wave)
        field_actor = study.instrument("field_actor", design.wave)
        actors = field_actor_responses(field_actor, design, rng, scales, panel)
        panel = [r["token"] for r in actors]
        for instrument, survey_id, responses in (
            (parent, design.parent_survey, parent_responses(parent, design, rng, scales)),
            (field_actor, design.field_actor_survey, actors),
        ):
            columns = list(META_COLUMNS) + [c.name for c in instrument.columns()]
            stem = out_dir / f"survey_{survey_id}_{design.wave}_{instrument.name}"
            for suffix, write in ((".csv", write_csv), (".json", write_json)):
                path = stem.with_suffix(suffix)
                write(path, columns, responses)
                written.append(path)
    return written
