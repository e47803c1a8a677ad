"""The study resource: where the study folders are, and the key of the respondent pseudonyms."""

from __future__ import annotations

import os
from pathlib import Path

import dagster as dg

from instruments.study import Study, load_study


class PseudonymKeyMissing(RuntimeError):
    pass


class StudyResource(dg.ConfigurableResource):
    """The study folders (``instruments/studies/<study>/``, or ``$TOEGANG_STUDIES/<study>/``). Which study a run
    works on is the asset graph's (``pipelines/defs/keys.py``): each study has its own assets.

    Environment (read when a run starts): ``TOEGANG_PSEUDONYM_KEY``, the secret of the respondent pseudonyms,
    which is required unless the study is a synthetic demo with its own public key.
    """

    studies_dir: str | None = None  # default: $TOEGANG_STUDIES or instruments/studies/

    def load(self, study_id: str) -> Study:
        return load_study(study_id, Path(self.studies_dir) if self.studies_dir else None)

    def pseudonym_key(self, study_id: str) -> bytes:
        key = os.environ.get("TOEGANG_PSEUDONYM_KEY")
        if key:
            return key.encode("utf-8")
        study = self.load(study_id)
        if study.demo_pseudonym_key:
            return study.demo_pseudonym_key.encode("utf-8")
        raise PseudonymKeyMissing(
            f"TOEGANG_PSEUDONYM_KEY is not set: study {study.study_id!r} needs it to pseudonymise "
            "respondents. Keep the same key across waves to link a panel, and keep it out of the warehouse."
        )
