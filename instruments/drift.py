"""Compare a survey's structure as the LimeSurvey server reports it with the instrument definition."""

from __future__ import annotations

from instruments.model import Instrument


def _expected(instrument: Instrument) -> dict[str, dict]:
    return {q.code: {"type": q.type, "subquestions": {s.code for s in q.subquestions},
                     "answers": {a.code for a in q.answers}, "other": q.other}
            for q in instrument.questions}


def _reported(structure: dict) -> dict[str, dict]:
    questions = structure.get("questions") or []
    main = {int(q["qid"]): q for q in questions if int(q.get("parent_qid") or 0) == 0}
    out = {}
    for qid, q in main.items():
        properties = (structure.get("properties") or {}).get(str(qid)) or {}
        answers = properties.get("answeroptions")
        out[q["title"]] = {
            "type": q["type"],
            "subquestions": {s["title"] for s in questions if int(s.get("parent_qid") or 0) == qid},
            "answers": set(answers) if isinstance(answers, dict) else set(),
            "other": q.get("other") == "Y",
        }
    return out


def structure_drift(instrument: Instrument, structure: dict) -> list[str]:
    """Every difference, as readable lines; empty when the server holds exactly the definition."""
    expected, reported = _expected(instrument), _reported(structure)
    problems = [f"question {code!r} is on the server but not in the codebook" for code in reported if code not in expected]
    problems += [f"question {code!r} is in the codebook but not on the server" for code in expected if code not in reported]
    for code in expected.keys() & reported.keys():
        want, have = expected[code], reported[code]
        if want["type"] != have["type"]:
            problems.append(f"question {code!r}: type {have['type']!r} on the server, {want['type']!r} in the codebook")
        for label, key in (("subquestion", "subquestions"), ("answer", "answers")):
            for extra in sorted(have[key] - want[key]):
                problems.append(f"question {code!r}: {label} {extra!r} is on the server but not in the codebook")
            for missing in sorted(want[key] - have[key]):
                problems.append(f"question {code!r}: {label} {missing!r} is in the codebook but not on the server")
        if want["other"] != have["other"]:
            problems.append(f"question {code!r}: 'other' option differs (server {have['other']}, codebook {want['other']})")
    return sorted(problems)
