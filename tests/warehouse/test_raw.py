"""warehouse/raw.py: append-only, idempotent, versioned, and all-or-nothing."""

import duckdb
import pytest

from instruments.limesurvey_export import ExportError, read_export
from tests.conftest import DEMO_EXPORTS
from warehouse import raw
from warehouse.pseudonyms import pseudonym

PARENTS_2018 = DEMO_EXPORTS / "survey_418201_2018_parent.csv"


def _batch(responses, source="file", survey_id=418201):
    return raw.Batch(source=source, study_id="demo-brussels", survey_id=survey_id, wave="2018",
                     instrument="parent", instrument_version="v1", origin=PARENTS_2018.name, responses=responses)


def _append(con, batch):
    return raw.append(con, batch, pseudonym_key=b"test-key")


def _count(con, sql="SELECT count(*) FROM raw.responses"):
    return con.execute(sql).fetchall()[0][0]


def test_load_is_idempotent(con):
    responses = read_export(PARENTS_2018).responses
    first = _append(con, _batch(responses))
    second = _append(con, _batch(responses))
    assert (first.received, first.inserted) == (277, 277)
    assert (second.received, second.inserted) == (277, 0)
    assert _count(con) == 277
    assert _count(con, "SELECT count(*) FROM raw.loads") == 2  # both loads are on record


def test_the_same_responses_from_json_add_nothing(con):
    _append(con, _batch(read_export(PARENTS_2018).responses))
    again = _append(con, _batch(read_export(PARENTS_2018.with_suffix(".json")).responses))
    assert again.inserted == 0


def test_an_edited_response_is_a_new_version_and_the_old_one_stays(con):
    responses = [dict(r) for r in read_export(PARENTS_2018).responses[:5]]
    _append(con, _batch(responses))
    responses[2]["wijk"] = "W04" if responses[2]["wijk"] != "W04" else "W01"
    edited = _append(con, _batch(responses))
    assert edited.inserted == 1
    rid = int(responses[2]["id"])
    versions = con.execute(
        f"SELECT wijk FROM ({raw.versions_sql('demo-brussels', 418201)}) WHERE response_id = ? ORDER BY load_seq",
        [rid],
    ).fetchall()
    assert len(versions) == 2 and versions[1][0] == responses[2]["wijk"]
    latest = con.execute(
        f"SELECT response_id, wijk FROM ({raw.latest_answers_sql(con, 'demo-brussels', '2018', 'parent', ['wijk'])}) "
        "ORDER BY response_id"
    ).fetchall()
    assert len(latest) == 5
    assert dict(latest)[rid] == responses[2]["wijk"]


def test_reverting_an_edit_stores_the_revert(con):
    original = [dict(r) for r in read_export(PARENTS_2018).responses[:1]]
    edited = [dict(original[0], wijk="W04" if original[0]["wijk"] != "W04" else "W01")]
    assert [_append(con, _batch(b)).inserted for b in (original, edited, original)] == [1, 1, 1]


def test_a_failed_load_leaves_earlier_rows_intact(con):
    responses = read_export(PARENTS_2018).responses
    _append(con, _batch(responses[:100]))
    before = con.execute("SELECT * FROM raw.responses ORDER BY response_id").fetchall()
    # The load row violates its CHECK after the responses were inserted: the whole load must roll back.
    with pytest.raises(duckdb.ConstraintException):
        _append(con, _batch(responses, source="ftp"))
    assert con.execute("SELECT * FROM raw.responses ORDER BY response_id").fetchall() == before
    assert _count(con, "SELECT count(*) FROM raw.loads") == 1


def test_column_order_does_not_make_a_new_version(con):
    responses = read_export(PARENTS_2018).responses[:20]
    _append(con, _batch(responses))
    reordered = [dict(reversed(list(r.items()))) for r in responses]
    assert _append(con, _batch(reordered)).inserted == 0


def test_duckdb_reads_large_csv_exports_to_the_same_rows(con):
    by_duckdb = _append(con, raw.Batch("file", "demo-brussels", 418201, "2018", "parent", "v1",
                                          PARENTS_2018.name, (), csv_path=PARENTS_2018))
    assert (by_duckdb.received, by_duckdb.inserted) == (277, 277)
    assert _append(con, _batch(read_export(PARENTS_2018).responses)).inserted == 0
    assert _append(con, _batch(read_export(PARENTS_2018.with_suffix(".json")).responses)).inserted == 0
    stored = con.execute(
        f"SELECT opmerking FROM ({raw.versions_sql('demo-brussels', 418201)}) WHERE response_id = 1").fetchall()
    assert stored == [(read_export(PARENTS_2018).responses[0]["opmerking"],)]


def test_a_garbled_csv_is_named_with_its_line(con, tmp_path):
    broken = tmp_path / "survey.csv"
    broken.write_bytes(PARENTS_2018.read_bytes().replace(b'"\r\n"2";', b'"\r\n"2";"x";', 1))
    with pytest.raises(ExportError, match="survey.csv, line 3: 127 fields where the headings name 126"):
        _append(con, raw.Batch("file", "demo-brussels", 418201, "2018", "parent", "v1", broken.name, (),
                                  csv_path=broken))
    assert con.execute("SELECT count(*) FROM raw.loads").fetchall()[0][0] == 0


def test_duplicate_ids_are_refused(con):
    responses = read_export(PARENTS_2018).responses[:3]
    with pytest.raises(ExportError, match="1 response ids appear more than once"):
        _append(con, _batch([*responses, responses[0]]))


@pytest.mark.parametrize("key", [b"test-key", b"k" * 100])  # a key longer than the hash block is hashed first
def test_pseudonyms_computed_in_sql_equal_the_python_hmac(con, key):
    responses = read_export(PARENTS_2018).responses[:40]
    assert {bool(r["token"]) for r in responses} == {True, False}  # with and without a token
    raw.append(con, _batch(responses), pseudonym_key=key)
    stored = dict(con.execute("SELECT response_id, respondent_id FROM raw.responses").fetchall())
    assert stored == {int(r["id"]): pseudonym(key, "demo-brussels", r["token"], 418201, int(r["id"]))
                      for r in responses}


def test_refused_batches_leave_nothing_behind_on_a_long_lived_connection(con, tmp_path):
    """One connection loads an inbox's worth of files in turn, as the ingest asset and the inbox sensor do: a
    refused file (CSV read by DuckDB, refused for its ids) must not break the next load, whatever its reader."""
    import dataclasses

    import pandas as pd
    import pyreadstat

    from instruments.limesurvey_export import csv_bytes, read_sav

    export = read_export(PARENTS_2018)
    columns, rows = list(export.columns), [dict(r) for r in export.responses[:12]]

    def csv_file(name, data):
        (tmp_path / name).write_bytes(data)
        return raw.Batch("file", "demo-brussels", 418201, "2018", "parent", "v1", name, (), csv_path=tmp_path / name)

    repeated_id = csv_file("repeated.csv", csv_bytes(columns, [*rows, rows[0]]))
    no_id = csv_file("no-id.csv", csv_bytes(["wijk"], [{"wijk": "W01"}]))
    zero_id = csv_file("zero-id.csv", csv_bytes(columns, [dict(rows[0], id="0")]))
    refusals = [(repeated_id, "appear more than once"), (no_id, "no 'id' column"),
                (zero_id, "not positive whole numbers")]

    sav = tmp_path / "parents.sav"
    frame = pd.DataFrame(rows)[["id", "submitdate", "wijk", "opleiding"]]
    frame["id"] = frame["id"].astype(float)
    pyreadstat.write_sav(frame, str(sav))
    # Two line endings in one file: DuckDB's reader refuses it, the Python reader reads it.
    mixed = csv_file("mixed.csv", csv_bytes(columns, rows).replace(b"\r\n", b"\n", 3))
    loads = [
        _batch(read_export(PARENTS_2018.with_suffix(".json")).responses[:12], survey_id=1),
        _batch(read_sav(sav, list(frame.columns)).responses, survey_id=2),
        dataclasses.replace(mixed, survey_id=3),
    ]
    for good, (refused, reason) in zip(loads, refusals):
        with pytest.raises(ExportError, match=reason):
            _append(con, refused)
        result = _append(con, good)
        assert (result.received, result.inserted) == (12, 12)
    assert con.execute("SELECT survey_id, count(*) FROM raw.responses GROUP BY ALL ORDER BY 1").fetchall() == [
        (1, 12), (2, 12), (3, 12)]
    temporary = con.execute("SELECT count(*) FROM duckdb_views() WHERE temporary AND view_name LIKE 'incoming%'")
    assert temporary.fetchall()[0][0] == 0


@pytest.mark.parametrize("ids, reason", [(["1.5"], "not positive whole numbers"), (["1e3"], "not positive whole"),
                                         (["0x10"], "not positive whole"), ([" 7"], "not positive whole"),
                                         (["7", "007"], "appear more than once")])
def test_ids_are_digits_and_compared_as_numbers_by_either_reader(con, tmp_path, ids, reason):
    """DuckDB's cast reads "1.5" as 2 and "0x10" as 16, and "007" is response 7: a CSV read by DuckDB is refused
    exactly when the Python reader refuses it, so no id is stored other than LimeSurvey wrote it."""
    from instruments.limesurvey_export import csv_bytes

    export = read_export(PARENTS_2018)
    rows = [dict(export.responses[n], id=i) for n, i in enumerate(ids)]
    path = tmp_path / "ids.csv"
    path.write_bytes(csv_bytes(list(export.columns), rows))
    with pytest.raises(ExportError):
        read_export(path)
    with pytest.raises(ExportError, match=reason):
        _append(con, raw.Batch("file", "demo-brussels", 418201, "2018", "parent", "v1", path.name, (), csv_path=path))
    assert _count(con) == 0
