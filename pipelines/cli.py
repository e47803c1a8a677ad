"""The ``toegang`` command."""

from pathlib import Path
from typing import Annotated

import duckdb
import typer

from instruments.limesurvey_export import ExportError
from instruments.model import InstrumentError
from instruments.study import DEMO_STUDY

app = typer.Typer(
    name="toegang",
    help="Toegang: surveys on the accessibility of family support, from LimeSurvey to published indicators.",
    no_args_is_help=True,
    add_completion=False,
    # Locals in a traceback can hold secrets and whole data frames: never print them.
    pretty_exceptions_show_locals=False,
)


def _fail(message: str) -> None:
    typer.secho(f"error: {message}", err=True, fg=typer.colors.RED)
    raise typer.Exit(code=1)


def _run(study: str, waves: list[str] | None, home: str | None, site: str | None) -> None:
    from pipelines.resources.study import PseudonymKeyMissing
    from pipelines.runner import UnknownWave, run_study
    from warehouse.clean import CleanError
    from pipelines.defs.ingest import SurveySourceMissing

    try:
        done = run_study(study, waves, home=home, site=site)
    except (ExportError, InstrumentError, CleanError, PseudonymKeyMissing, UnknownWave,
            SurveySourceMissing) as exc:
        _fail(str(exc))
    except duckdb.IOException as exc:
        _fail(f"the warehouse is in use by another process or cannot be opened: {exc}")
    loc = done.locations
    typer.echo("")
    typer.echo(f"Study {done.study_id}, waves {', '.join(done.waves)}: done.")
    typer.echo(f"  Warehouse:  {loc.warehouse.resolve()}")
    typer.echo(f"  Raw layer:  {loc.raw.resolve()}  (holds tokens: do not share)")
    typer.echo(f"  Dashboard:  {(loc.site / 'index.html').resolve()}")
    typer.echo(f"              open file://{(loc.site / 'index.html').resolve()} in a browser")


HomeOption = Annotated[str | None, typer.Option(help="Warehouse folder (default: $TOEGANG_HOME or data/).")]
SiteOption = Annotated[str | None, typer.Option(help="Dashboard folder (default: $TOEGANG_SITE or site/).")]


@app.command()
def demo(home: HomeOption = None, site: SiteOption = None) -> None:
    """Run the whole pipeline on the bundled synthetic demo study (no server, no credentials)."""
    _run(DEMO_STUDY, None, home, site)


@app.command()
def run(
    study: Annotated[str, typer.Option(help="Study id: instruments/studies/<study>.yaml.",
                                       envvar="TOEGANG_STUDY")] = DEMO_STUDY,
    wave: Annotated[list[str] | None, typer.Option(help="Wave to run (repeatable); default: every wave.")] = None,
    home: HomeOption = None,
    site: SiteOption = None,
) -> None:
    """Ingest, clean, compute indicators and publish the dashboard for a configured study."""
    _run(study, wave or None, home, site)


@app.command("generate-demo")
def generate_demo(
    out: Annotated[Path | None, typer.Option(help="Folder for the export files (default: the bundled study).")] = None,
) -> None:
    """Regenerate the demo study's LimeSurvey export files (deterministic: byte-identical each time)."""
    from instruments.demo_study import generate

    for path in generate(out):
        typer.echo(str(path))


if __name__ == "__main__":
    app()
