"""instruments/diff.py and versions.py: what changed between waves, files and git revisions."""

import shutil
import subprocess

import pytest

from instruments.diff import diff_instruments
from instruments.loader import CATALOGUES, DEFINITIONS
from instruments.model import InstrumentError
from instruments.study import DEMO_STUDY, load_study
from instruments.versions import load_version


def test_a_service_added_in_2021():
    study = load_study(DEMO_STUDY)
    changes = diff_instruments(study.instrument("parent", "2018"), study.instrument("parent", "2021"))
    added = {c.column for c in changes if c.kind == "added"}
    assert "kent[S07]" in added and "drS07[BB1]" in added and len(added) == 15
    assert not [c for c in changes if c.kind == "removed"]
    changed = {c.column: c for c in changes if c.kind == "changed"}
    assert "gebruik[S01]" in changed  # its condition now also looks at kent[S07]
    assert any("relevance" in d for d in changed["gebruik[S01]"].details)


def test_two_definition_files(tmp_path):
    new = tmp_path / "parent.yaml"
    text = (DEFINITIONS / "parent.yaml").read_text(encoding="utf-8")
    text = text.replace("Hoeveel kinderen heeft u?", "Hoeveel kinderen heeft u in totaal?")
    text = text.replace('{code: "K6", nl: "6 jaar of ouder"', '{code: "K6", nl: "Zes jaar of ouder"')
    text = text.replace("      - code: datum\n", "      - code: gesprek\n")
    new.write_text(text, encoding="utf-8")
    changes = {str(c.column): c for c in diff_instruments(
        load_version(str(DEFINITIONS / "parent.yaml"), "parent", DEMO_STUDY, "2018"),
        load_version(str(new), "parent", DEMO_STUDY, "2018"))}
    assert changes["datum"].kind == "removed" and changes["gesprek"].kind == "added"
    assert changes["kinderen"].details == ("question_nl: 'Hoeveel kinderen heeft u?' -> "
                                           "'Hoeveel kinderen heeft u in totaal?'",)
    assert changes["kindleeftijd"].details == ("answer K6 nl: '6 jaar of ouder' -> 'Zes jaar of ouder'",)


def test_two_git_revisions(tmp_path):
    repo = tmp_path / "repo"
    shutil.copytree(DEFINITIONS, repo / "instruments" / "definitions")
    shutil.copytree(CATALOGUES, repo / "instruments" / "catalogues")

    def git(*args):
        subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True)

    git("init", "-q")
    git("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "--allow-empty", "-m", "empty")
    git("add", ".")
    git("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "2018")
    git("tag", "wave-2018")
    parent = repo / "instruments" / "definitions" / "parent.yaml"
    parent.write_text(parent.read_text(encoding="utf-8").replace("Welke andere taal", "Welke taal"), encoding="utf-8")
    git("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-am", "reworded")
    old = load_version("wave-2018", "parent", DEMO_STUDY, "2018", repository=repo)
    new = load_version("HEAD", "parent", DEMO_STUDY, "2018", repository=repo)
    changes = diff_instruments(old, new)
    assert [c.column for c in changes] == ["andertaal"] and old.version != new.version
    with pytest.raises(InstrumentError, match="no instruments/definitions/parent.yaml"):
        load_version("HEAD~2", "parent", DEMO_STUDY, "2018", repository=repo)
    with pytest.raises(InstrumentError, match="neither a definition file"):
        load_version("--output=/tmp/x", "parent", DEMO_STUDY, "2018", repository=repo)
