"""indicators and wave_differences: the study's whole indicator catalogue per wave, and the changes between
waves; and for a study with a panel instrument, panel_changes: the same persons followed across waves."""

import dagster as dg

from pipelines.defs.keys import StudyGraph, run_wave
from pipelines.resources.study import StudyResource
from pipelines.resources.warehouse import WarehouseResource


def indicator_assets(graph: StudyGraph) -> list:
    study_id = graph.study_id

    @dg.asset(
        key=graph.key("indicators"),
        deps=[*graph.clean_keys, graph.key("raking_weights")],
        partitions_def=graph.partitions,
        group_name=graph.group("indicators"),
        kinds={"duckdb"},
        pool=graph.pool,
    )
    def indicators(context: dg.AssetExecutionContext, study: StudyResource,
                   warehouse: WarehouseResource) -> dg.MaterializeResult:
        """Table ``indicators.indicators``: every indicator of the study's catalogue (``indicators.yaml``) for the
        wave, overall and per breakdown of the study: weighted estimate, calibration-aware SE, 95% interval
        (Korn-Graubard on the domain's degrees of freedom for proportions, with their NCHS flag; Wald otherwise),
        n, n_eff, deff; small cells, unreliable indices and figures on too few respondents suppressed with the
        reason (``publication.yaml``), and secondary suppression over breakdowns and the catalogue's links.
        And ``indicators.reliability`` (Cronbach's alpha per subject and dimension), ``indicators.comparisons``
        and ``indicators.channel_sensitivity``.
        Each row carries the run id and the instrument, margins and code versions.
        Sources: the clean responses and the weighted instrument's weights."""
        from pipelines.stages.indicators import indicator_wave

        with warehouse.connect(study_id) as con:
            return dg.MaterializeResult(metadata=indicator_wave(con, study.load(study_id), context.partition_key,
                                                                context.run.run_id))

    # Each check judges the wave of its run: an old wave's state never blocks a new one.
    @dg.asset_check(asset=indicators, blocking=True,
                    description="No published indicator cell rests on fewer respondents than the study allows.")
    def no_small_indicator_cells(context: dg.AssetCheckExecutionContext, study: StudyResource,
                                 warehouse: WarehouseResource) -> dg.AssetCheckResult:
        from pipelines.stages.indicators import small_cells

        config = study.load(study_id)
        with warehouse.connect(study_id) as con:
            cells = small_cells(con, config, wave=run_wave(context))
        return dg.AssetCheckResult(
            passed=not cells, severity=dg.AssetCheckSeverity.ERROR,
            description=(f"{len(cells)} published cells rest on fewer than {config.publication.min_cell} "
                         f"respondents: {'; '.join(cells[:10])}") if cells else None,
            metadata={"offending_cells": cells[:50],
                      "next": "a suppression rule let them through: report it as a bug" if cells else None})

    @dg.asset_check(asset=indicators, blocking=True,
                    description="No hidden indicator cell can be worked out from published ones (through a "
                                "breakdown, a link between measures or the sensitivity check) to within the "
                                "study's disclosure_tolerance.")
    def no_hidden_cell_can_be_worked_out(context: dg.AssetCheckExecutionContext, study: StudyResource,
                                         warehouse: WarehouseResource) -> dg.AssetCheckResult:
        from pipelines.stages.indicators import disclosed_cells, unaudited_waves

        wave = run_wave(context)
        with warehouse.connect(study_id) as con:
            loaded = study.load(study_id)
            found, unaudited = disclosed_cells(con, loaded, wave=wave), unaudited_waves(con, loaded, wave=wave)
        # Only where and how, never the bounds: they would give the hidden value.
        lines = [f"{r.wave} / {r.indicator} / {r.breakdown} / {r.domain}: {r.link}" for r in found.itertuples()]
        problems = [f"{len(lines)} hidden cells can be worked out: " + "; ".join(lines[:20])] if lines else []
        if unaudited:
            problems.append(f"waves {', '.join(unaudited)} were computed before Toegang kept what the audit reads: "
                            "run them again")
        advice = (f"toegang run --study {study_id} " + " ".join(f"--wave {w}" for w in unaudited)
                  if unaudited and not lines else
                  "a suppression rule let them through: report it as a bug; do not publish the wave")
        return dg.AssetCheckResult(passed=not problems, severity=dg.AssetCheckSeverity.ERROR,
                                   description="\n".join(problems) or "every hidden cell stays hidden",
                                   metadata={"disclosed_cells": lines[:50], "count": len(lines),
                                             "unaudited_waves": unaudited, "next": advice if problems else None})

    @dg.asset(key=graph.key("wave_differences"), deps=[indicators], group_name=graph.group("indicators"),
              kinds={"duckdb"}, pool=graph.pool)
    def wave_differences(study: StudyResource, warehouse: WarehouseResource) -> dg.MaterializeResult:
        """Table ``indicators.wave_differences``: every published estimate (overall and per category) minus the
        same one in the previous wave, with SE = sqrt(SE_1^2 + SE_2^2), a 95% interval and a z test. Not
        partitioned: it reads every wave of ``indicators.indicators``."""
        from pipelines.stages.indicators import differences

        with warehouse.connect(study_id) as con:
            return dg.MaterializeResult(metadata=differences(con, study.load(study_id)))

    @dg.asset_check(asset=wave_differences, blocking=True,
                    description="Every wave passes the blocking checks of its own run, read over all waves: the "
                                "site and the exports, downstream, publish every wave.")
    def every_wave_publishable(study: StudyResource, warehouse: WarehouseResource) -> dg.AssetCheckResult:
        from pipelines.stages.publish import publication_blockers

        with warehouse.connect(study_id) as con:
            found = publication_blockers(con, study.load(study_id))
        return dg.AssetCheckResult(
            passed=not found, severity=dg.AssetCheckSeverity.ERROR, description="\n".join(found) or None,
            metadata={"next": f"run the waves named again (toegang run --study {study_id} --wave W) and do what "
                              "their checks say" if found else None})

    made = [indicators, no_small_indicator_cells, no_hidden_cell_can_be_worked_out, wave_differences,
            every_wave_publishable]
    if not graph.panels:
        return made

    @dg.asset(key=graph.key("panel_changes"), deps=[*graph.clean_keys, indicators],
              group_name=graph.group("indicators"), kinds={"duckdb"}, pool=graph.pool)
    def panel_changes(context: dg.AssetExecutionContext, study: StudyResource,
                      warehouse: WarehouseResource) -> dg.MaterializeResult:
        """Tables ``indicators.panel_changes`` and ``indicators.panel_trajectory``: each indicator of a panel
        instrument followed on the same persons (by their pseudonym) across every wave: the change from each wave
        to the next, and from the first to the last, on the persons present in both only (Wilcoxon signed-rank for
        means and indices, exact McNemar for yes/no shares; the shares improving, unchanged and worsening), only
        from the study's ``min_pairs``; and per wave who was present, stayed, joined, returned and dropped out.
        Not partitioned: it reads every wave of the clean responses."""
        from pipelines.stages.panel import panel_changes as follow_panel

        with warehouse.connect(study_id) as con:
            return dg.MaterializeResult(metadata=follow_panel(con, study.load(study_id), context.run.run_id))

    return [*made, panel_changes]
