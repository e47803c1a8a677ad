"""Keyed pseudonyms: ``respondent_id`` = HMAC-SHA256(key, study_id ‖ token), truncated (DOMAIN.md s. 5).

The key lives outside the warehouse (``TOEGANG_PSEUDONYM_KEY``); keeping it across waves links a panel.
A response without a token (an open survey link) gets a pseudonym of its survey and response id, so
it is stable across reloads but links to nothing else.
"""

from __future__ import annotations

import hashlib
import hmac
import os
from collections.abc import Mapping

from instruments.study import Study

SEPARATOR = "\x1f"  # cannot occur in a study id or a token: no two inputs share a message
LENGTH = 16  # hex characters: 64 bits, no collision to expect below billions of respondents


def pseudonym(key: bytes, study_id: str, token: str, survey_id: int, response_id: int) -> str:
    if not key:
        raise ValueError("the pseudonym key is empty")
    subject = f"token{SEPARATOR}{token}" if token else f"response{SEPARATOR}{survey_id}{SEPARATOR}{response_id}"
    message = f"{study_id}{SEPARATOR}{subject}".encode("utf-8")
    return hmac.new(key, message, hashlib.sha256).hexdigest()[:LENGTH]


class PseudonymKeyMissing(RuntimeError):
    pass


def pseudonym_key(study: Study, environ: Mapping[str, str] = os.environ) -> bytes:
    """The study's key: ``TOEGANG_PSEUDONYM_KEY``, required unless the study is a synthetic demo with its own
    public key."""
    key = environ.get("TOEGANG_PSEUDONYM_KEY")
    if key:
        return key.encode("utf-8")
    if study.demo_pseudonym_key:
        return study.demo_pseudonym_key.encode("utf-8")
    raise PseudonymKeyMissing(
        f"TOEGANG_PSEUDONYM_KEY is not set: study {study.study_id!r} needs it to pseudonymise "
        "respondents. Keep the same key across waves to link a panel, and keep it out of the warehouse."
    )
