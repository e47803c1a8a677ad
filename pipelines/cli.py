"""The ``toegang`` command."""

import logging
import os
import sys
from datetime import datetime
from pathlib import Path
from typing import Annotated

import duckdb
import typer

from instruments.generate import DEFAULT_PANEL, DEFAULT_RESPONSES, DEFAULT_SEED
from instruments.model import InstrumentError
from instruments.study import DEMO_STUDY

app = typer.Typer(
    name="toegang",
    help="Toegang: surveys on the accessibility of family support, from LimeSurvey to published indicators.",
    no_args_is_help=True,
    add_completion=False,
    # Plain tracebacks: rich ones print locals (secrets, whole data frames) and are slow on long chains.
    pretty_exceptions_enable=False,
)


def _version(shown: bool) -> None:
    if shown:
        from importlib.metadata import version

        from pipelines.version import code_version

        typer.echo(f"toegang {version('toegang')} ({code_version()})")
        raise typer.Exit()


# Exit codes: 0 done; 1 refused (a check, bad input or configuration); 2 usage (typer's own); 3 the LimeSurvey
# server unreachable or the credentials refused.
REFUSED, UNREACHABLE = 1, 3
_debug = {"on": False}  # --debug: tracebacks and Dagster's own log


@app.callback()
def main(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Print the version (package, and the git commit it runs) and exit.")]
    = False,
    debug: Annotated[bool, typer.Option("--debug", envvar="TOEGANG_DEBUG",
                                        help="On failure, print the traceback; print Dagster's own run log.")]
    = False,
) -> None:
    """Toegang: surveys on the accessibility of family support, from LimeSurvey to published indicators."""
    _debug["on"] = debug
    _print_log_lines(debug)


class _Stderr(logging.StreamHandler):
    """Writes to the ``sys.stderr`` of the moment (a test's runner swaps it)."""

    def emit(self, record: logging.LogRecord) -> None:
        self.stream = sys.stderr
        super().emit(record)


def _print_log_lines(debug: bool) -> None:
    """Our own log messages (a retry, a session renewed) one line each; urllib3's retry warnings, which repeat
    them, only with ``debug``."""
    ours = logging.getLogger("pipelines")
    if not any(isinstance(h, _Stderr) for h in ours.handlers):
        handler = _Stderr()
        handler.setFormatter(logging.Formatter("  %(message)s"))
        ours.addHandler(handler)
    ours.setLevel(logging.INFO)
    logging.getLogger("urllib3").setLevel(logging.DEBUG if debug else logging.ERROR)


def _fail(message: str, code: int = REFUSED) -> None:
    typer.secho(f"error: {message}", err=True, fg=typer.colors.RED)
    raise typer.Exit(code=code)


# Failures known by their message: (module, class). Matched against the modules already imported, so _guarded
# loads nothing (Dagster least of all) before a failure: an exception's class is imported by whoever raised it.
REFUSALS = (
    ("instruments.limesurvey_export", "ExportError"), ("instruments.model", "InstrumentError"),
    ("warehouse.clean", "CleanError"), ("warehouse.pseudonyms", "PseudonymKeyMissing"),
    ("pipelines.runner", "UnknownWave"), ("analyses.weighting", "WeightingError"),
    ("warehouse.migrations", "MigrationRefused"), ("warehouse.migrations", "SchemaTooNew"),
    ("warehouse.purge", "PurgeError"), ("warehouse.homes", "OldHomeLayout"), ("warehouse.homes", "HomeMigrationRefused"),
    ("warehouse.paths", "InvalidStudyId"), ("pipelines.console", "ChecksFailed"),
    # held longer than TOEGANG_LOCK_WAIT, or no such wait
    ("warehouse.connection", "WarehouseLocked"), ("warehouse.connection", "LockWaitSettingError"),
)


def _is(exc: BaseException, module: str, name: str) -> bool:
    loaded = sys.modules.get(module)
    kind = getattr(loaded, name, None) if loaded is not None else None
    return isinstance(kind, type) and isinstance(exc, kind)


def _guarded(action):
    """Run ``action``; a failure ends the command with its message and exit code (1, or 3 when the server is
    unreachable or refuses the credentials); a traceback only with --debug."""
    try:
        return action()
    except typer.Exit:
        raise
    except Exception as exc:
        if _debug["on"]:  # the traceback, then the same message and exit code as without --debug
            import traceback

            traceback.print_exc()
        if _is(exc, "pipelines.limesurvey", "LimeSurveyError"):
            _fail(str(exc), UNREACHABLE if exc.server_side else REFUSED)
        if any(_is(exc, module, name) for module, name in REFUSALS):
            _fail(str(exc))
        if isinstance(exc, duckdb.IOException):
            _fail(f"the warehouse is in use by another process or cannot be opened: {exc}")
        if _is(exc, "dagster", "DagsterError"):
            _fail(str(exc))
        # A failure nobody foresaw: its kind and message; the traceback on request.
        _fail(f"{type(exc).__name__}: {exc}" + ("" if _debug["on"] else " (toegang --debug ... prints the traceback)"))


def _run(study: str, waves: list[str] | None, home: str | None, site: str | None, build: str | None = None,
         studies_dir: str | None = None) -> None:
    from pipelines.runner import run_study

    done = _guarded(lambda: run_study(study, waves, home=home, site=site, build=build, studies_dir=studies_dir,
                                      debug=_debug["on"]))
    loc = done.locations
    typer.echo("")
    typer.echo(f"Study {done.study_id}, waves {', '.join(done.waves)}: done.")
    typer.echo(f"  Home:       {loc.home.resolve()}  (inbox/, archive/, quarantine/, exports/)")
    typer.echo(f"  Warehouse:  {loc.warehouse.resolve()}")
    typer.echo(f"  Raw layer:  {loc.raw.resolve()}  (holds tokens: do not share)")
    # The site's own path, not the version folder its link points to: that one changes on every run.
    page = Path(os.path.abspath(loc.site / "index.html"))
    typer.echo(f"  Dashboard:  {page}")
    typer.echo(f"              open file://{page} in a browser (or: toegang serve --study {done.study_id})")
    typer.echo(f"  Instruments (.lss) and codebook: {(loc.build / done.study_id).resolve()}")


HomeOption = Annotated[str | None, typer.Option(help="Folder of the study homes (default: $TOEGANG_HOME or data/); "
                                                     "the study's own is <home>/<study>/.")]
SiteOption = Annotated[str | None, typer.Option(help="Folder of the dashboards (default: $TOEGANG_SITE or site/); "
                                                     "the study's own is <site>/<study>/.")]
BuildOption = Annotated[str | None, typer.Option(help="Instrument build folder (default: $TOEGANG_BUILD or build/).")]
StudyIdOption = Annotated[str, typer.Option(help="Study id (its home is <home>/<study>/).", envvar="TOEGANG_STUDY")]


@app.command()
def demo(
    home: HomeOption = None,
    site: SiteOption = None,
    build: BuildOption = None,
    study: Annotated[str | None, typer.Option(help="Another study: generate its missing exports (synthetic "
                                                   "responses, `toegang generate`), then run it.")] = None,
) -> None:
    """Run the whole pipeline on the bundled synthetic demo study (no server, no credentials), or on
    synthetic responses of any study (--study)."""
    if study is None:
        _run(DEMO_STUDY, None, home, site, build)
        return
    import tempfile

    from instruments.generate import describe, prepare_demo, reads_export_files
    from instruments.study import load_study

    config = _guarded(lambda: load_study(study))
    if home is None and not reads_export_files(config):  # synthetic responses must not meet real ones
        _fail(f"study {study} reads surveys from LimeSurvey or the inbox: its demo runs on generated files in a "
              "warehouse of its own; give one with --home")
    with tempfile.TemporaryDirectory(prefix="toegang-demo-") as staging:
        prepared = _guarded(lambda: prepare_demo(study, Path(staging)))
        for written in prepared.written:
            typer.echo(describe(written, config))
        if prepared.studies_dir is not None:
            typer.echo("surveys read from the generated files (a temporary copy of the study)")
        _run(study, None, home, site, build,
             studies_dir=str(prepared.studies_dir) if prepared.studies_dir else None)


@app.command()
def run(
    study: Annotated[str, typer.Option(help="Study id: instruments/studies/<study>/.",
                                       envvar="TOEGANG_STUDY")] = DEMO_STUDY,
    wave: Annotated[list[str] | None, typer.Option(help="Wave to run (repeatable); default: every wave.")] = None,
    home: HomeOption = None,
    site: SiteOption = None,
    build: BuildOption = None,
) -> None:
    """Ingest, clean, compute indicators and publish the dashboard for a configured study."""
    _run(study, wave or None, home, site, build)


@app.command()
def ingest(
    study: Annotated[str, typer.Option(help="Study id: instruments/studies/<study>/.",
                                       envvar="TOEGANG_STUDY")] = DEMO_STUDY,
    survey_id: Annotated[int | None, typer.Option(help="Only this LimeSurvey survey id.")] = None,
    full_rescan: Annotated[bool, typer.Option(help="Fetch every stored response again to catch edits.")] = False,
    home: HomeOption = None,
) -> None:
    """Load new and changed responses into the raw layer: from LimeSurvey (LIMESURVEY_URL,
    LIMESURVEY_USERNAME, LIMESURVEY_PASSWORD) or from the export files the study names. When nothing is new or
    changed, the load is recorded without starting a Dagster run."""
    if not full_rescan:
        quiet = _guarded(lambda: _load_if_nothing_new(study, survey_id, home))
        if quiet is not None:
            typer.echo(f"Study {quiet.study_id}: nothing new or changed ({quiet.received} responses read); the load "
                       "is recorded in raw.loads, no run was needed")
            return
    from pipelines.runner import run_ingest

    done = _guarded(lambda: run_ingest(study, survey_id, home=home, full_rescan=full_rescan, debug=_debug["on"]))
    typer.echo(f"Study {done.study_id}: raw layer loaded for wave(s) {', '.join(done.waves)} "
               f"({done.locations.raw.resolve()})")


def _load_if_nothing_new(study_id: str, survey_id: int | None, home: str | None):
    """Ask the export files, the inbox and the server whether anything is new before Dagster is even imported
    (``pipelines.stages.ingest.load_if_nothing_new``): most scheduled loads find nothing."""
    from instruments.study import load_study
    from pipelines.limesurvey import ServerSettings
    from pipelines.stages.ingest import load_if_nothing_new
    from warehouse.connection import connect
    from warehouse.paths import Locations
    from warehouse.pseudonyms import pseudonym_key

    config = load_study(study_id)
    surveys = [s for s in config.surveys if survey_id is None or s.survey_id == survey_id]
    if not surveys:
        return None  # the run names the unknown survey
    locations = Locations.of_study(config.study_id, home=home)
    server = ServerSettings.from_environment() if any(s.source == "limesurvey" for s in surveys) else None
    with connect(locations) as con:
        quiet = load_if_nothing_new(con, config, surveys, locations=locations, limesurvey=server,
                                    pseudonym_key=lambda: pseudonym_key(config),
                                    log=lambda level, text: typer.echo(f"  {text}", err=True))
        if quiet is not None:  # no run, yet the day moved and mail may have gone out: the monitor again
            from pipelines.stages.fieldwork import refresh_monitor

            for wave in sorted({s.wave for s in surveys}):
                refresh_monitor(con, config, wave, locations.home, None, server,
                                lambda text: typer.echo(f"  {text}", err=True))
        return quiet


@app.command()
def explain(
    indicator: Annotated[str, typer.Argument(metavar="INDICATOR",
                                             help="Indicator id: measure.subject[.dimension], as the downloads name it.")],
    wave: Annotated[str, typer.Option(help="Wave of the cell.")],
    breakdown: Annotated[str | None, typer.Option(help="Breakdown of the cell (default: the overall row).")] = None,
    domain: Annotated[str | None, typer.Option(help="The breakdown's category (its answer code).")] = None,
    study: StudyIdOption = DEMO_STUDY,
    home: HomeOption = None,
) -> None:
    """Where a published number comes from: the cell (or, withheld, its rule), its loads, responses and quality
    exclusions, the instrument, margins and code versions, the weighting, the formula and the variance method.
    Reads the warehouse and the study folder only."""
    from instruments.study import load_study
    from pipelines.version import code_version
    from warehouse.explain import ExplainError, explain as explained, render
    from warehouse.paths import Locations

    def explanation():
        try:
            config = load_study(study)
            locations = Locations.of_study(study, home=home)
            return explained(config, locations, indicator, wave, breakdown, domain, code_version=code_version())
        except ExplainError as exc:
            _fail(str(exc))
        except duckdb.Error as exc:
            _fail(f"cannot read the warehouse of study {study}: {exc}".splitlines()[0])

    result = _guarded(explanation)  # any other failure: one line, the traceback with --debug
    typer.echo(render(result), nl=False)


def _value_text(value: float, unit: str) -> str:
    """A published value as the CLI prints it: a proportion in percent, a count whole, others to 4 digits."""
    return f"{100 * value:.2f}%" if unit == "proportion" else f"{value:.0f}" if unit == "count" else f"{value:.4g}"


def _se_text(se: float | None, unit: str) -> str:
    if se is None or se != se:
        return "no SE: any change"
    return f"SE {100 * se:.2f} pts" if unit == "proportion" else f"SE {se:.4g}"


def _cell_text(row) -> str:
    where = "all" if row["breakdown"] == "all" else f"{row['breakdown']}={row['domain']}"
    return f"{row['indicator']}  {where}"


def _responses_text(counts) -> str:
    if not any(c.new or c.edited for c in counts):
        return "none new or edited"
    return "; ".join(f"{c.instrument} {c.new} new, {c.edited} edited" for c in counts if c.new or c.edited)


def _change_lines(found) -> list[str]:
    """``warehouse.changes.WaveChanges`` in words: what changed in the wave between its latest two runs."""
    wave = found.wave

    def stamp(run) -> str:
        when = f", {run.computed_at:%Y-%m-%d %H:%M}" if run.computed_at else ", published before runs were kept"
        return f"run {run.run_id}{when}"

    pending = ([f"  loaded since, in no published figure yet: {_responses_text(found.pending)} "
                f"(toegang run --wave {wave})"] if any(c.new or c.edited for c in found.pending) else [])
    if found.first:
        made = f" ({stamp(found.latest)})" if found.latest else " (its figures predate the run history)"
        return [f"first run of wave {wave}: nothing to compare{made}", *pending]
    lines = [f"wave {wave}: {stamp(found.latest)}, against the previous {stamp(found.previous)}"]
    lines.append("  responses: " + ("not recorded by the previous run" if found.responses is None
                                    else _responses_text(found.responses)))
    for change in found.versions:
        name = f"instrument {change.name}" if change.name else "instruments" if change.what == "instrument" \
            else change.what
        lines.append(f"  {name}: {change.before or 'none'} -> {change.after or 'none'}")
    if not found.versions:
        lines.append("  instrument, margins and code versions: unchanged")
    lines.append(f"  moved by more than their standard error: {len(found.moved)} of {found.compared} published "
                 "cells")
    lines += [f"    {_cell_text(r)}  {_value_text(r['before'], r['unit'])} -> {_value_text(r['after'], r['unit'])}  "
              f"({_se_text(r['se'], r['unit'])})" for _, r in found.moved.iterrows()]
    for title, frame in (("newly suppressed", found.suppressed), ("released", found.released)):
        lines.append(f"  {title} (status only): {len(frame)}")
        lines += [f"    {_cell_text(r)}  ({r['reason']})" if title == "newly suppressed" else f"    {_cell_text(r)}"
                  for _, r in frame.iterrows()]
    if found.added or found.removed:
        lines.append(f"  cells: {found.added} new, {found.removed} no longer published")
    return [*lines, *pending]


@app.command()
def changes(
    wave: Annotated[str | None, typer.Option(help="Only this wave (default: every wave with indicators).")] = None,
    study: StudyIdOption = DEMO_STUDY,
    home: HomeOption = None,
) -> None:
    """What changed in each wave since its previous run: responses new and edited, instrument, margins and code
    versions, published values that moved by more than their standard error, and cells newly suppressed or
    released (their status only)."""
    from warehouse import changes as history
    from warehouse.connection import connect
    from warehouse.paths import Locations

    locations = _guarded(lambda: Locations.of_study(study, home=home))
    if not locations.warehouse.is_file():
        _fail(f"no warehouse of study {study} at {locations.warehouse}: run `toegang run --study {study}` first")

    def compare():
        try:
            with connect(locations, read_only=True) as con:
                waves = history.recorded_waves(con, study)
                if wave is not None and wave not in waves:
                    _fail(f"study {study} has no indicators of wave {wave} in {locations.warehouse} (waves with "
                          f"indicators: {', '.join(waves) or 'none'})")
                return [history.wave_changes(con, study, w) for w in ([wave] if wave else waves)]
        except duckdb.Error as exc:
            _fail(f"cannot read the warehouse {locations.warehouse}: {exc}")

    found = _guarded(compare)  # a lock held too long, an old home layout: their own message
    if not found:
        typer.echo(f"study {study}: no indicators yet in {locations.warehouse}: nothing to compare")
    for item in found:
        for line in _change_lines(item):
            typer.echo(line)


@app.command()
def fieldwork(
    study: StudyIdOption = DEMO_STUDY,
    wave: Annotated[list[str] | None, typer.Option(help="Wave (repeatable); default: the plans whose window holds "
                                                        "the day.")] = None,
    as_of: Annotated[str | None, typer.Option("--as-of", help="The day of the report, YYYY-MM-DD (default: today, "
                                                               "this machine's date).")] = None,
    home: HomeOption = None,
) -> None:
    """Fieldwork against the study's targets: complete and partial responses per breakdown, daily progress, the pace
    and projected dates, and per invitation batch the response rate (surveys read from LimeSurvey: LIMESURVEY_*).
    Writes the internal monitor page (never published) to <home>/<study>/fieldwork/<lang>/<wave>.html. Counts come
    from the responses loaded so far: run toegang ingest first for the latest."""
    from datetime import date

    def report():
        from instruments.study import load_study
        from pipelines.limesurvey import ServerSettings
        from pipelines.stages.fieldwork import fieldwork_reports, plans_of, report_lines, write_reports
        from warehouse.connection import connect
        from warehouse.paths import Locations

        try:
            day = date.fromisoformat(as_of) if as_of else None
        except ValueError:
            _fail(f"--as-of {as_of!r} is not a date (YYYY-MM-DD)")
        config = load_study(study)
        plans = plans_of(config, wave, day or date.today())
        if not plans:
            _fail(f"study {study} has no fieldwork plan " + (f"for wave {', '.join(wave)}" if wave else
                  f"whose window holds {day or date.today()}") + f" (fieldwork: in {config.file})")
        locations = Locations.of_study(config.study_id, home=home)
        if not locations.warehouse.is_file():
            _fail(f"no warehouse at {locations.warehouse}: run toegang ingest --study {study} first")
        with connect(locations, read_only=True) as con:
            reports = fieldwork_reports(con, config, plans, day, ServerSettings.from_environment)
        for found in reports:
            typer.echo("\n".join(report_lines(config, found)))
        for page in write_reports(locations.home, config, reports):
            typer.echo(f"monitor page (internal, not for publication): {page.resolve()}")

    _guarded(report)


@app.command()
def purge(
    reason: Annotated[str, typer.Option(help="Why: the erasure request, withdrawal or retention rule.")],
    operator: Annotated[str, typer.Option(help="Who carries the purge out (recorded in raw.purges).")],
    study: StudyIdOption = DEMO_STUDY,
    respondent: Annotated[list[str] | None, typer.Option(help="Pseudonym (respondent_id) to erase; repeatable.")] = None,
    token_file: Annotated[Path | None, typer.Option(help="File of LimeSurvey tokens to erase, one per line.")] = None,
    response: Annotated[list[str] | None, typer.Option(help="SURVEY_ID:RESPONSE_ID whose respondent to erase; "
                                                            "repeatable.")] = None,
    wave: Annotated[str | None, typer.Option(help="Wave, for --contact-data and --non-consenting.")] = None,
    contact_data: Annotated[bool, typer.Option(help="Retention: blank the wave's tokens, IP addresses and "
                                                    "referrer URLs in the raw layer.")] = False,
    non_consenting: Annotated[bool, typer.Option(help="Delete the wave's responses without consent.")] = False,
    home: HomeOption = None,
) -> None:
    """Erase data from the raw layer and the warehouse: the only removal there is. Logged in raw.purges;
    both database files are rewritten afterwards so the erased values leave the disk."""
    from instruments.study import load_study
    from warehouse import purge as purging
    from warehouse.pseudonyms import pseudonym_key
    from warehouse.connection import connect
    from warehouse.paths import Locations

    erase = bool(respondent or token_file or response)
    if erase + contact_data + non_consenting != 1:
        _fail("choose one: respondents to erase (--respondent/--token-file/--response), --contact-data or "
              "--non-consenting")
    if (contact_data or non_consenting) and not wave:
        _fail("--contact-data and --non-consenting need --wave")
    pairs = []
    for item in response or []:
        survey_id, _, response_id = item.partition(":")
        if not (survey_id.isdigit() and response_id.isdigit()):
            _fail(f"--response {item!r}: expected SURVEY_ID:RESPONSE_ID, both whole numbers")
        pairs.append((int(survey_id), int(response_id)))
    tokens = [line.strip() for line in token_file.read_text(encoding="utf-8").splitlines()] if token_file else []
    locations = _guarded(lambda: Locations.of_study(study, home=home))
    if not locations.raw.exists():
        _fail(f"no raw layer at {locations.raw}")

    def carry_out():
        with connect(locations) as con:
            if contact_data:
                return purging.blank_contact_data(con, study, wave, reason=reason, operator=operator)
            if non_consenting:
                return purging.erase_non_consenting(con, study, wave, reason=reason, operator=operator)
            key = pseudonym_key(load_study(study)) if tokens else b"unused"
            return purging.erase_respondents(con, study, key=key, reason=reason, operator=operator,
                                             respondent_ids=respondent or [], tokens=tokens, responses=pairs)

    result = _guarded(carry_out)
    _guarded(lambda: purging.compact_all(locations))
    typer.echo(f"Purge {result.purge_id} ({result.kind}): {result.responses} responses, {result.versions} raw "
               f"versions, {result.warehouse_rows} warehouse rows. Logged in raw.purges. Re-run the study "
               "(toegang run) to recompute weights and indicators without them.")


free_text_app = typer.Typer(help="Review free-text answers before anything quotes them.", no_args_is_help=True)
app.add_typer(free_text_app, name="free-text")


@free_text_app.command("export")
def free_text_export(
    wave: Annotated[str, typer.Option(help="Wave.")],
    out: Annotated[Path, typer.Option(help="CSV worksheet to write (raw text: keep it restricted).")],
    instrument: Annotated[str | None, typer.Option(help="One of the study's instruments (default: its first).")] = None,
    study: StudyIdOption = DEMO_STUDY,
    home: HomeOption = None,
) -> None:
    """Write the answers not yet reviewed to a worksheet: fill in status (quotable / not_quotable) and the
    redacted text, then import it."""
    from instruments.study import load_study
    from warehouse import free_text
    from warehouse.connection import connect
    from warehouse.paths import Locations

    def worksheet():
        config = load_study(study)
        name = instrument or config.instrument_names[0]
        definition = config.instrument(name, wave)
        columns = [c.name for c in definition.columns() if c.free_text]
        with connect(Locations.of_study(study, home=home), read_only=True) as con:
            return free_text.pending(con, study, wave, name, columns)

    sheet = _guarded(worksheet)
    sheet.to_csv(out, index=False)
    typer.echo(f"{len(sheet)} answers to review written to {out}")


@free_text_app.command("import")
def free_text_import(
    sheet: Annotated[Path, typer.Argument(help="The filled-in worksheet.")],
    reviewer: Annotated[str, typer.Option(help="Who reviewed the answers.")],
    study: StudyIdOption = DEMO_STUDY,
    home: HomeOption = None,
) -> None:
    """Record a reviewed worksheet; quotable answers appear, redacted, in the next exports."""
    import pandas as pd

    from warehouse import free_text
    from warehouse.connection import connect
    from warehouse.paths import Locations

    frame = pd.read_csv(sheet, dtype={"status": str, "redacted_text": str, "column_name": str, "text_sha256": str})

    def record():
        with connect(Locations.of_study(study, home=home)) as con:
            return free_text.record_reviews(con, study, frame, reviewer, origin=sheet.name)

    try:
        count = _guarded(record)
    except free_text.ReviewError as exc:
        _fail(str(exc))
    typer.echo(f"{count} reviews recorded; run the study again to refresh the exports")


@app.command("generate-demo")
def generate_demo(
    out: Annotated[Path | None, typer.Option(help="Folder for the export files (default: the bundled study).")] = None,
) -> None:
    """Regenerate the demo study's LimeSurvey export files (deterministic: byte-identical each time)."""
    from instruments.demo_study import generate

    for path in generate(out):
        typer.echo(str(path))


@app.command()
def generate(
    study: Annotated[str, typer.Option(help="Study id: instruments/studies/<study>/.", envvar="TOEGANG_STUDY")],
    # Left out: the study's `synthetic:` settings, else the defaults (instruments/generate.py).
    seed: Annotated[int | None, typer.Option(help="Random seed: the same seed gives byte-identical files "
                                                  f"(default: the study's, else {DEFAULT_SEED}).")] = None,
    out: Annotated[Path | None, typer.Option(help="Folder for the files (default: where each survey's export "
                                                  "points, else the study's data/).")] = None,
    responses: Annotated[int | None, typer.Option(min=1, help="Responses per survey (default: the study's, else "
                                                              f"{DEFAULT_RESPONSES}).")] = None,
    panel: Annotated[float | None, typer.Option(min=0.0, max=1.0, help="Share of a later wave's respondents of an "
                                                "instrument who return with their token (default: the study's, "
                                                f"else {DEFAULT_PANEL}; given, no instrument is a cohort).")] = None,
    overwrite: Annotated[bool, typer.Option(help="Replace files that exist (default: keep them).")] = False,
) -> None:
    """Write synthetic LimeSurvey response exports for every survey of a study, from its instruments alone
    (deterministic: byte-identical for the same seed)."""
    from instruments.generate import describe, write_study
    from instruments.study import load_study

    try:  # not _guarded: generating needs no Dagster, and starts faster without it
        config = load_study(study)
        written = write_study(config, out, seed=seed, responses=responses, panel=panel, overwrite=overwrite)
    except (InstrumentError, OSError) as exc:
        _fail(str(exc))
    for item in written:
        typer.echo(describe(item, config))
    if not all(item.written for item in written):
        typer.echo("files that exist are kept; --overwrite replaces them")


@app.command("new-study")
def new_study(
    study: Annotated[str, typer.Argument(help="The new study's id: its folder's name (letters, digits, '_', '-').")],
    template: Annotated[str, typer.Option("--from", help="The study to start from (its questionnaires, subject "
                                                         "lists, indicators, publication rules, margins).")],
    studies: Annotated[Path | None, typer.Option(help="Folder of study folders (default: $TOEGANG_STUDIES or "
                                                      "instruments/studies).")] = None,
) -> None:
    """Start a study folder from another study: everything but its response files and its demo key."""
    from instruments.scaffold import new_study as scaffold

    try:
        folder = scaffold(study, template, studies)
    except (InstrumentError, OSError) as exc:
        _fail(str(exc))
    typer.echo(f"study {study}: {folder}\nnext: edit study.yaml (title, surveys), instruments/, subjects.yaml, "
               f"indicators.yaml; then toegang instruments check --study {study}")


@app.command("add-wave")
def add_wave(
    wave: Annotated[str, typer.Option(help="The new wave.")],
    like: Annotated[str, typer.Option(help="The wave whose surveys and subjects the new one repeats.")],
    study: Annotated[str, typer.Option(help="Study id.", envvar="TOEGANG_STUDY")] = DEMO_STUDY,
    first_survey_id: Annotated[int | None, typer.Option(help="Survey id of the first new survey (default: above "
                                                             "the study's largest); deploy may change it.")] = None,
) -> None:
    """Add a wave to a study: its surveys repeat those of --like (new survey ids and export files), and every
    subject that exists in --like exists in the new wave."""
    from instruments.scaffold import add_wave as add

    try:
        added = add(study, wave, like, first_id=first_survey_id)
    except (InstrumentError, OSError) as exc:
        _fail(str(exc))
    typer.echo(f"study {study}: wave {wave} added (surveys {', '.join(map(str, added.surveys))}; "
               f"{len(added.subjects)} subjects); waves now {', '.join(added.study.waves)}")


instruments_app = typer.Typer(help="Questionnaires as code: check, compile to LimeSurvey, compare versions.",
                              no_args_is_help=True)
app.add_typer(instruments_app, name="instruments")
StudyOption = Annotated[str, typer.Option(help="Study id: instruments/studies/<study>/.", envvar="TOEGANG_STUDY")]


@instruments_app.command("check")
def instruments_check(
    study: StudyOption = DEMO_STUDY,
    studies: Annotated[Path | None, typer.Option(help="Folder of study folders (default: $TOEGANG_STUDIES or "
                                                      "instruments/studies).")] = None,
) -> None:
    """Check a study folder: its files, every questionnaire in every wave, its subject lists, breakdowns and
    indicator catalogue; list every problem with its file and line."""
    from instruments.study import check_study, read_study, study_folder

    try:
        config, problems = read_study(study_folder(study, studies))
    except InstrumentError as exc:
        _fail(str(exc))
    if config is not None:  # every problem in one run: the questionnaires' too, whatever the folder's files hold
        problems = [*problems, *check_study(config)]
    for problem in problems:
        typer.echo(str(problem), err=True)
    if problems:
        _fail(f"{len(problems)} problem(s) in study {study}")
    typer.echo(f"study {config.study_id}: no problems (instruments {', '.join(config.instrument_names)}; "
               f"waves {', '.join(config.waves)})")


@instruments_app.command("build")
def instruments_build(
    study: StudyOption = DEMO_STUDY,
    out: Annotated[Path | None, typer.Option(help="Build folder (default: $TOEGANG_BUILD or build/).")] = None,
) -> None:
    """Write one LimeSurvey .lss per survey of the study and the codebook (JSON, HTML) to build/<study>/."""
    from instruments.build import build_study
    from instruments.study import load_study
    from warehouse.paths import Locations

    try:
        result = build_study(load_study(study), out or Locations.of_study(study).build)
    except InstrumentError as exc:
        _fail(str(exc))
    for path in (*result.lss, result.codebook_json, *result.codebook_html):
        typer.echo(str(path))


@instruments_app.command("deploy")
def instruments_deploy(
    survey_id: Annotated[int, typer.Option(help="The survey (as in the study file) to deploy.")],
    study: StudyOption = DEMO_STUDY,
    participants: Annotated[Path | None, typer.Option(help="CSV of participants (firstname, lastname, email, "
                                                           "language, attribute_N, and token to keep their own "
                                                           "tokens); otherwise tokens come from LimeSurvey.")] = None,
    reuse_tokens_from: Annotated[int | None, typer.Option(
        help="An earlier survey whose participants keep their tokens (a panel): all of them, or with --participants "
             "those whose e-mail matches; the others get new tokens.")] = None,
) -> None:
    """Import the survey's .lss into LimeSurvey (LIMESURVEY_URL, LIMESURVEY_USERNAME, LIMESURVEY_PASSWORD),
    activate it with a participants table, add participants, and record the survey id in the study file."""
    from instruments.study import load_study
    from pipelines.deploy import deploy_survey, describe, read_participants
    from pipelines.limesurvey import ServerSettings

    def deploy():
        config = load_study(study)
        people = read_participants(participants) if participants else None
        with ServerSettings.from_environment(retries=0).open() as server:  # writes: never retried
            return deploy_survey(server, config, survey_id, people, reuse_from=reuse_tokens_from)

    typer.echo(describe(_guarded(deploy), reuse_tokens_from))


# --- toegang invite and toegang remind: LimeSurvey's mailings, with a dry run (pipelines/mailing.py) ---------
TidOption = Annotated[list[int] | None, typer.Option("--tid", help="Only this participant (LimeSurvey's tid); "
                                                                   "repeatable. Default: every one due.")]
DryRunOption = Annotated[bool, typer.Option("--dry-run", help="Say who would receive what (tid, language, masked "
                                                              "address), send nothing.")]
ServerNowOption = Annotated[datetime | None, typer.Option(formats=["%Y-%m-%d %H:%M", "%Y-%m-%d"], help=(
    "The server's time, which --min-days counts back from and validfrom/validuntil are compared with, when its "
    "clock or time zone differs from this machine's (LimeSurvey uses its own; the real run mails only whom the "
    "dry run names)."))]


def _mail(kind: str, study: str, survey_id: int, home: str | None, dry_run: bool, tids: list[int] | None,
          **filters) -> None:
    from instruments.study import load_study
    from pipelines.limesurvey import RETRIES, ServerSettings
    from pipelines.mailing import mail
    from warehouse.paths import Locations

    def run():
        config = load_study(study)
        server = ServerSettings.from_environment(retries=RETRIES if dry_run else 0)  # sends: never retried
        return mail(config, survey_id, kind, locations=Locations.of_study(config.study_id, home=home), server=server,
                    dry_run=dry_run, tids=tids, **filters)

    done = _guarded(run)
    for line in done.lines():
        typer.echo(line)
    if done.record.failed:  # LimeSurvey's mail server refused: a server-side failure, as an unreachable server
        _fail(f"{done.record.failed} of {done.record.sent + done.record.failed} sends failed on the server",
              UNREACHABLE)


@app.command()
def invite(
    survey_id: Annotated[int, typer.Option(help="The survey (as in the study file).")],
    study: StudyIdOption = DEMO_STUDY,
    tid: TidOption = None,
    dry_run: DryRunOption = False,
    now: ServerNowOption = None,
    home: HomeOption = None,
) -> None:
    """Send LimeSurvey's invitation to the survey's participants not invited yet (not completed, with a token, an
    e-mail address whose status is OK, and within their validfrom/validuntil), in as many calls as LimeSurvey's
    maxemails needs; log the counts in meta.mailings. Exit 3 when some sends failed on the server."""
    _mail("invite", study, survey_id, home, dry_run, tid, now=now)


@app.command()
def remind(
    survey_id: Annotated[int, typer.Option(help="The survey (as in the study file).")],
    study: StudyIdOption = DEMO_STUDY,
    min_days: Annotated[int, typer.Option(min=0, help="Only those last contacted (reminded, else invited) at "
                                                      "least this many days ago (0: no wait; the default keeps a "
                                                      "rerun on the same day from reminding anyone twice).")] = 1,
    max_reminders: Annotated[int | None, typer.Option(min=1, help="Only those reminded fewer times than this.")]
    = None,
    tid: TidOption = None,
    dry_run: DryRunOption = False,
    now: ServerNowOption = None,
    home: HomeOption = None,
) -> None:
    """Send LimeSurvey's reminder to the survey's participants invited and not completed (with the filters; by
    default those last contacted a day ago or more, so a rerun the same day reminds nobody twice); log the counts
    in meta.mailings. Exit 3 when some sends failed on the server."""
    _mail("remind", study, survey_id, home, dry_run, tid, min_days=min_days, max_reminders=max_reminders, now=now)


@instruments_app.command("diff")
def instruments_diff(
    old: Annotated[str, typer.Argument(help="Old version: a definition file or a git revision.")],
    new: Annotated[str, typer.Argument(help="New version: a definition file or a git revision.")],
    instrument: Annotated[str | None, typer.Option(help="One of the study's instruments (default: its first).")] = None,
    study: StudyOption = DEMO_STUDY,
    wave: Annotated[str | None, typer.Option(help="Wave of the old version (default: the study's first).")] = None,
    new_wave: Annotated[str | None, typer.Option(help="Wave of the new version (default: as --wave).")] = None,
) -> None:
    """List added, removed and changed items between two versions of a questionnaire."""
    from instruments.diff import diff_instruments
    from instruments.study import load_study
    from instruments.versions import load_version

    try:
        config = load_study(study)
        instrument = instrument or config.instrument_names[0]
        old_wave = wave or config.waves[0]
        before = load_version(old, instrument, config.study_id, old_wave)
        after = load_version(new, instrument, config.study_id, new_wave or old_wave)
    except InstrumentError as exc:
        _fail(str(exc))
    changes = diff_instruments(before, after)
    typer.echo(f"{instrument}: {before.version} ({old}, wave {before.wave}) -> {after.version} ({new}, wave {after.wave})")
    for change in changes:
        typer.echo(str(change))
    counts = {kind: sum(c.kind == kind for c in changes) for kind in ("added", "removed", "changed")}
    typer.echo(f"{counts['added']} added, {counts['removed']} removed, {counts['changed']} changed")


# --- toegang serve: the dashboard site on the loopback interface -------------------------------------------


@app.command()
def serve(
    study: StudyIdOption = DEMO_STUDY,
    site: SiteOption = None,
    port: Annotated[int, typer.Option(help="Port on 127.0.0.1 (0: any free port).")] = 8000,
) -> None:
    """Serve a study's dashboard (<site>/<study>/) on http://127.0.0.1:PORT/ until Ctrl-C (the site also opens
    from disk)."""
    import functools
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    from warehouse.paths import Locations

    folder = _guarded(lambda: Locations.of_study(study, site=site)).site
    if not (folder / "index.html").is_file():
        _fail(f"no dashboard of study {study} in {folder.resolve()}: run `toegang demo` or `toegang run --study "
              f"{study}` first")

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, format, *args):  # one line per request is noise for a reader's browser
            pass

    handler = functools.partial(Quiet, directory=str(folder))
    # Loopback only: the site is meant for the person at this machine, not the network.
    with ThreadingHTTPServer(("127.0.0.1", port), handler) as server:
        typer.echo(f"Serving {folder.resolve()} on http://127.0.0.1:{server.server_address[1]}/ (Ctrl-C stops)")
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            typer.echo("stopped")


# --- toegang factsheets: the site's factsheet pages as PDF (pipelines/factsheets.py) -----------------------


@app.command()
def factsheets(
    study: StudyIdOption = DEMO_STUDY,
    site: SiteOption = None,
    home: HomeOption = None,
    out: Annotated[Path | None, typer.Option(help="Folder of the PDFs, one subfolder per language (default: "
                                                  "<home>/<study>/factsheets/).")] = None,
    lang: Annotated[list[str] | None, typer.Option(help="Language to print (repeatable; default: nl, fr and "
                                                        "en).")] = None,
    sheet: Annotated[list[str] | None, typer.Option(help="Only this factsheet, by its page's name without .html "
                                                         "(repeatable): <breakdown>-<code> or subject-<code>.")]
    = None,
) -> None:
    """Print the factsheets of a study's built dashboard (<site>/<study>/<lang>/factsheets/) to PDF with Debian's
    Chromium, headless (chromium on PATH, /usr/bin/chromium, or $TOEGANG_CHROMIUM)."""
    from pipelines.factsheets import FactsheetError, print_factsheets
    from warehouse.paths import Locations

    where = _guarded(lambda: Locations.of_study(study, site=site, home=home))
    folder = out or where.home / "factsheets"
    try:
        printed = print_factsheets(where.site, folder, lang or None, sheet or None)
    except FactsheetError as exc:
        _fail(str(exc))
    typer.echo(f"{len(printed)} factsheet(s) of study {study} printed to {Path(os.path.abspath(folder))}/"
               f"<lang>/<name>.pdf")


# -- backup and restore (warehouse/backup.py) ---------------------------------------------------------
@app.command()
def backup(
    destination: Annotated[Path, typer.Argument(help="A new folder for the backup.")],
    study: StudyIdOption = DEMO_STUDY,
    home: HomeOption = None,
) -> None:
    """Back up a study's warehouse and raw layer (DuckDB EXPORT DATABASE, Parquet) with a manifest of the
    study, schema versions, row counts and checksums. warehouse/ can be shared; raw/ holds tokens."""
    from warehouse.backup import BackupError, backup as export
    from warehouse.paths import Locations

    try:
        manifest = _guarded(lambda: export(Locations.of_study(study, home=home), destination, study_id=study))
    except BackupError as exc:
        _fail(str(exc))
    rows = sum(sum(counts.values()) for counts in manifest["rows"].values())
    typer.echo(f"backup of study {study} written to {destination.resolve()}: {rows} rows, schema versions "
               f"{manifest['schema_versions']}")
    typer.echo(f"  {destination / 'raw'} holds tokens: keep it where the raw layer is kept")


@app.command()
def restore(
    source: Annotated[Path, typer.Argument(help="A folder written by `toegang backup`.")],
    study: StudyIdOption = DEMO_STUDY,
    home: HomeOption = None,
    replace: Annotated[bool, typer.Option(help="Replace an existing warehouse (its files are kept beside "
                                               "it as *.before-restore-<time>).")] = False,
) -> None:
    """Restore a backup of a study into its home (<home>/<study>/), after checking every file against its
    manifest."""
    from warehouse.backup import BackupError, restore as import_
    from warehouse.paths import Locations

    locations = _guarded(lambda: Locations.of_study(study, home=home))
    try:
        manifest = _guarded(lambda: import_(source, locations, replace=replace, study_id=study))
    except BackupError as exc:
        _fail(str(exc))
    typer.echo(f"restored {source} ({manifest['created_at']}) into {locations.home.resolve()}")


@app.command("migrate-home")
def migrate_home(
    home: HomeOption = None,
    study: Annotated[str | None, typer.Option(
        help="The study the home belongs to: needed only when its warehouse holds no responses yet; otherwise it "
             "must be the one it holds.")] = None,
) -> None:
    """Move a home of the layout before studies had their own (toegang.duckdb, raw.duckdb, inbox/<study>/,
    archive/, quarantine/, exports/ at its top) into <home>/<study>/. Refused, changing nothing, when the
    warehouse holds several studies, is in use, or the study's new home exists. Stop runs of the home first;
    a kill leaves the old layout or the new one whole, and running the command again finishes."""
    from warehouse.homes import migrate_home as migrate
    from warehouse.paths import home_root

    root = home_root(home=home)
    done = _guarded(lambda: migrate(root, study, log=lambda line: typer.echo(f"  {line}")))
    if done.resumed:
        typer.echo(f"finished the migration of study {done.study_id} into {done.home.resolve()}")
        return
    typer.echo(f"study {done.study_id}: {len(done.moved)} files moved into {done.home.resolve()}; "
               f"the record is {done.home.resolve() / 'migrated-home.json'}")
    typer.echo(f"  its dashboard is published to <site>/{done.study_id}/ from the next run (toegang run --study "
               f"{done.study_id}); the old site folder's files can then be removed")


if __name__ == "__main__":
    app()
