"""Conditions (relevance) of questions, subquestions and groups, declared as data in the definitions.

``{question: "kent[S01]", equals: "Y"}``, ``{question: thuistaal, in: [ANF, AND]}``,
``{question: kent, any_equals: "Y"}`` (any subquestion of ``kent``), ``{any: [...]}`` and ``{all: [...]}``.
They compile to LimeSurvey ExpressionScript (``kent_S01 == "Y"``) and can be evaluated on an exported
response, which is how the clean stage tells "not shown" from "skipped".
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass


def em_variable(column: str) -> str:
    """ExpressionScript name of an export column: ``kent[S01]`` -> ``kent_S01``."""
    return column.replace("[", "_").replace("]", "")


def _quote(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


@dataclass(frozen=True)
class Condition:
    kind: str  # "in" (equals is "in" with one value), "any" or "all"
    columns: tuple[str, ...] = ()  # "in": one column, or the subquestion columns of an any_equals
    values: tuple[str, ...] = ()
    parts: tuple[Condition, ...] = ()

    def expression(self) -> str:
        if self.kind == "in":
            tests = [f"{em_variable(c)} == {_quote(v)}" for c in self.columns for v in self.values]
            return tests[0] if len(tests) == 1 else "(" + " or ".join(tests) + ")"
        joiner = " or " if self.kind == "any" else " and "
        return "(" + joiner.join(p.expression() for p in self.parts) + ")"

    def sql(self, field: Callable[[str], str]) -> str:
        """The condition as SQL over exported values; ``field`` gives the SQL of a column's value."""
        if self.kind == "in":
            values = ", ".join("'" + v.replace("'", "''") + "'" for v in self.values)
            tests = [f"coalesce({field(c)}, '') IN ({values})" for c in self.columns]
            return "(" + " OR ".join(tests) + ")"
        joiner = " OR " if self.kind == "any" else " AND "
        return "(" + joiner.join(p.sql(field) for p in self.parts) + ")"

    def referenced(self) -> set[str]:
        return set(self.columns).union(*(p.referenced() for p in self.parts))

    def holds(self, response: Mapping[str, str]) -> bool:
        if self.kind == "in":
            return any(response.get(c, "") in self.values for c in self.columns)
        results = (p.holds(response) for p in self.parts)
        return any(results) if self.kind == "any" else all(results)


def parse_condition(raw: object, resolve: Callable[[str, str], str], subquestion_columns: Callable[[str], list[str]],
                    problem: Callable[[str], None]) -> Condition | None:
    """Parse the YAML form. ``resolve`` fills templates in names; ``subquestion_columns`` lists the
    columns of a question (empty if it has none); ``problem`` records what is wrong."""
    if not isinstance(raw, dict):
        problem(f"a condition must be a mapping, not {raw!r}")
        return None
    if "any" in raw or "all" in raw:
        kind = "any" if "any" in raw else "all"
        items = raw[kind]
        if not isinstance(items, list) or not items:
            problem(f"'{kind}' needs a list of conditions")
            return None
        parts = [parse_condition(p, resolve, subquestion_columns, problem) for p in items]
        return None if None in parts else Condition(kind, parts=tuple(parts))
    question = raw.get("question")
    if not isinstance(question, str):
        problem(f"a condition needs 'question', got {raw!r}")
        return None
    question = resolve(question, "question")
    if "any_equals" in raw:
        columns = subquestion_columns(question)
        if not columns:
            problem(f"condition on {question!r}: any_equals needs a question with subquestions")
            return None
        return Condition("in", tuple(columns), (str(raw["any_equals"]),))
    if "equals" in raw:
        values = (str(raw["equals"]),)
    elif isinstance(raw.get("in"), list) and raw["in"]:
        values = tuple(str(v) for v in raw["in"])
    else:
        problem(f"condition on {question!r} needs 'equals', 'in' or 'any_equals'")
        return None
    return Condition("in", (question,), values)
