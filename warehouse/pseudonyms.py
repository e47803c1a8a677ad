"""Keyed pseudonyms: ``respondent_id`` = HMAC-SHA256(key, study_id ‖ token), truncated (DOMAIN.md s. 5).

The key lives outside the warehouse (``TOEGANG_PSEUDONYM_KEY``); keeping it across waves links a panel.
A response without a token (an open survey link) gets a pseudonym of its survey and response id, so
it is stable across reloads but links to nothing else.
"""

from __future__ import annotations

import hashlib
import hmac

SEPARATOR = "\x1f"  # cannot occur in a study id or a token: no two inputs share a message
LENGTH = 16  # hex characters: 64 bits, no collision to expect below billions of respondents


def pseudonym(key: bytes, study_id: str, token: str, survey_id: int, response_id: int) -> str:
    if not key:
        raise ValueError("the pseudonym key is empty")
    subject = f"token{SEPARATOR}{token}" if token else f"response{SEPARATOR}{survey_id}{SEPARATOR}{response_id}"
    message = f"{study_id}{SEPARATOR}{subject}".encode("utf-8")
    return hmac.new(key, message, hashlib.sha256).hexdigest()[:LENGTH]
