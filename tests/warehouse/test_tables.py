"""warehouse/tables.py: reading a query with its answer codes as categoricals."""

import duckdb
import pandas as pd

from warehouse.tables import read_coded


def test_read_coded_gives_the_values_of_a_plain_read_with_codes_as_categoricals():
    con = duckdb.connect()
    con.execute("""CREATE TABLE t AS SELECT range AS id,
                          CASE WHEN range % 7 = 0 THEN NULL ELSE 'c' || (range % 5) END AS code,
                          'it''s "quoted"' AS constant, md5(range::VARCHAR) AS pseudonym,
                          range % 2 = 0 AS flag, CAST(NULL AS VARCHAR) AS never
                   FROM range(1000)""")
    sql = "SELECT * FROM t WHERE id >= $low"
    coded = read_coded(con, sql, {"low": 10}, order_by=["id"], max_categories=100)
    plain = con.execute("SELECT * FROM t WHERE id >= 10 ORDER BY id").df()
    assert list(coded["id"]) == list(range(10, 1000))
    for column in ("code", "constant", "never"):
        assert isinstance(coded[column].dtype, pd.CategoricalDtype), column
        assert coded[column].astype(object).where(coded[column].notna(), None).tolist() == \
            plain[column].astype(object).where(plain[column].notna(), None).tolist(), column
    assert list(coded["code"].cat.categories) == ["c0", "c1", "c2", "c3", "c4"]
    assert coded["code"].isna().sum() == sum(1 for i in range(10, 1000) if i % 7 == 0)
    # 990 distinct pseudonyms: identifiers stay text; other types are untouched.
    assert not isinstance(coded["pseudonym"].dtype, pd.CategoricalDtype)
    assert coded["pseudonym"].tolist() == plain["pseudonym"].tolist()
    assert coded["flag"].tolist() == plain["flag"].tolist()


def test_read_coded_orders_by_the_values_not_their_codes():
    con = duckdb.connect()
    con.execute("CREATE TABLE t AS SELECT * FROM (VALUES (0, NULL), (1, NULL), (2, 'k1'), (3, 'k0'), (4, 'k1')) "
                "AS v(id, k)")
    coded = read_coded(con, "SELECT * FROM t", {}, order_by=["k", "id"])
    plain = con.execute("SELECT id FROM t ORDER BY k, id").fetchall()
    assert coded["id"].tolist() == [row[0] for row in plain] == [3, 2, 4, 0, 1]
    assert coded["k"].astype(object).where(coded["k"].notna(), None).tolist() == ["k0", "k1", "k1", None, None]


def test_read_coded_refuses_more_categories_than_its_codes_hold():
    import pytest

    with pytest.raises(ValueError, match="max_categories"):
        read_coded(duckdb.connect(), "SELECT 1 AS x", {}, order_by=["x"], max_categories=40_000)
