"""instruments/limesurvey_export.py: reads the real LimeSurvey 6.4.2 exports, writes the same shapes,
and refuses broken files with the file, line and problem."""

import json

import pytest

from instruments.limesurvey_export import ExportError, read_export, write_csv, write_json


def test_real_csv_and_json_exports_read_to_the_same_records(limesurvey_fixtures):
    csv_export = read_export(limesurvey_fixtures / "73_export_responses_csv_all_code_short.csv")
    json_export = read_export(limesurvey_fixtures / "79_export_responses_json_all_code_short.json")
    assert csv_export.columns == json_export.columns
    assert csv_export.columns[:8] == ("id", "submitdate", "lastpage", "startlanguage", "seed", "token",
                                      "startdate", "datestamp")
    assert len(csv_export.responses) == 12
    assert csv_export.responses == json_export.responses
    first = csv_export.responses[0]
    assert first["tevreden[SQ001]"] == "A4" and first["kanalen[SQ003]"] == ""
    assert csv_export.responses[3]["kanalen[other]"] == 'WhatsApp-groep; "klas"'
    assert "\n" in csv_export.responses[3]["opmerking"]  # a newline inside a quoted value
    assert [r["submitdate"] for r in csv_export.responses if r["id"] in ("5", "6", "9")] == ["", "", ""]


def test_writers_reproduce_limesurvey_bytes(limesurvey_fixtures, tmp_path):
    for name, writer in (("73_export_responses_csv_all_code_short.csv", write_csv),
                         ("79_export_responses_json_all_code_short.json", write_json)):
        original = limesurvey_fixtures / name
        export = read_export(original)
        copy = tmp_path / name
        writer(copy, list(export.columns), list(export.responses))
        assert copy.read_bytes() == original.read_bytes(), name


def test_range_export_and_empty_range(limesurvey_fixtures, tmp_path):
    export = read_export(limesurvey_fixtures / "87_export_responses_json_range_3_to_7.json")
    assert [r["id"] for r in export.responses] == ["3", "4", "5", "6", "7"]
    empty = tmp_path / "empty_range.json"
    empty.write_text('{"responses": []}', encoding="utf-8")
    assert read_export(empty).responses == ()


def _broken(tmp_path, name: str, content: bytes):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(ExportError) as error:
        read_export(path)
    return error.value


def test_missing_file(tmp_path):
    with pytest.raises(ExportError) as error:
        read_export(tmp_path / "survey_1.csv")
    assert "survey_1.csv: cannot read the file" in str(error.value)


def test_empty_file(tmp_path):
    error = _broken(tmp_path, "survey.csv", b"")
    assert "survey.csv" in str(error) and "empty" in str(error)


def test_wrong_number_of_fields_names_the_line(tmp_path):
    content = '\ufeff"id";"submitdate";"wijk"\r\n"1";"";"W01"\r\n"2";"W02"\r\n'.encode()
    error = _broken(tmp_path, "survey.csv", content)
    assert error.line == 3
    assert "survey.csv, line 3: 2 fields where the headings name 3" in str(error)


def test_invalid_utf8_names_the_line(tmp_path):
    content = b'"id";"wijk"\r\n"1";"W01"\r\n"2";"\xff"\r\n'
    error = _broken(tmp_path, "survey.csv", content)
    assert error.line == 3 and "invalid UTF-8" in str(error)


def test_unterminated_quote_is_malformed(tmp_path):
    error = _broken(tmp_path, "survey.csv", b'"id";"wijk"\r\n"1";"W01\r\n')
    assert "survey.csv" in str(error)


def test_headings_without_id(tmp_path):
    error = _broken(tmp_path, "survey.csv", b'"Respons-ID";"wijk"\r\n"1";"W01"\r\n')
    assert "no 'id' column" in str(error)


def test_duplicate_response_id(tmp_path):
    error = _broken(tmp_path, "survey.csv", b'"id";"wijk"\r\n"1";"W01"\r\n"1";"W02"\r\n')
    assert "response id 1 appears twice" in str(error)


def test_non_numeric_id(tmp_path):
    error = _broken(tmp_path, "survey.json", json.dumps({"responses": [{"id": "abc"}]}).encode())
    assert "id 'abc' is not a whole number" in str(error)


def test_truncated_json_names_the_line(tmp_path):
    error = _broken(tmp_path, "survey.json", b'{"responses": [\n{"id":1,\n"wijk":"W0')
    assert "malformed JSON" in str(error) and error.line == 3


def test_json_status_message_instead_of_export(tmp_path):
    error = _broken(tmp_path, "survey.json", b'{"status": "No Data, could not get max id."}')
    assert 'expected an object {"responses": [...]}' in str(error)


def test_json_with_nested_value(tmp_path):
    error = _broken(tmp_path, "survey.json", b'{"responses": [{"id": 1, "wijk": {"a": 1}}]}')
    assert "response 1, field 'wijk': expected a string or number" in str(error)


def test_unknown_extension(tmp_path):
    error = _broken(tmp_path, "survey.xls", b"PK")
    assert ".csv or .json" in str(error)
