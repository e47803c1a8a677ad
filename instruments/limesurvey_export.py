"""LimeSurvey response export files: read and write them exactly as LimeSurvey 6 does.

Shapes follow the recordings in ``shared/fixtures/limesurvey/`` (LimeSurvey 6.4.2):

* CSV ("code" headings, "short" answers): UTF-8 with a BOM, ``;`` separator, every field double-quoted,
  quotes doubled, records end with CRLF and the file with one more CRLF; NULL exports as ``""``.
* JSON: ``{"responses": [{...}, ...]}``; in short mode ``id`` and ``lastpage`` are numbers (``""`` when
  NULL), every other value a string, non-ASCII escaped as PHP's ``json_encode`` does.

Reading normalises both to ``{column: str}`` per response so that the same response read from a CSV and
from a JSON export is byte-for-byte the same record.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from dataclasses import dataclass
from pathlib import Path

META_COLUMNS = ("id", "submitdate", "lastpage", "startlanguage", "seed", "token", "startdate", "datestamp")
_NUMERIC_IN_JSON = frozenset({"id", "lastpage"})
_BOM = "\ufeff"


class ExportError(ValueError):
    """A response export that cannot be read. The message names the file, the line where there is one,
    and what was expected."""

    def __init__(self, path: Path | str, problem: str, line: int | None = None):
        where = f"{path}, line {line}" if line is not None else f"{path}"
        super().__init__(f"{where}: {problem}")
        self.path = str(path)
        self.line = line
        self.problem = problem


@dataclass(frozen=True)
class ResponseExport:
    """The responses of one export file, in file order; every value a string ("" for NULL)."""

    path: Path
    format: str  # "csv" or "json"
    columns: tuple[str, ...]
    responses: tuple[dict[str, str], ...]
    sha256: str  # of the file's bytes, recorded with the load


def csv_bytes(columns: list[str], responses: list[dict[str, str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow(columns)
    for response in responses:
        writer.writerow([response.get(c, "") for c in columns])
    buffer.write("\r\n")
    return (_BOM + buffer.getvalue()).encode("utf-8")


def json_bytes(columns: list[str], responses: list[dict[str, str]]) -> bytes:
    def value(column: str, raw: str) -> int | str:
        return int(raw) if column in _NUMERIC_IN_JSON and raw != "" else raw

    objects = [
        json.dumps({c: value(c, r.get(c, "")) for c in columns}, separators=(",", ":"), ensure_ascii=True)
        for r in responses
    ]
    return ('{"responses": [' + ",".join(objects) + "]}").encode("ascii")


def write_csv(path: Path, columns: list[str], responses: list[dict[str, str]]) -> None:
    path.write_bytes(csv_bytes(columns, responses))


def write_json(path: Path, columns: list[str], responses: list[dict[str, str]]) -> None:
    path.write_bytes(json_bytes(columns, responses))


def read_export(path: Path | str) -> ResponseExport:
    """Read a CSV or JSON response export (chosen by the file's extension)."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".json"):
        raise ExportError(path, "expected a LimeSurvey response export ending in .csv or .json")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ExportError(path, f"cannot read the file ({exc.strerror or exc})") from exc
    return parse_export(data, path, suffix[1:])


def read_columns(path: Path | str) -> tuple[str, ...]:
    """The headings of an export without reading its responses (a CSV's first record only)."""
    path = Path(path)
    if path.suffix.lower() != ".csv":
        return read_export(path).columns
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            header = next(csv.reader(handle, delimiter=";", strict=True), None)
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise ExportError(path, f"cannot read the headings ({exc})", 1) from exc
    if not header:
        raise ExportError(path, "the file is empty; expected a LimeSurvey response export")
    _check_columns(path, header, 1)
    return tuple(header)


def parse_export(data: bytes, path: Path | str, file_format: str) -> ResponseExport:
    """Parse the bytes of an export; ``path`` names where they came from (a file, or an API call)."""
    path = Path(path)
    suffix = "." + file_format
    if not data.strip():
        raise ExportError(path, "the file is empty; expected a LimeSurvey response export")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ExportError(path, f"invalid UTF-8 at byte {exc.start}; LimeSurvey exports UTF-8", line) from exc
    text = text.removeprefix(_BOM)
    if not text.strip():
        raise ExportError(path, "the file holds nothing but a byte-order mark; expected a LimeSurvey response export")
    if suffix == ".csv":
        columns, responses = _parse_csv(path, text)
    else:
        columns, responses = _parse_json(path, text)
    _check_ids(path, responses)
    return ResponseExport(path, suffix[1:], tuple(columns), tuple(responses), hashlib.sha256(data).hexdigest())


def _check_columns(path: Path, columns: list[str], line: int | None) -> None:
    if "id" not in columns:
        raise ExportError(path, "no 'id' column; expected LimeSurvey code headings such as id;submitdate;...", line)
    seen: set[str] = set()
    for c in columns:
        if not c.strip():
            raise ExportError(path, "a heading is empty; every column needs a name", line)
        if c in seen:
            raise ExportError(path, f"column {c!r} appears twice in the headings", line)
        seen.add(c)


# Python's csv refuses fields over 128 KiB by default; a long-text answer may be longer (PostgreSQL TEXT).
_FIELD_LIMIT = 1 << 28


def _parse_csv(path: Path, text: str) -> tuple[list[str], list[dict[str, str]]]:
    if csv.field_size_limit() < _FIELD_LIMIT:
        csv.field_size_limit(_FIELD_LIMIT)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=";", strict=True)
    try:
        header = next(reader)
        _check_columns(path, header, 1)
        responses = []
        for row in reader:
            if not row:  # LimeSurvey ends the file with an empty record
                continue
            if len(row) != len(header):
                raise ExportError(
                    path, f"{len(row)} fields where the headings name {len(header)}", reader.line_num
                )
            responses.append(dict(zip(header, row, strict=True)))
    except csv.Error as exc:
        raise ExportError(path, f"malformed CSV ({exc})", reader.line_num) from exc
    return header, responses


def _parse_json(path: Path, text: str) -> tuple[list[str], list[dict[str, str]]]:
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ExportError(path, f"malformed JSON ({exc.msg})", exc.lineno) from exc
    if not isinstance(doc, dict) or not isinstance(doc.get("responses"), list):
        raise ExportError(path, 'expected an object {"responses": [...]} as LimeSurvey exports')
    columns: list[str] | None = None
    responses = []
    for index, item in enumerate(doc["responses"], start=1):
        if not isinstance(item, dict):
            raise ExportError(path, f"response {index} is not an object")
        if columns is None:
            columns = list(item)
            _check_columns(path, columns, None)
        elif list(item) != columns:
            raise ExportError(path, f"response {index} has other fields than the first response")
        record = {}
        for key, value in item.items():
            if value is None:
                record[key] = ""
            elif isinstance(value, bool) or not isinstance(value, (str, int, float)):
                raise ExportError(path, f"response {index}, field {key!r}: expected a string or number")
            else:
                record[key] = value if isinstance(value, str) else _number_text(value)
        responses.append(record)
    return columns or ["id"], responses


def _number_text(value: int | float) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _check_ids(path: Path, responses: list[dict[str, str]]) -> None:
    seen: set[int] = set()
    for index, response in enumerate(responses, start=1):
        raw = response["id"]
        if not (raw.isascii() and raw.isdigit()):  # int() would also take " 7", "+7", "1_000" or other scripts' digits
            raise ExportError(path, f"response {index}: id {raw[:40]!r} is not a whole number")
        rid = int(raw)
        if rid < 1:
            raise ExportError(path, f"response {index}: id {rid} is not positive")
        if rid in seen:
            raise ExportError(path, f"response id {rid} appears twice")
        seen.add(rid)


def read_sav(path: Path | str, columns: list[str]) -> ResponseExport:
    """An SPSS export (.sav). SPSS names cannot hold brackets, so a variable is matched to the export
    column it stands for by the column's ExpressionScript name (``kent_S01`` for ``kent[S01]``) or
    by the column name itself; values become the strings a code-heading CSV export holds."""
    import math
    from datetime import date, datetime

    import pyreadstat

    from instruments.conditions import em_variable

    path = Path(path)
    try:
        frame, _ = pyreadstat.read_sav(str(path), apply_value_formats=False)
    except Exception as exc:  # noqa: BLE001 - pyreadstat raises several types for unreadable files
        raise ExportError(path, f"not a readable SPSS .sav file ({exc})") from None
    by_variable = {em_variable(c): c for c in columns} | {c: c for c in columns}
    unknown = [v for v in frame.columns if v not in by_variable]
    if unknown:
        raise ExportError(path, "variables that are no column of the questionnaire: " + ", ".join(unknown[:20]))
    names = [by_variable[v] for v in frame.columns]

    def text(value: object) -> str:
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return ""
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        if isinstance(value, datetime):
            return value.strftime("%Y-%m-%d %H:%M:%S")
        if isinstance(value, date):
            return value.strftime("%Y-%m-%d 00:00:00")
        return str(value)

    responses = tuple(dict(zip(names, (text(v) for v in row), strict=True))
                      for row in frame.itertuples(index=False, name=None))
    _check_columns(path, names, None)
    _check_ids(path, list(responses))
    return ResponseExport(path, "sav", tuple(names), responses, hashlib.sha256(path.read_bytes()).hexdigest())
