"""The file inbox: LimeSurvey export files dropped in ``TOEGANG_HOME/<study>/inbox/``.

A file names its survey by the id in its file name (LimeSurvey names exports ``results-survey418201.csv``).
A loaded file moves to the study home's ``archive/``; a rejected one to its ``quarantine/`` with a
``<name>.reason.txt`` next to it saying why. File names come from outside: they are only ever used as
the last part of a path inside these folders.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from instruments.limesurvey_export import META_COLUMNS, read_columns, read_sav
from instruments.model import Instrument
from instruments.study import Study
from warehouse.paths import Locations

SUFFIXES = (".csv", ".json", ".sav")
_SURVEY_ID = re.compile(r"(?<!\d)(\d{5,10})(?!\d)")


class RejectedFile(ValueError):
    pass


@dataclass(frozen=True)
class Inbox:
    study_id: str
    inbox: Path
    archive: Path
    quarantine: Path

    @classmethod
    def of(cls, locations: Locations, study_id: str) -> Inbox:
        """The inbox of the study whose home ``locations`` are (``Locations.of_study``)."""
        return cls(study_id, locations.inbox, locations.archive, locations.quarantine)

    def files(self) -> list[Path]:
        if not self.inbox.is_dir():
            return []
        return sorted(p for p in self.inbox.iterdir() if p.is_file() and not p.name.startswith("."))

    def sort(self, study: Study) -> tuple[dict[int, list[Path]], list[tuple[Path, str]]]:
        """Files per survey id of the study, and the files that name no survey of it (with why)."""
        known = {s.survey_id for s in study.surveys}
        matched: dict[int, list[Path]] = {}
        unmatched = []
        for path in self.files():
            if path.suffix.lower() not in SUFFIXES:
                unmatched.append((path, f"not a LimeSurvey response export ({', '.join(SUFFIXES)})"))
                continue
            ids = [int(m) for m in _SURVEY_ID.findall(path.stem) if int(m) in known]
            if len(set(ids)) != 1:
                unmatched.append((path, f"the file name names no single survey of study {study.study_id} "
                                        f"({', '.join(str(i) for i in sorted(known))})"))
                continue
            matched.setdefault(ids[0], []).append(path)
        return matched, unmatched

    def _move(self, path: Path, folder: Path) -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
        target = folder / f"{stamp}_{path.name}"
        shutil.move(str(path), target)
        return target

    def archive_file(self, path: Path) -> Path:
        return self._move(path, self.archive)

    def quarantine_file(self, path: Path, reason: str) -> Path:
        target = self._move(path, self.quarantine)
        target.with_name(target.name + ".reason.txt").write_text(reason + "\n", encoding="utf-8")
        return target


def check_columns(path: Path, instrument: Instrument) -> None:
    """The export's columns must be exactly the instrument's: a changed questionnaire is refused,
    naming the columns."""
    expected = {c.name for c in instrument.columns()}
    if path.suffix.lower() == ".sav":
        present = set(read_sav(path, [*META_COLUMNS, *expected]).columns)
    else:
        present = set(read_columns(path))
    unknown = sorted(present - expected - set(META_COLUMNS))
    missing = sorted(expected - present)
    problems = []
    if unknown:
        problems.append(f"columns not in the codebook of {instrument.name} (version {instrument.version}): "
                        + ", ".join(unknown[:20]))
    if missing:
        problems.append("codebook columns missing from the file: " + ", ".join(missing[:20]))
    if problems:
        raise RejectedFile(f"{path.name}: " + "; ".join(problems))
