"""The study resource: which study a run works on, and the key of its respondent pseudonyms."""

from __future__ import annotations

import os
from pathlib import Path

import dagster as dg

from instruments.model import Instrument
from instruments.study import DEMO_STUDY, Study, load_study


class PseudonymKeyMissing(RuntimeError):
    pass


class StudyResource(dg.ConfigurableResource):
    """The study configuration ``instruments/studies/<study_id>.yaml``.

    Environment (read when a run starts): ``TOEGANG_STUDY`` (default ``demo-brussels``) when
    ``study_id`` is not set; ``TOEGANG_PSEUDONYM_KEY``, the secret of the respondent pseudonyms, which is
    required unless the study is a synthetic demo with its own public key.
    """

    study_id: str | None = None
    studies_dir: str | None = None  # default: $TOEGANG_STUDIES or instruments/studies/

    def load(self) -> Study:
        study_id = self.study_id or os.environ.get("TOEGANG_STUDY") or DEMO_STUDY
        if self.studies_dir:
            return load_study(study_id, Path(self.studies_dir))
        return load_study(study_id)

    def instrument(self, name: str, wave: str) -> Instrument:
        """The questionnaire as fielded in the wave (the definition with the wave's services)."""
        return self.load().instrument(name, wave)

    def pseudonym_key(self) -> bytes:
        key = os.environ.get("TOEGANG_PSEUDONYM_KEY")
        if key:
            return key.encode("utf-8")
        study = self.load()
        if study.demo_pseudonym_key:
            return study.demo_pseudonym_key.encode("utf-8")
        raise PseudonymKeyMissing(
            f"TOEGANG_PSEUDONYM_KEY is not set: study {study.study_id!r} needs it to pseudonymise "
            "respondents. Keep the same key across waves to link a panel, and keep it out of the warehouse."
        )
