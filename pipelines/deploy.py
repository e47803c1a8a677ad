"""Deploy a compiled questionnaire to the LimeSurvey server: import the .lss, activate the survey with
a participants table, add participants, record the survey id.

Participants get tokens LimeSurvey makes, or keep their own: a ``token`` column in the participants file, or
the tokens of an earlier survey (``reuse_from``), so that a panel keeps one token, hence one pseudonym, across
waves; those taken from an earlier survey keep its e-mail status and blacklist flag too, so that whoever opted out
there is not invited again. Everything is read and checked before the first write.

Writes are never retried automatically (a retried import could create the survey twice, a retried
add_participants add them twice). Participants' names and e-mail addresses go to LimeSurvey only; Toegang keeps
none of them and prints only counts.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from instruments.lss import compile_lss
from instruments.model import InstrumentError
from instruments.study import Study
from pipelines.limesurvey import LimeSurveyConnection, LimeSurveyError

PARTICIPANT_FIELDS = ("firstname", "lastname", "email", "language")
_ATTRIBUTE = re.compile(r"^attribute_(\d{1,3})$")
# What LimeSurvey 6.4.2 keeps unchanged as a token: Token::rules() refuses more than Token::MAX_LENGTH (36)
# characters and sanitizeToken drops any but [0-9a-zA-Z_~] (a token with one would be stored changed).
TOKEN_MAX_LENGTH = 36
TOKEN = re.compile(rf"^[A-Za-z0-9_~]{{1,{TOKEN_MAX_LENGTH}}}$")
TOKEN_RULE = f"ASCII letters, digits, '_' and '~', at most {TOKEN_MAX_LENGTH} characters"
# What an earlier survey's participant brings besides token, names, e-mail and language: LimeSurvey mails only
# emailstatus "OK" (an opt-out sets "OptOut"); blacklisted is "Y", "N" or empty.
CARRIED_STATUS = ("emailstatus", "blacklisted")


@dataclass(frozen=True)
class Deployment:
    requested_survey_id: int
    survey_id: int
    participants_added: int
    tokens_kept: int = 0  # participants added with a token of their own (from the file or the earlier survey)
    tokens_new: int = 0  # participants LimeSurvey made a token for
    opted_out: int = 0  # of tokens_kept: came over from the earlier survey opted out (emailstatus OptOut...)
    other_status: int = 0  # of tokens_kept: came over with another e-mail status than OK (bounced, invalid...)


@dataclass(frozen=True)
class Participants:
    """Who to add, split by where their token comes from, and the attribute_N columns the table needs."""

    own_tokens: list[dict[str, str]]
    new_tokens: list[dict[str, str]]

    def statuses(self) -> tuple[int, int]:
        """How many of those keeping a token came over opted out, and how many with another status than OK: none
        of them is mailed (LimeSurvey mails emailstatus OK only)."""
        statuses = [row.get("emailstatus", "OK") for row in self.own_tokens]
        opted_out = sum(1 for status in statuses if status.startswith("OptOut"))
        return opted_out, sum(1 for status in statuses if status != "OK") - opted_out

    @property
    def attributes(self) -> list[int]:
        return sorted({int(m.group(1)) for row in (*self.own_tokens, *self.new_tokens) for key in row
                       if (m := _ATTRIBUTE.match(key))})


def read_participants(path: Path) -> list[dict[str, str]]:
    """A CSV (UTF-8, header row) with firstname, lastname, email, language, optional attribute_N and an optional
    token column: every row has a token (LimeSurvey keeps them) or none does (LimeSurvey makes them)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise InstrumentError(f"{path}: cannot read participants: {exc}") from exc
    reader = csv.DictReader(io.StringIO(text))
    fields = reader.fieldnames or []
    unknown = [f for f in fields if f not in (*PARTICIPANT_FIELDS, "token") and not _ATTRIBUTE.match(f)]
    if "email" not in fields or unknown:
        raise InstrumentError(f"{path}: expected columns {', '.join(PARTICIPANT_FIELDS)} (and attribute_N, token); "
                              f"unknown: {', '.join(unknown) or 'none'}"
                              + ("" if "email" in fields else "; no email column"))
    rows, lines = [], []
    for line, row in enumerate(reader, start=2):
        if None in row or any(v is None for v in row.values()):
            raise InstrumentError(f"{path}, line {line}: wrong number of fields")
        rows.append({k: v for k, v in row.items() if v != ""})
        lines.append(line)
    _check_tokens(path, rows, lines)
    return rows


def _check_tokens(path: Path, rows: list[dict[str, str]], lines: list[int]) -> None:
    """Every row a token LimeSurvey would take, each once, or no row a token. Problems name lines, never tokens."""
    given = [line for row, line in zip(rows, lines) if "token" in row]
    if not given:
        return
    problems = []
    if len(given) < len(rows):
        missing = [line for row, line in zip(rows, lines) if "token" not in row]
        problems.append(f"{_lines(missing)}: no token, while {len(given)} rows have one (give every participant a "
                        "token, or none for LimeSurvey to make them)")
    first: dict[str, int] = {}
    for row, line in zip(rows, lines):
        token = row.get("token")
        if token is None:
            continue
        if not TOKEN.match(token):
            what = f"{len(token)} characters" if len(token) > TOKEN_MAX_LENGTH else \
                "a character LimeSurvey would drop"
            problems.append(f"line {line}: the token has {what} ({TOKEN_RULE})")
        elif token in first:
            problems.append(f"line {line}: the same token as line {first[token]}")
        else:
            first[token] = line
    if problems:
        raise InstrumentError(f"{path}: {len(problems)} token problem(s):\n" +
                              "\n".join(f"  {path}, {problem}" for problem in problems))


def _lines(numbers: Sequence[int]) -> str:
    shown = ", ".join(map(str, numbers[:10])) + (f" and {len(numbers) - 10} more" if len(numbers) > 10 else "")
    return f"line{'s' if len(numbers) > 1 else ''} {shown}"


def _email_key(address: str | None) -> str:
    return (address or "").strip().casefold()


def earlier_participants(server: LimeSurveyConnection, survey_id: int) -> list[dict[str, str]]:
    """The participants of an earlier survey as add_participants takes them: token, e-mail, names, language, the
    e-mail status and blacklist flag (an opt-out stays one) and the attribute_N columns its table has (read from
    one participant's full row, as list_participants returns only the attributes asked for)."""
    asked = ("language", *CARRIED_STATUS)
    rows = server.participants(survey_id, asked)
    if not rows:
        raise InstrumentError(f"survey {survey_id} has no participants: no tokens to reuse")
    full = server.call("get_participant_properties", survey_id,
                       lambda c: c.get_participant_properties(survey_id, rows[0]["tid"]))
    attributes = sorted(k for k in (full if isinstance(full, dict) else {}) if _ATTRIBUTE.match(k))
    if attributes:
        rows = server.participants(survey_id, (*asked, *attributes))
    people = []
    for row in rows:
        info = row.get("participant_info") or {}
        person = {**{k: info.get(k) for k in ("firstname", "lastname", "email")}, "token": row.get("token"),
                  **{k: row.get(k) for k in (*asked, *attributes)}}
        people.append({k: str(v) for k, v in person.items() if v not in (None, "")})
    return people


def plan_participants(server: LimeSurveyConnection, participants: list[dict[str, str]] | None,
                      reuse_from: int | None) -> Participants:
    """Who keeps a token and who gets a new one. Without ``reuse_from``: the file's rows (own tokens when they
    carry them). With it alone: the earlier survey's participants, each with its token. With both: the file's
    rows, those whose e-mail (trimmed, in any case) is an earlier participant's keeping that one's token."""
    rows = participants or []
    if reuse_from is None:
        own = bool(rows) and "token" in rows[0]
        return Participants(rows if own else [], [] if own else rows)
    if any("token" in row for row in rows):
        raise InstrumentError("the participants file has a token column: give tokens in the file or take them "
                              f"from survey {reuse_from}, not both")
    earlier = earlier_participants(server, reuse_from)
    if participants is None:
        return Participants([p for p in earlier if p.get("token")], [p for p in earlier if not p.get("token")])
    tokens: dict[str, set[str]] = {}
    carried: dict[str, dict[str, str]] = {}  # token -> the e-mail status and blacklist flag it had there
    for person in earlier:
        if person.get("email") and person.get("token"):
            tokens.setdefault(_email_key(person["email"]), set()).add(person["token"])
            carried[person["token"]] = {k: person[k] for k in CARRIED_STATUS if k in person}
    own, new, problems, taken = [], [], [], {}
    for line, row in enumerate(rows, start=2):
        found = tokens.get(_email_key(row.get("email")), set())
        if len(found) > 1:
            problems.append(f"line {line}: its e-mail address belongs to {len(found)} participants of survey "
                            f"{reuse_from} with different tokens (give the tokens in a token column)")
        elif found:
            token = next(iter(found))
            if token in taken:
                problems.append(f"line {line}: the same earlier participant as line {taken[token]}")
            taken[token] = line
            own.append({**row, **carried[token], "token": token})
        else:
            new.append(row)
    if problems:
        raise InstrumentError(f"participants matched with survey {reuse_from} (lines of the participants file):\n" +
                              "\n".join(f"  {problem}" for problem in problems))
    return Participants(own, new)


def deploy_survey(server: LimeSurveyConnection, study: Study, survey_id: int,
                  participants: list[dict[str, str]] | None = None, *, reuse_from: int | None = None) -> Deployment:
    survey = next((s for s in study.surveys if s.survey_id == survey_id), None)
    if survey is None:
        raise InstrumentError(f"study {study.study_id!r} has no survey {survey_id}")
    lss = compile_lss(study.instrument(survey.instrument, survey.wave), survey_id).encode("utf-8")
    plan = plan_participants(server, participants, reuse_from)  # before anything is written
    new_id = int(server.call("import_survey", survey_id,
                             lambda c: c.import_survey(io.BytesIO(lss), "lss", None, survey_id)))
    server.call("activate_survey", new_id, lambda c: c.activate_survey(new_id))
    # The attribute_N columns the participants carry: LimeSurvey drops values of columns its table lacks.
    server.call("activate_tokens", new_id, lambda c: c.activate_tokens(new_id, plan.attributes or None))
    # Own tokens first, so no token LimeSurvey makes can take one of them.
    if plan.own_tokens:
        server.add_participants(new_id, plan.own_tokens, own_tokens=True)
    if plan.new_tokens:
        try:
            server.add_participants(new_id, plan.new_tokens, own_tokens=False)
        except LimeSurveyError as exc:
            if not plan.own_tokens:
                raise
            raise LimeSurveyError(exc.call, new_id, f"{exc.reason} ({len(plan.own_tokens)} participants with their "
                                  "own tokens were added before; add the others in LimeSurvey rather than deploying "
                                  "again)", server_side=exc.server_side) from None
    if new_id != survey_id:
        record_survey_id(study.file, survey_id, new_id)
    kept, made = len(plan.own_tokens), len(plan.new_tokens)
    return Deployment(survey_id, new_id, kept + made, kept, made, *plan.statuses())


def record_survey_id(study_file: Path, old: int, new: int) -> None:
    """Replace the survey id in the study file, keeping its comments and layout."""
    text = study_file.read_text(encoding="utf-8")
    pattern = re.compile(rf"(survey_id:\s*){old}(?!\d)")
    if len(pattern.findall(text)) != 1:
        raise InstrumentError(f"{study_file}: cannot find survey_id {old} exactly once to record {new}")
    study_file.write_text(pattern.sub(rf"\g<1>{new}", text), encoding="utf-8")


def describe(done: Deployment, reuse_from: int | None = None) -> str:
    """What a deployment did, in counts only."""
    note = "" if done.survey_id == done.requested_survey_id else f" (id {done.requested_survey_id} was taken; " \
        "the study file now names the new id)"
    text = f"survey {done.survey_id} imported and activated{note}; {done.participants_added} participants added"
    if reuse_from is not None:
        text += f": {done.tokens_kept} kept their token of survey {reuse_from}"
        statuses = [f"{count} {what}" for count, what in ((done.opted_out, "opted out"),
                                                          (done.other_status, "with another e-mail status than OK"))
                    if count]
        if statuses:
            text += f" ({' and '.join(statuses)} there, kept: LimeSurvey will not mail them)"
        text += f", {done.tokens_new} with a new token"
    elif done.tokens_kept:
        text += " with their own tokens"
    return text

