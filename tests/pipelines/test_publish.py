"""The stand-in adapter turns the awareness table into indicator rows and a catalogue that the dashboards
accept, one indicator per service, whole sample and neighbourhoods, suppression carried over."""

import pandas as pd

from dashboards.model import INDICATOR_COLUMNS, checked_indicators
from pipelines.defs.publish import rows_from_awareness


def test_awareness_rows_follow_the_indicator_contract():
    table = pd.DataFrame({
        "study_id": "s", "wave": "2018", "service": ["S01", "S01", "S01"], "neighbourhood": ["W01", "W04", "ALL"],
        "is_total": [False, False, True], "n": pd.array([76, None, 120], dtype="Int64"),
        "estimate": [0.77, None, 0.78], "se": [0.12, None, 0.05], "ci_low": [0.46, None, 0.66],
        "ci_high": [0.93, None, 0.86], "n_eff": [67.4, None, 73.5], "deff": [6.5, None, 3.5], "weighted": True,
        "suppression": [None, "primary", None], "instrument_version": "319d803752ca",
    })
    services = {"S01": {"nl": "Consultatiebureau", "fr": "Consultation ONE", "en": "Child health clinic"}}
    rows, catalogue = rows_from_awareness(table, services)
    assert list(rows.columns[: len(INDICATOR_COLUMNS)]) == list(INDICATOR_COLUMNS)
    checked = checked_indicators(rows, catalogue)
    assert checked[["indicator", "breakdown", "domain", "suppressed"]].values.tolist() == [
        ["awareness_S01", "neighbourhood", "W01", False],
        ["awareness_S01", "neighbourhood", "W04", True],
        ["awareness_S01", "all", "all", False],
    ]
    assert checked["reason"].fillna("").tolist() == ["", "primary", ""]
    assert checked.loc[2, "estimate"] == 0.78 and checked.loc[0, "n"] == 76
    entry = catalogue["awareness_S01"]
    assert entry["label"] == {"nl": "Bekendheid: Consultatiebureau", "fr": "Notoriété : Consultation ONE",
                              "en": "Awareness: Child health clinic"}
    assert entry["dimension"] == "bekend" and entry["unit"] == "proportion" and entry["headline"]
