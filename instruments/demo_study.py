"""A synthetic demo study shaped like the 2018 Brussels survey and its 2021 Molenbeek follow-up.

Seeded and deterministic: the same seed gives byte-identical export files on every run. The files are
what LimeSurvey itself would export (see ``limesurvey_export``), with columns taken from the instrument
definitions, so the demo exercises exactly the path real data takes.

The sample is skewed the way recruitment through services skews it (DOMAIN.md section 4): too many
highly educated and Dutch-speaking parents, so that weighting will matter. Some responses are
incomplete, some answers are missing or "don't know", and a few parents decline consent.
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


def _scale_answer(rng: random.Random, latent: float, polarity: str | None) -> str:
    roll = rng.random()
    if roll < 0.04:
        return "DK"
    if roll < 0.06:
        return "NA"
    if roll < 0.09:
        return ""  # skipped
    score = min(5, max(1, round(latent + rng.gauss(0, 0.9))))
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


def parent_responses(instrument: Instrument, design: WaveDesign, rng: random.Random,
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
        latent = 3.3 + 0.3 * (education == "HOOG") - 0.5 * (education == "LAAG") + rng.gauss(0, 0.5)
        for s in services:
            for item in barrier_items:
                r[f"dr{s}[{item.code}]"] = _scale_answer(rng, latent, item.polarity)
        day = datetime.strptime(r["startdate"], "%Y-%m-%d %H:%M:%S").strftime("%Y-%m-%d 00:00:00")
        r["datum"] = day if face_to_face else ""
        r["opmerking"] = rng.choice(_COMMENTS[language]) if rng.random() < 0.12 else ""
        out.append(apply_relevance(instrument, r))
    return out


def field_actor_responses(instrument: Instrument, design: WaveDesign, rng: random.Random,
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
        r = _meta(rng, design, index + 1, language, token, len(instrument.groups), incomplete=rng.random() < 0.05)
        r["consent"] = "Y"
        r["rol"] = _choice(rng, {"A1": 0.6, "A2": 0.2, "A3": 0.2})
        r["wijk"] = _choice(rng, {"W01": 0.3, "W02": 0.3, "W03": 0.2, "W04": 0.2})
        r["ervaring"] = str(rng.randrange(1, 30))
        latent = 3.7 + rng.gauss(0, 0.4)  # field actors see services as more accessible than parents do
        for s in services:
            r[f"kentwa[{s}]"] = "Y" if rng.random() < 0.75 else ""
            for item in items:
                r[f"wd{s}[{item.code}]"] = _scale_answer(rng, latent, item.polarity)
        r["opmerking"] = ""
        out.append(apply_relevance(instrument, r))
    return out


def generate(out_dir: Path | None = None, seed: int = SEED) -> list[Path]:
    """Write the demo exports (CSV and JSON for every survey) and return their paths."""
    out_dir = out_dir or STUDIES / DEMO_STUDY / "data"
    out_dir.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    study = load_study(DEMO_STUDY)
    written: list[Path] = []
    panel: list[str] = []
    for design in WAVES:
        parent = study.instrument("parent", design.wave)
        field_actor = study.instrument("field_actor", design.wave)
        actors = field_actor_responses(field_actor, design, rng, panel)
        panel = [r["token"] for r in actors]
        for instrument, survey_id, responses in (
            (parent, design.parent_survey, parent_responses(parent, design, rng)),
            (field_actor, design.field_actor_survey, actors),
        ):
            columns = list(META_COLUMNS) + [c.name for c in instrument.columns()]
            stem = out_dir / f"survey_{survey_id}_{design.wave}_{instrument.name}"
            for suffix, write in ((".csv", write_csv), (".json", write_json)):
                path = stem.with_suffix(suffix)
                write(path, columns, responses)
                written.append(path)
    return written
