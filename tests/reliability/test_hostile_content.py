"""Hostile content, one class per test: HTML/JS, SQL fragments, path traversal, very long strings, and
right-to-left or zero-width characters, in service labels (subjects.yaml -> codebook -> every page), answer
texts (exports) and file names (inbox). Each is shown as text on every page, stored exactly, and never
used as a path."""

import json
import re
from html.parser import HTMLParser
from xml.etree import ElementTree
from pathlib import Path

import dagster as dg
import pytest
import yaml

from instruments.limesurvey_export import read_export, write_csv
from instruments.model import InstrumentError
from instruments.study import DEMO_STUDY, load_study
from pipelines.runner import run_study
from warehouse.connection import connect
from benchmarks.harness.studies import write_study

pytestmark = pytest.mark.e2e

SCRIPT = "<script>alert('label')</script><img src=x onerror=alert(1)></script><script>alert(2)//"
SQL = "Robert'); DROP TABLE clean.parent_responses; -- \" OR 1=1 --"
TRAVERSAL = "../../../etc/passwd"
LONG = "Opvoedingsondersteuning " * 800  # 19,200 characters
BIDI = "\u202eevil\u202c Huis\u200b van\u200d het\u2066 Kind\u2069\ufeff"
LABELS = {"S01": SCRIPT, "S02": SQL, "S03": TRAVERSAL, "S04": LONG, "S05": BIDI}
FREE_TEXT = {"script": SCRIPT, "sql": SQL, "long": "x" * 3_000_000}  # past DuckDB's 2 MB CSV line limit
SERVICES = {"S01", "S02", "S03", "S04", "S05", "S06"}


class _Page(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.tags: list[tuple[str, dict]] = []
        self.scripts: list[str] = []
        self.data_scripts: list[str] = []  # type="application/json": data for the charts, never run
        self._script = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._script = tag == "script"
        if self._script:
            is_data = dict(attrs).get("type") == "application/json"
            (self.data_scripts if is_data else self.scripts).append("")
            self._target = self.data_scripts if is_data else self.scripts

    def handle_endtag(self, tag):
        self._script = False

    def handle_data(self, data):
        if self._script:
            self._target[-1] += data
        else:
            self.text.append(data)


def _pages(run) -> dict[str, str]:
    site, build = run.locations.site, run.locations.build
    pages = {f"site/{lang}": (site / lang / "index.html").read_text(encoding="utf-8") for lang in ("nl", "fr", "en")}
    for path in sorted((build / run.study_id).glob("codebook.*.html")):
        pages[f"build/{path.name}"] = path.read_text(encoding="utf-8")
    return pages


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile")
    demo = load_study(DEMO_STUDY)
    surveys = [{"survey_id": 418201, "instrument": "parent", "wave": "2018", "export": "parents.csv",
                "margins": str(demo.surveys[0].margins)},
               {"survey_id": 418202, "instrument": "field_actor", "wave": "2018", "export": str(demo.surveys[1].export)}]
    studies = write_study(root / "studies", "hostile", surveys, title={lang: SCRIPT for lang in ("nl", "fr", "en")},
                          demo_pseudonym_key="k")
    subjects_file = studies / "hostile" / "subjects.yaml"
    subjects = yaml.safe_load(subjects_file.read_text(encoding="utf-8"))
    for service in subjects["services"]["items"]:
        if service["code"] in LABELS:
            service.update({lang: LABELS[service["code"]] for lang in ("nl", "fr", "en")})
    subjects_file.write_text(yaml.safe_dump(subjects, allow_unicode=True), encoding="utf-8")
    parents = read_export(demo.surveys[0].export)
    rows = [dict(r) for r in parents.responses]
    for row, text in zip(rows, FREE_TEXT.values()):
        row["opmerking"] = text
    write_csv(studies / "hostile" / "parents.csv", list(parents.columns), rows)
    # Inbox files whose names carry markup, SQL and dots; one with a column named like an injection.
    inbox = root / "home" / "hostile" / "inbox"
    inbox.mkdir(parents=True)
    names = {"good": "results-survey418201 <img onerror=x>'; DROP TABLE raw.loads;--..csv",
             "bad": "results-survey418202 ..\\..\\evil.csv"}
    write_csv(inbox / names["good"], list(parents.columns), rows[:5])
    actors = read_export(demo.surveys[1].export)
    evil = 'x"; DROP TABLE raw.loads; --'
    write_csv(inbox / names["bad"], [*actors.columns, evil], [{**r, evil: "1"} for r in actors.responses[:3]])
    run = run_study("hostile", ["2018"], home=str(root / "home"), site=str(root / "site"), build=str(root / "build"),
                    studies_dir=str(studies), instance=dg.DagsterInstance.ephemeral())
    return root, run, names


def _service_labels(run) -> dict[str, str]:
    with connect(run.locations, read_only=True) as con:
        return dict(con.execute("SELECT DISTINCT subquestion, item_en FROM meta.codebook WHERE question = 'kent' "
                                "AND instrument = 'parent'").fetchall())


def test_html_and_javascript_are_shown_as_text_never_run(hostile_run):
    _, run, _ = hostile_run
    for name, source in _pages(run).items():
        assert "<script>alert" not in source and "<img src=x" not in source, name
        page = _Page()
        page.feed(source)
        handlers = [(tag, key) for tag, attrs in page.tags for key in attrs if key.lower().startswith("on")]
        assert handlers == [], name
        assert [t for t, _ in page.tags if t in ("img", "iframe", "object", "embed")] == [], name
        assert not any("alert(" in script for script in page.scripts if "Plotly" not in script), name
        for data in page.data_scripts:  # chart data: JSON whose strings hold the label as typed
            assert "</" not in data and "<script" not in data, name
            json.loads(data)
        if name.startswith("site/"):
            assert any(SCRIPT in text for text in page.text), name  # shown as typed
    for lss in sorted((run.locations.build / run.study_id).glob("*.lss")):  # LimeSurvey's XML: data, not markup
        texts = [node.text or "" for node in ElementTree.parse(lss).iter()]
        assert any(SCRIPT in text for text in texts) or lss.name.endswith("field_actor.lss"), lss.name


def test_sql_fragments_are_stored_as_values_and_run_nowhere(hostile_run):
    _, run, names = hostile_run
    labels = _service_labels(run)
    assert labels["S02"] == SQL and labels["S01"] == SCRIPT
    with connect(run.locations, read_only=True) as con:
        assert con.execute("SELECT count(*) FROM clean.parent_responses").fetchall()[0][0] > 200
        loads = con.execute("SELECT origin, responses_received FROM raw.loads ORDER BY load_seq").fetchall()
    assert sorted(n for _, n in loads) == [5, 31, 277]  # the exports and the inbox file with its odd name
    assert dict((n, origin) for origin, n in loads)[5] == names["good"]  # its name is recorded as a value
    for name, source in _pages(run).items():
        page = _Page()
        page.feed(source)
        if name.startswith("site/"):
            assert any(SQL in text for text in page.text), name


def test_path_traversal_is_refused_as_a_path_and_kept_as_text(hostile_run, tmp_path):
    root, run, names = hostile_run
    archive, quarantine = root / "home" / "hostile" / "archive", root / "home" / "hostile" / "quarantine"
    archived = [p for p in archive.iterdir()]
    assert [p.name.split("_", 1)[1] for p in archived] == [names["good"]]
    quarantined = sorted(p.name for p in quarantine.iterdir())
    assert len(quarantined) == 2 and quarantined[0].endswith(names["bad"])
    reason = (quarantine / quarantined[1]).read_text(encoding="utf-8")
    assert "columns not in the codebook" in reason and 'x"; DROP TABLE raw.loads; --' in reason
    assert [p.name for p in (root / "home").iterdir()] == ["hostile"]  # the study's home, nothing beside it
    assert sorted(p.name for p in (root / "home" / "hostile").iterdir() if not p.name.startswith(".exports-")) == [
        "archive", "exports", "inbox", "quarantine", "raw.duckdb", "toegang.duckdb"]  # .exports-*: its version
    assert _service_labels(run)["S03"] == TRAVERSAL  # a label that looks like a path is only text
    # Names from data that would become paths are refused: study ids, waves, instrument names.
    for survey, problem in (({"wave": "../../escape"}, "wave '../../escape' must be letters"),
                            ({"instrument": "../../secret"}, "instrument '../../secret' must be letters")):
        write_study(tmp_path, "t", [{"survey_id": 1, "instrument": "parent", "wave": "2018", **survey}])
        with pytest.raises(InstrumentError, match=re.escape(problem)):
            load_study("t", tmp_path)
    # The folder is the study's id: an id in study.yaml that would name another folder is refused.
    study_file = write_study(tmp_path, "u", [{"survey_id": 1, "instrument": "parent", "wave": "2018"}]) / "u" / \
        "study.yaml"
    study_file.write_text(study_file.read_text(encoding="utf-8").replace("study_id: u\n", "study_id: ../up\n"),
                          encoding="utf-8")
    with pytest.raises(InstrumentError, match=re.escape("study_id: '../up' differs from the folder's name 'u'")):
        load_study("u", tmp_path)
    with pytest.raises(InstrumentError, match="invalid study id '../up'"):
        load_study("../up", tmp_path)


def test_very_long_strings_are_kept_whole(hostile_run):
    _, run, _ = hostile_run
    assert _service_labels(run)["S04"] == LONG
    for name, source in _pages(run).items():
        if name.startswith("site/"):
            page = _Page()
            page.feed(source)
            assert any(LONG in text for text in page.text), name
    with connect(run.locations, read_only=True) as con:  # the 3 MB answer loaded (raw), free text stays there
        assert con.execute("SELECT max(responses_received) FROM raw.loads").fetchall()[0][0] == 277
        columns = [r[0] for r in con.execute("DESCRIBE clean.parent_responses").fetchall()]
    assert "opmerking" not in columns


def test_right_to_left_and_zero_width_characters_stay_text_and_never_make_a_code(hostile_run, tmp_path):
    _, run, _ = hostile_run
    assert _service_labels(run)["S05"] == BIDI
    for name, source in _pages(run).items():
        if name.startswith("site/"):
            page = _Page()
            page.feed(source)
            assert any(BIDI in text for text in page.text), name
    subjects_file = write_study(tmp_path, "z", [{"survey_id": 1, "instrument": "parent", "wave": "2018"}]) / "z" / \
        "subjects.yaml"
    subjects = yaml.safe_load(subjects_file.read_text(encoding="utf-8"))
    subjects["services"]["items"][0]["code"] = "S0\u200b1"
    subjects_file.write_text(yaml.safe_dump(subjects, allow_unicode=True), encoding="utf-8")
    with pytest.raises(InstrumentError, match=r"subjects.yaml:\d+: list services subject S0\u200b1: "
                                              r"code 'S0\\u200b1' is not a valid LimeSurvey code"):
        load_study("z", tmp_path)
    with connect(run.locations, read_only=True) as con:
        services = {r[0] for r in con.execute("SELECT DISTINCT service FROM indicators.indicators "
                                              "WHERE measure = 'awareness_rate'").fetchall()}
    assert services == SERVICES
