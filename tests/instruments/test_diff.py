"""instruments/diff.py and versions.py: what changed between waves, files and git revisions."""

import shutil
import subprocess

import pytest

from instruments.diff import diff_instruments
from instruments.loader import SHARED
from instruments.model import InstrumentError
from instruments.study import DEMO_STUDY, STUDIES, load_study
from instruments.versions import load_version

PARENT = STUDIES / DEMO_STUDY / "instruments" / "parent.yaml"


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
    text = PARENT.read_text(encoding="utf-8")
    text = text.replace("Hoeveel kinderen heeft u?", "Hoeveel kinderen heeft u in totaal?")
    text = text.replace('{code: "K6", nl: "6 jaar of ouder"', '{code: "K6", nl: "Zes jaar of ouder"')
    text = text.replace("      - code: datum\n", "      - code: gesprek\n")
    new.write_text(text, encoding="utf-8")
    changes = {str(c.column): c for c in diff_instruments(
        load_version(str(PARENT), "parent", DEMO_STUDY, "2018"),
        load_version(str(new), "parent", DEMO_STUDY, "2018"))}
    assert changes["datum"].kind == "removed" and changes["gesprek"].kind == "added"
    assert changes["kinderen"].details == ("question_nl: 'Hoeveel kinderen heeft u?' -> "
                                           "'Hoeveel kinderen heeft u in totaal?'",)
    assert changes["kindleeftijd"].details == ("answer K6 nl: '6 jaar of ouder' -> 'Zes jaar of ouder'",)


def test_two_git_revisions(tmp_path):
    repo = tmp_path / "repo"
    # The layout of this repository: the study folder (without its response exports) and the shared material.
    shutil.copytree(STUDIES / DEMO_STUDY, repo / "instruments" / "studies" / DEMO_STUDY,
                    ignore=shutil.ignore_patterns("data"))
    shutil.copytree(SHARED, repo / "instruments" / "shared")

    def git(*args):
        subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True)

    git("init", "-q")
    git("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "--allow-empty", "-m", "empty")
    git("add", ".")
    git("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "2018")
    git("tag", "wave-2018")
    parent = repo / "instruments" / "studies" / DEMO_STUDY / "instruments" / "parent.yaml"
    parent.write_text(parent.read_text(encoding="utf-8").replace("Welke andere taal", "Welke taal"), encoding="utf-8")
    git("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-am", "reworded")
    old = load_version("wave-2018", "parent", DEMO_STUDY, "2018", repository=repo)
    new = load_version("HEAD", "parent", DEMO_STUDY, "2018", repository=repo)
    changes = diff_instruments(old, new)
    assert [c.column for c in changes] == ["andertaal"] and old.version != new.version
    scales = repo / "instruments" / "shared" / "scales.yaml"  # the shared scales are read as they were, too
    scales.write_text(scales.read_text(encoding="utf-8").replace('nl: "Gedeeltelijk"', 'nl: "Ten dele"'),
                      encoding="utf-8")
    git("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-am", "scale reworded")
    changes = diff_instruments(new, load_version("HEAD", "parent", DEMO_STUDY, "2018", repository=repo))
    assert changes and {str(c.column).split("[")[0] for c in changes} == {"steun"}
    assert all(any("'Gedeeltelijk' -> 'Ten dele'" in d for d in c.details) for c in changes)
    with pytest.raises(InstrumentError, match=f"no study folder instruments/studies/{DEMO_STUDY}/"):
        load_version("HEAD~3", "parent", DEMO_STUDY, "2018", repository=repo)
    with pytest.raises(InstrumentError, match="neither a definition file"):
        load_version("--output=/tmp/x", "parent", DEMO_STUDY, "2018", repository=repo)
