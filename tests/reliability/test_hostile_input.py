"""Every parser and loader, fed generated hostile and malformed input (benchmarks/harness/cases.py): it
loads correctly or raises the project's own error naming the file or call, never anything else, and a
refused file leaves the raw layer exactly as it was. A fixed-seed sample here; thousands in
`make reliability`."""

import json
from functools import partial

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from instruments.limesurvey_export import parse_export
from benchmarks.harness import cases
from benchmarks.harness import rc2_cases
from benchmarks.harness.rc2_cases import HostileServer
from warehouse.connection import connect
from warehouse.paths import Locations

HTML_PAGE = b"<!DOCTYPE html><html><body>500 Internal Server Error</body></html>"
GOOD_JSON = cases.EXPORT_BASES["json"]


@settings(max_examples=150)
@given(cases.export_cases("csv"))
@example(b"\xef\xbb\xbf" + cases.EXPORT_BASES["csv"][3:].replace(b'"id"', b'"\xff"'))  # invalid UTF-8
@example(cases.EXPORT_BASES["csv"].replace(b'"1"', b'"' + b"9" * 400 + b'"', 1))  # a huge id
def test_csv_exports(data):
    cases.export_outcome(data, "csv")


@settings(max_examples=150)
@given(cases.export_cases("json"))
@example(b'{"responses": [{"id": 1e400}]}')
@example(b'{"responses": {"id": 1}}')
def test_json_exports(data):
    cases.export_outcome(data, "json")


@pytest.mark.parametrize("file_format", ["csv", "json"])
def test_bom_and_line_endings_do_not_change_the_records(file_format):
    base = cases.EXPORT_BASES[file_format]
    expected = parse_export(base, "base", file_format).responses
    without_bom = base.removeprefix(b"\xef\xbb\xbf")
    for variant in (without_bom, b"\xef\xbb\xbf" + without_bom, base.replace(b"\r\n", b"\n")):
        assert parse_export(variant, "variant", file_format).responses == expected


@settings(max_examples=60)
@given(cases.sav_cases())
def test_spss_files(data):
    cases.sav_outcome(data)


@settings(max_examples=60)
@given(cases.yaml_cases(cases.PARENT))
@example(b"!!python/object/apply:os.system ['echo owned']")  # safe_load: refused, never run
def test_instrument_definitions(data):
    cases.instrument_outcome(data)


@settings(max_examples=30)
@given(cases.yaml_cases(cases.SCALES))
def test_answer_scales(data):
    cases.instrument_outcome(data, name="scales")


@settings(max_examples=60)
@given(cases.yaml_cases(cases.SUBJECTS))
def test_subject_lists(data):
    cases.catalogue_outcome(data)


@settings(max_examples=80)
@given(cases.yaml_cases(cases.STUDY))
@example(b"study_id: ../../etc\nsurveys: [{survey_id: 1, instrument: parent, wave: '2018'}]\n")
@example(b"study_id: x\nsurveys: [{survey_id: 1, instrument: parent, wave: '2018', export: [1]}]\n")
def test_study_files(data):
    cases.study_outcome(data)


@settings(max_examples=120)
@given(cases.margins_cases())
@example(b"variable,category,population_count,source,reference_year\n")  # headings only
@example(cases.MARGINS_BASE.replace(b"1450", b"1e400"))  # infinite
@example(cases.MARGINS_BASE.replace(b"1450", b"abc"))
def test_margins_files(data):
    cases.margins_outcome(data)


@pytest.fixture(scope="module")
def hostile_server():
    server = HostileServer().start()
    yield server
    server.stop()


def _reply(method: str, result, status: int = 200) -> tuple[str, int, str, bytes]:
    return method, status, "application/json", (
        '{"id":{ID},"result":' + json.dumps(result) + ',"error":null}').encode()


@settings(max_examples=120)
@given(reply=rc2_cases.rc2_replies())
@example(reply=("export_responses", 500, "text/html", HTML_PAGE))
@example(reply=("get_session_key", 200, "text/html", HTML_PAGE))
@example(reply=_reply("export_responses", rc2_cases._b64(GOOD_JSON)[:-7]))  # truncated base64
@example(reply=_reply("export_responses", rc2_cases._b64(b"\xff\xfe" + GOOD_JSON)))  # invalid UTF-8 inside
@example(reply=_reply("get_summary", {"completed_responses": "12", "incomplete_responses": "many"}))
@example(reply=_reply("get_summary", {"completed_responses": 10**40, "incomplete_responses": 0}))
@example(reply=_reply("list_questions", [{"qid": "x", "parent_qid": 0}]))
@example(reply=_reply("get_session_key", {"not": "a key"}))
@example(reply=("list_groups", 200, "application/json", b'[{"id":1}]'))
def test_rc2_replies(hostile_server, reply):
    rc2_cases.rc2_outcome(hostile_server, reply)


def test_rc2_export_with_bom_and_crlf_loads_the_same_records(hostile_server):
    from pipelines.resources.limesurvey import LimeSurveyResource

    resource = LimeSurveyResource(url=hostile_server.url, username="admin", password=hostile_server.password,
                                  retries=0)
    expected = [dict(r) for r in parse_export(GOOD_JSON, "base", "json").responses]
    for body in (b"\xef\xbb\xbf" + GOOD_JSON, GOOD_JSON.replace(b"},{", b"},\r\n{")):
        hostile_server.sabotage = _reply("export_responses", rc2_cases._b64(body))
        try:
            with resource.open() as api:
                assert api.export_range(418201, 1, 10) == expected
        finally:
            hostile_server.sabotage = None


@pytest.fixture(scope="module")
def raw_layer(tmp_path_factory):
    folder = tmp_path_factory.mktemp("raw")
    locations = Locations(folder / "home", folder / "site", folder / "build")
    with connect(locations) as con:
        (folder / "survey_418201_good.csv").write_bytes(cases.EXPORT_BASES["csv"])
        cases.raw_load_outcome(con, folder, cases.EXPORT_BASES["csv"], "csv")  # earlier rows to keep intact
        assert cases.raw_counts(con) == (len(cases._ROWS), 1)
        yield con, folder


@pytest.mark.parametrize("file_format", ["csv", "json"])
def test_raw_load_is_all_or_nothing(raw_layer, file_format):
    con, folder = raw_layer
    counts, findings = cases.sweep(cases.export_cases(file_format),
                                   partial(cases.raw_load_outcome, con, folder, file_format=file_format), 60)
    assert findings == [] and counts["unhandled"] == 0
    assert counts["loaded"] > 0 and counts["refused"] > 0  # both paths were exercised


def test_raw_loads_interleaved_on_one_connection(raw_layer):
    """CSV, JSON and SPSS files, good and hostile, in random order on one connection as an inbox delivers them:
    each loads whole or is refused as if it came alone (a refused CSV once broke every later JSON load)."""
    con, folder = raw_layer
    counts, findings = cases.sweep(cases.interleaved_cases(), partial(cases.interleaved_outcome, con, folder), 40)
    assert findings == [] and counts["unhandled"] == 0
    assert counts["loaded"] > 0 and counts["refused"] > 0
    assert counts["loaded"] + counts["refused"] > 80  # sequences of two files and more, every file judged


ROUND_TRIP_COLUMNS = ["id", "submitdate", "token", "opmerking", "kent[S01]"]


@settings(max_examples=100)
@given(st.lists(st.fixed_dictionaries({c: st.text(max_size=40) for c in ROUND_TRIP_COLUMNS[1:]}), max_size=8),
       st.sampled_from(["csv", "json"]))
def test_any_text_loads_back_exactly(values, file_format):
    """Loading correctly: whatever the answers hold (quotes, separators, newlines, NUL, any script), an export
    written as LimeSurvey writes it reads back as the same records."""
    from instruments.limesurvey_export import csv_bytes, json_bytes

    records = [{"id": str(n), **row} for n, row in enumerate(values, start=1)]
    data = (csv_bytes if file_format == "csv" else json_bytes)(ROUND_TRIP_COLUMNS, records)
    assert [dict(r) for r in parse_export(data, "round-trip", file_format).responses] == records
