"""The study resource: where the study folders are, and the key of the respondent pseudonyms."""

from __future__ import annotations

from pathlib import Path

import dagster as dg

from instruments.study import Study, load_study
from warehouse.pseudonyms import pseudonym_key


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
        return pseudonym_key(self.load(study_id))
