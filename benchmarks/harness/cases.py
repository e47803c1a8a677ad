"""Hostile and malformed input for every parser and loader, as hypothesis strategies, and the oracle that
judges each outcome. Shared by the property tests (a small fixed-seed sample) and by the reliability run
(``benchmarks/reliability.py``, thousands of cases).

The promise checked for every case: the parser either returns a well-formed result or raises the
project's own error type, whose message names the file or call; anything else is ``Unhandled``.
"""

from __future__ import annotations

import functools
import json
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

import yaml
from hypothesis import strategies as st

from analyses import WeightingError
from analyses.margins import margins_from_csv
from instruments.limesurvey_export import ExportError, csv_bytes, json_bytes, parse_export, read_export, read_sav
from instruments.loader import SHARED
from instruments.model import InstrumentError
from instruments.study import DEMO_STUDY, STUDIES, STUDY_FILE, load_study

LOADED, REFUSED = "loaded", "refused"
DEMO = STUDIES / DEMO_STUDY
# The YAML files of a study folder the sweeps replace with hostile bytes, one at a time.
PARENT = DEMO / "instruments" / "parent.yaml"
SCALES = SHARED / "scales.yaml"
SUBJECTS = DEMO / "subjects.yaml"
STUDY = DEMO / STUDY_FILE


class Unhandled(AssertionError):
    """A parser let through an exception that is not the project's own, or lost the name of the input."""


def judge(run: Callable[[], object], errors: tuple[type[BaseException], ...], name: str | tuple[str, ...],
          check: Callable[[object], None] = lambda _: None, secret: str | None = None) -> str:
    """``loaded`` or ``refused``; raises ``Unhandled`` for any other exception, a message that names none
    of ``name`` or a message holding ``secret``."""
    names = (name,) if isinstance(name, str) else name
    try:
        result = run()
    except errors as exc:
        if not any(n in str(exc) for n in names):
            raise Unhandled(f"{type(exc).__name__} does not name {name!r}: {str(exc)[:300]}") from exc
        if secret and secret in str(exc):
            raise Unhandled(f"{type(exc).__name__} shows the password: {str(exc)[:300]}") from exc
        return REFUSED
    except Exception as exc:  # noqa: BLE001 - that is the finding
        import traceback

        frame = traceback.extract_tb(exc.__traceback__)[-1]
        where = f"{Path(frame.filename).name}:{frame.lineno}"
        raise Unhandled(f"{type(exc).__name__} at {where}: {str(exc)[:300]}") from exc
    check(result)
    return LOADED


# -- byte-level mutations shared by every text format --------------------------------------------------
HOSTILE_VALUES = [
    "", '"', '""', ";", ";;", "\r\n", "\n", "\r", "\x00", "\ufeff", "9" * 400, "-1", "0", "1e309", "-1e309",
    "NaN", "Infinity", "1.5", "１２", "\u202e\u200b", "<script>alert(1)</script>", "'; DROP TABLE x; --",
    "../../etc/passwd", "x" * 5000, "null", "true", "[]", "{}", "\\", "\U0001f600",
]
HOSTILE_BYTES = [b"\xff", b"\xfe\xff", b"\xc3", b"\xed\xa0\x80", b"\x00", b"\xef\xbb\xbf", b"\r", b"\"", b";",
                 b"\x1a", b"\x80\x80"]


@st.composite
def byte_mutations(draw, base: bytes) -> bytes:
    data = base
    for op in draw(st.lists(st.integers(0, 9), min_size=1, max_size=4)):
        at = draw(st.integers(0, max(len(data), 0)))
        if op == 0:  # truncate
            data = data[:at]
        elif op == 1 and data:  # flip a byte
            at = min(at, len(data) - 1)
            data = data[:at] + bytes([data[at] ^ draw(st.integers(1, 255))]) + data[at + 1:]
        elif op == 2:  # insert hostile or random bytes
            piece = draw(st.one_of(st.sampled_from(HOSTILE_BYTES), st.binary(max_size=16)))
            data = data[:at] + piece + data[at:]
        elif op == 3:  # insert a hostile value's text
            data = data[:at] + draw(st.sampled_from(HOSTILE_VALUES)).encode("utf-8", "surrogatepass") + data[at:]
        elif op == 4:  # delete a slice
            data = data[:at] + data[at + draw(st.integers(1, 64)):]
        elif op == 5:  # duplicate a slice
            data = data[:at] + data[at:at + draw(st.integers(1, 200))] * 2 + data[at + 200:]
        elif op == 6:  # BOM off / on
            data = data[3:] if data.startswith(b"\xef\xbb\xbf") else b"\xef\xbb\xbf" + data
        elif op == 7:
            data = data.replace(b"\r\n", b"\n")
        elif op == 8:
            data = data.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
        else:  # re-encode as UTF-16, as a spreadsheet program may
            data = data.decode("utf-8", "replace").encode("utf-16")
    return data


# -- LimeSurvey response exports (CSV and JSON) -----------------------------------------------------------
def _demo_sample(rows: int = 6) -> tuple[list[str], list[dict[str, str]]]:
    export = read_export(DEMO / "data" / "survey_418201_2018_parent.csv")
    return list(export.columns), [dict(r) for r in export.responses[:rows]]


_COLUMNS, _ROWS = _demo_sample()
EXPORT_BASES = {"csv": csv_bytes(_COLUMNS, _ROWS), "json": json_bytes(_COLUMNS, _ROWS)}


@st.composite
def csv_field_edits(draw) -> bytes:
    """A well-formed CSV with hostile values in random fields (ids and headings included)."""
    columns, rows = list(_COLUMNS), [dict(r) for r in _ROWS]
    for _ in range(draw(st.integers(1, 4))):
        value = draw(st.one_of(st.sampled_from(HOSTILE_VALUES), st.text(max_size=30)))
        if draw(st.integers(0, 4)) == 0:
            old = columns[draw(st.integers(0, len(columns) - 1))]
            columns = [value if c == old else c for c in columns]
            rows = [{(value if k == old else k): v for k, v in r.items()} for r in rows]
        else:
            row = rows[draw(st.integers(0, len(rows) - 1))]
            row[columns[draw(st.integers(0, len(columns) - 1))]] = value
    return csv_bytes(columns, rows)


@st.composite
def csv_id_edits(draw) -> bytes:
    """A CSV that any reader parses but whose ids are wrong: missing heading, repeated, zero, negative or text."""
    columns, rows = list(_COLUMNS), [dict(r) for r in _ROWS]
    kind = draw(st.integers(0, 2))
    if kind == 0:
        renamed = draw(st.sampled_from(["", "ID", "response_id", "id "]))
        columns = [renamed if c == "id" else c for c in columns]
        rows = [{(renamed if k == "id" else k): v for k, v in r.items()} for r in rows]
    elif kind == 1:
        rows.append(dict(rows[draw(st.integers(0, len(rows) - 1))]))
    else:
        rows[draw(st.integers(0, len(rows) - 1))]["id"] = draw(st.sampled_from(["0", "-3", "x", "1.5", ""]))
    return csv_bytes(columns, rows)


JSON_HOSTILE = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-(10**400), max_value=10**400),
    st.floats(allow_nan=False, allow_infinity=False), st.sampled_from(HOSTILE_VALUES),
    st.lists(st.integers(), max_size=3), st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
)


@st.composite
def json_structure_edits(draw) -> bytes:
    """A well-formed JSON document whose shape or value types are wrong somewhere."""
    doc = {"responses": [dict(r, id=int(r["id"]), lastpage=int(r["lastpage"] or 0)) for r in _ROWS]}
    kind = draw(st.integers(0, 5))
    if kind == 0:
        row = doc["responses"][draw(st.integers(0, len(_ROWS) - 1))]
        row[draw(st.sampled_from(_COLUMNS))] = draw(JSON_HOSTILE)
    elif kind == 1:
        del doc["responses"][draw(st.integers(0, len(_ROWS) - 1))][draw(st.sampled_from(_COLUMNS))]
    elif kind == 2:
        doc["responses"][draw(st.integers(0, len(_ROWS) - 1))][draw(st.text(max_size=10))] = "x"
    elif kind == 3:
        doc["responses"][draw(st.integers(0, len(_ROWS) - 1))] = draw(JSON_HOSTILE)
    elif kind == 4:
        doc["responses"] = draw(JSON_HOSTILE)
    else:
        doc = draw(st.one_of(JSON_HOSTILE, st.just([doc])))
    return json.dumps(doc).encode()


def export_cases(file_format: str) -> st.SearchStrategy[bytes]:
    base = EXPORT_BASES[file_format]
    if file_format == "csv":
        return st.one_of(byte_mutations(base), csv_field_edits(), csv_id_edits(), st.binary(max_size=300))
    return st.one_of(byte_mutations(base), json_structure_edits(), st.binary(max_size=300))


def check_export(export) -> None:
    columns = list(export.columns)
    if "id" not in columns or len(set(columns)) != len(columns):
        raise Unhandled(f"export loaded with headings {columns[:10]}")
    ids = set()
    for response in export.responses:
        if list(response) != columns or not all(isinstance(v, str) for v in response.values()):
            raise Unhandled("a loaded response does not have the export's columns as text")
        rid = int(response["id"])
        if rid < 1 or rid in ids:
            raise Unhandled(f"loaded a bad or repeated id {rid}")
        ids.add(rid)


def export_outcome(data: bytes, file_format: str) -> str:
    name = f"survey_418201_hostile.{file_format}"
    return judge(lambda: parse_export(data, name, file_format), (ExportError,), name, check_export)


# -- SPSS .sav -------------------------------------------------------------------------------------------
@functools.cache
def _sav_base() -> bytes:
    import pandas as pd
    import pyreadstat

    frame = pd.DataFrame({"id": [1.0, 2.0, 3.0], "submitdate": ["2018-06-01 10:00:00", "", "x"],
                          "wijk": ["W01", "W02", "W03"], "kinderen": [1.0, None, 3.0]})
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "base.sav"
        pyreadstat.write_sav(frame, str(path))
        return path.read_bytes()


SAV_COLUMNS = ["id", "submitdate", "wijk", "kinderen"]


def sav_cases() -> st.SearchStrategy[bytes]:
    base = _sav_base()
    return st.one_of(byte_mutations(base), st.binary(max_size=400))


def sav_outcome(data: bytes) -> str:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "results-survey418201.sav"
        path.write_bytes(data)
        return judge(lambda: read_sav(path, SAV_COLUMNS), (ExportError,), path.name, check_export)


# -- YAML: the files of a study folder (questionnaires, subject lists, study.yaml) and shared scales ------------
def _paths(node, prefix=()):
    yield prefix
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _paths(value, (*prefix, index))


def _replace(node, path, value):
    if not path:
        return value
    node[path[0]] = _replace(node[path[0]], path[1:], value)
    return node


YAML_HOSTILE = st.one_of(JSON_HOSTILE, st.sampled_from(["{{", "- - -", ": :", "!!python/object:os.system", "&a [*a]"]))


@st.composite
def yaml_structure_edits(draw, text: str) -> bytes:
    doc = yaml.safe_load(text)
    paths = list(_paths(doc))
    for _ in range(draw(st.integers(1, 3))):
        path = paths[draw(st.integers(0, len(paths) - 1))]
        try:
            doc = _replace(doc, path, draw(YAML_HOSTILE))
        except (KeyError, IndexError, TypeError):  # an earlier edit removed the path
            continue
        paths = list(_paths(doc))
    return yaml.safe_dump(doc, allow_unicode=True).encode("utf-8")


def yaml_cases(path: Path) -> st.SearchStrategy[bytes]:
    base = path.read_bytes()
    return st.one_of(yaml_structure_edits(base.decode("utf-8")), byte_mutations(base),
                     st.sampled_from([b"", b"---\n", b"[]", b"42", b"!!python/object/apply:os.system ['true']",
                                      b"a: &a [*a, *a]", b"\t- x", b"key: [unclosed"]))


def _hostile_study(tmp: Path, replaced: Path, data: bytes) -> tuple[Path, Path]:
    """A copy of the demo study folder (without its response exports) and of the shared material in ``tmp``,
    with the file ``replaced`` (a path in either) holding ``data``; returns (studies folder, shared folder)."""
    studies, shared = tmp / "studies", tmp / "shared"
    shutil.copytree(DEMO, studies / DEMO_STUDY, ignore=shutil.ignore_patterns("data"))
    shutil.copytree(SHARED, shared)
    target = (studies / DEMO_STUDY / replaced.relative_to(DEMO) if replaced.is_relative_to(DEMO)
              else shared / replaced.relative_to(SHARED))
    target.write_bytes(data)
    return studies, shared


def _check_instrument(instrument) -> None:
    if not instrument.columns() or not instrument.version:
        raise Unhandled("an instrument loaded without columns or version")


def _study_outcome(replaced: Path, data: bytes, names: tuple[str, ...]) -> str:
    """Load the study with one hostile file, then build its parent questionnaire of 2018: either loads, or
    the project's error names one of ``names``. A file that loads but lost what a questionnaire refers to (a
    scale, a subject list, an import) shows as the questionnaire's problem: then parent.yaml is named."""
    with tempfile.TemporaryDirectory() as tmp:
        studies, shared = _hostile_study(Path(tmp), replaced, data)
        return judge(lambda: load_study(DEMO_STUDY, studies, shared=shared).instrument("parent", "2018"),
                     (InstrumentError,), names, _check_instrument)


def instrument_outcome(data: bytes, name: str = "parent") -> str:
    """A hostile questionnaire (``parent``) or answer scales file (``scales``, shared by every study)."""
    replaced = {"parent": PARENT, "scales": SCALES}[name]
    names = ("scales.yaml", "parent.yaml") if name == "scales" else ("parent.yaml",)
    return _study_outcome(replaced, data, names)


def catalogue_outcome(data: bytes) -> str:
    """A hostile ``subjects.yaml``: the study's subject lists (services, themes)."""
    return _study_outcome(SUBJECTS, data, ("subjects.yaml", "parent.yaml"))


def study_outcome(data: bytes) -> str:
    """A hostile ``study.yaml``."""
    return _study_outcome(STUDY, data, ("study.yaml", "parent.yaml"))


# -- margins files ---------------------------------------------------------------------------------------
MARGINS_BASE = (DEMO / "margins_2018.csv").read_bytes()
MARGIN_CATEGORIES = {"wijk": {"W01", "W02", "W03", "W04"}, "opleiding": {"LAAG", "MID", "HOOG"}}


@st.composite
def margins_cell_edits(draw) -> bytes:
    lines = MARGINS_BASE.decode("utf-8").splitlines()
    for _ in range(draw(st.integers(1, 3))):
        row = draw(st.integers(0, len(lines) - 1))
        cells = lines[row].split(",")
        cells[draw(st.integers(0, len(cells) - 1))] = draw(st.sampled_from(HOSTILE_VALUES + ["0", "-5", "1e400",
                                                                                           "1,2", "W01"]))
        lines[row] = ",".join(cells)
    if draw(st.booleans()):
        lines.append(lines[draw(st.integers(0, len(lines) - 1))])  # a category twice
    return ("\n".join(lines) + "\n").encode("utf-8")


def margins_cases() -> st.SearchStrategy[bytes]:
    return st.one_of(margins_cell_edits(), byte_mutations(MARGINS_BASE), st.binary(max_size=200))


def margins_outcome(data: bytes) -> str:
    import math

    name = "margins_hostile.csv"

    def check(result) -> None:
        for variable, categories in result.margins.items():
            if not all(math.isfinite(v) and v > 0 for v in categories.values()):
                raise Unhandled(f"margin {variable} loaded with a total that is not positive and finite")
            if abs(sum(categories.values()) - result.control_total) > 1e-6 * result.control_total:
                raise Unhandled(f"margin {variable} loaded with a total other than the control total")

    return judge(lambda: margins_from_csv(data, name, categories=MARGIN_CATEGORIES), (WeightingError,), name, check)


# -- sweeps: many cases, counted instead of stopping at the first finding ------------------------------------
def sweep(strategy: st.SearchStrategy, outcome: Callable[[object], str], cases: int,
          seed: int = 0) -> tuple[dict[str, int], list[str]]:
    """Run ``cases`` generated inputs through ``outcome`` (which judges one input, or a sequence of them and
    returns one outcome each); count loaded/refused/unhandled and keep the first findings' messages (the reliability run reports them; tests use ``@given`` directly)."""
    from hypothesis import HealthCheck, Phase, given, settings
    from hypothesis import seed as fixed_seed

    counts = {LOADED: 0, REFUSED: 0, "unhandled": 0}
    findings: list[str] = []

    @fixed_seed(seed)
    @settings(max_examples=cases, database=None, deadline=None, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(strategy)
    def run(case):
        try:
            result = outcome(case)
            for each in [result] if isinstance(result, str) else result:  # a sequence's outcome: one per file
                counts[each] += 1
        except Unhandled as exc:
            counts["unhandled"] += 1
            if len(findings) < 20:
                findings.append(str(exc))

    run()
    return counts, findings


# -- loading into the raw layer: all of a file or nothing ------------------------------------------------------
def raw_counts(con) -> tuple[int, int]:
    return con.execute("SELECT (SELECT count(*) FROM raw.responses), (SELECT count(*) FROM raw.loads)").fetchall()[0]


@functools.cache
def _parent_instrument():
    return load_study(DEMO_STUDY).instrument("parent", "2018")


def _read_back(data: bytes, path: Path, file_format: str):
    if file_format == "sav":
        from instruments.limesurvey_export import META_COLUMNS

        return read_sav(path, [*META_COLUMNS, *(c.name for c in _parent_instrument().columns())])
    return parse_export(data, path, file_format)


def raw_load_outcome(con, folder: Path, data: bytes, file_format: str) -> str:
    """Load a hostile export (CSV, JSON or SPSS) the way the ingest asset loads a file, after a good one:
    either it loads whole (one load row, its responses) or it is refused and the raw layer is exactly as before."""
    from pipelines.stages.ingest import file_batch
    from warehouse import raw

    path = folder / f"survey_418201_hostile.{file_format}"
    path.write_bytes(data)
    common = {"study_id": "hostile", "survey_id": 418201, "wave": "2018", "instrument": "parent",
              "instrument_version": "v"}
    instrument = _parent_instrument() if file_format == "sav" else None
    before = raw_counts(con)

    def load():
        return raw.append(con, file_batch(path, common, instrument), pseudonym_key=b"reliability")

    def check(result) -> None:
        try:  # the raw layer reads a CSV with DuckDB: it must agree with the Python reader
            expected = len(_read_back(data, path, file_format).responses)
        except ExportError as exc:
            raise Unhandled(f"the raw layer loaded a file the export reader refuses: {exc}") from None
        if result.received != expected:
            raise Unhandled(f"the raw layer read {result.received} responses, the export reader {expected}")
        after = raw_counts(con)
        if after != (before[0] + result.inserted, before[1] + 1):
            raise Unhandled(f"a load reported {result.inserted} new rows but the raw layer went {before} -> {after}")

    outcome = judge(load, (ExportError,), path.name, check)
    if outcome == REFUSED and raw_counts(con) != before:
        raise Unhandled(f"a refused file changed the raw layer: {before} -> {raw_counts(con)}")
    return outcome


# -- an inbox's worth of files, every format interleaved on one long-lived connection ---------------------------
LOADER_FORMATS = ("csv", "json", "sav")


def _format_cases(file_format: str) -> st.SearchStrategy[bytes]:
    if file_format == "sav":
        return st.one_of(st.just(_sav_base()), sav_cases())
    if file_format == "csv":  # a CSV that DuckDB reads and the id checks refuse is the one that once left a view
        return st.one_of(st.just(EXPORT_BASES["csv"]), csv_id_edits(), export_cases("csv"))
    return st.one_of(st.just(EXPORT_BASES[file_format]), export_cases(file_format))


def interleaved_cases() -> st.SearchStrategy[list[tuple[str, bytes]]]:
    """Sequences of files of any format in random order (good ones among them), as an inbox delivers them."""
    one = st.sampled_from(LOADER_FORMATS).flatmap(lambda f: _format_cases(f).map(lambda data: (f, data)))
    return st.lists(one, min_size=2, max_size=6)


def interleaved_outcome(con, folder: Path, files: list[tuple[str, bytes]]) -> list[str]:
    """Load the files in turn on one connection, as the ingest asset and the inbox sensor do: each one is judged
    as alone (all or nothing, the project's error), so what an earlier file left behind shows as a finding."""
    return [raw_load_outcome(con, folder, data, file_format) for file_format, data in files]
