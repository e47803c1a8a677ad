"""dashboards/files.py: a folder is replaced whole or not at all, and a Parquet file holds the frame."""

import duckdb
import pandas as pd
import pytest

from dashboards.files import replace_folder, write_parquet


def test_a_folder_is_replaced_whole_or_not_at_all(tmp_path):
    target = tmp_path / "out"
    first = replace_folder(target, lambda folder: (folder / "a.txt").write_text("one", encoding="utf-8"))
    assert first == [target / "a.txt"] and target.is_symlink()

    def broken(folder):
        (folder / "b.txt").write_text("half", encoding="utf-8")
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        replace_folder(target, broken)
    assert [p.name for p in target.iterdir()] == ["a.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["out", target.readlink().name])  # no staging left
    second = replace_folder(target, lambda folder: (folder / "b.txt").write_text("two", encoding="utf-8"))
    assert second == [target / "b.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["out", target.readlink().name])  # old one gone


def test_parquet_keeps_every_digit(tmp_path):
    frame = pd.DataFrame({"indicator": ["a", "b"], "estimate": [0.1 + 0.2, 1 / 3]})
    write_parquet(tmp_path / "x.parquet", frame)
    with duckdb.connect() as con:
        back = con.execute("SELECT * FROM read_parquet(?)", [str(tmp_path / "x.parquet")]).df()
    pd.testing.assert_frame_equal(back, frame)
