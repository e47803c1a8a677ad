"""exports: the published tables as CSV and Parquet, pseudonymised microdata as SPSS and Parquet, and the
reviewed quotes, in ``<TOEGANG_HOME>/exports/<study>/``."""

import dagster as dg

from pipelines.defs.clean import clean_field_actor_responses, clean_parent_responses
from pipelines.defs.indicators import indicators, wave_differences
from pipelines.exports import microdata, replace_folder, write_parquet, write_sav
from pipelines.resources.study import StudyResource
from pipelines.resources.warehouse import WAREHOUSE_POOL, WarehouseResource
from warehouse import free_text
from warehouse.tables import read_table

TABLES = ("indicators", "reliability", "comparisons", "channel_sensitivity", "wave_differences")
INSTRUMENTS = ("parent", "field_actor")


@dg.asset(deps=[indicators, wave_differences, clean_parent_responses, clean_field_actor_responses],
          group_name="publish", kinds={"parquet", "csv"}, pool=WAREHOUSE_POOL)
def exports(study: StudyResource, warehouse: WarehouseResource) -> dg.MaterializeResult:
    """Folder ``exports/<study>/``:
    - ``indicators/``: ``indicators``, ``reliability``, ``comparisons``, ``channel_sensitivity`` and
      ``wave_differences`` as CSV and Parquet (published, suppressed rows as gaps);
    - ``microdata/``: per wave and instrument the clean table as SPSS ``.sav`` (variable and value labels in
      the questionnaire's base language) and Parquet, identified by the pseudonym only (no LimeSurvey ids),
      without free text;
    - ``quotes/``: per wave the free-text answers a reviewer marked quotable, redacted.
    Replaced whole on every run."""
    config = study.load()
    counts = {}
    with warehouse.connect() as con:
        tables = {name: read_table(con, "indicators", name, study_id=config.study_id) for name in TABLES}
        codebook = read_table(con, "meta", "codebook", study_id=config.study_id)
        waves = sorted(codebook["wave"].unique())
        clean = {(w, i): read_table(con, "clean", f"{i}_responses", study_id=config.study_id, wave=w)
                 for w in waves for i in INSTRUMENTS}
        quotes = {}
        for wave in waves:
            for instrument in INSTRUMENTS:
                definition = study.instrument(instrument, wave)
                columns = [c.name for c in definition.columns() if c.free_text]
                quotes[(wave, instrument)] = free_text.quotable(con, config.study_id, wave, instrument, columns)

    def write(folder):
        (folder / "indicators").mkdir()
        for name, frame in tables.items():
            frame.to_csv(folder / "indicators" / f"{name}.csv", index=False)
            write_parquet(folder / "indicators" / f"{name}.parquet", frame)
        (folder / "microdata").mkdir()
        (folder / "quotes").mkdir()
        for (wave, instrument), frame in clean.items():
            if frame.empty:
                continue
            language = study.instrument(instrument, wave).base_language
            rows = codebook[(codebook["wave"] == wave) & (codebook["instrument"] == instrument)]
            data, labels, values = microdata(frame, rows, language)
            stem = folder / "microdata" / f"{instrument}_{wave}"
            write_sav(stem.with_suffix(".sav"), data, labels, values)
            write_parquet(stem.with_suffix(".parquet"), data)
            counts[f"{instrument}_{wave}"] = len(data)
            quoted = quotes[(wave, instrument)]
            quoted.to_csv(folder / "quotes" / f"{instrument}_{wave}.csv", index=False)
            counts[f"quotes_{instrument}_{wave}"] = len(quoted)

    target = warehouse.locations().exports / config.study_id
    files = replace_folder(target, write)
    return dg.MaterializeResult(metadata={"folder": dg.MetadataValue.path(str(target.resolve())),
                                          "files": len(files), **counts})
