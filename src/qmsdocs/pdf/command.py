"""`qmsdocs pdf`: the manual as one PDF, an auditor's copy.

Exit status: 0 written; 1 the manual did not build (its errors are listed, as `mkdocs build`
lists them); 2 unusable input (mkdocs.yml, the output path) or WeasyPrint missing.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import click

from qmsdocs.commandline import EXIT_UNUSABLE
from qmsdocs.commandline import config_path as _config_path
from qmsdocs.commandline import unusable as _unusable

__all__ = ["pdf"]

EXIT_FAILED = 1


def _stage(message: str) -> None:
    click.echo(f"qmsdocs pdf: {message}", err=True)


def _check_output(output: Path) -> None:
    if output.is_dir():
        _unusable(f"{output}: is a folder (give the path of the PDF to write)")
    if not output.parent.is_dir():
        _unusable(f"{output}: the folder {output.parent} does not exist (create it first)")


@click.command()
@click.argument("config_file", default="mkdocs.yml", required=False)
@click.option(
    "--output",
    "-o",
    required=True,
    type=click.Path(path_type=Path),
    help="The PDF to write (replaced whole, never half-written).",
)
@click.option(
    "--controlled/--uncontrolled",
    default=None,
    help='Print "Controlled copy" or "Uncontrolled when printed" on every page '
    "(default: the plugin option pdf: {controlled: ...}, else uncontrolled).",
)
@click.option(
    "--glossary/--no-glossary",
    default=None,
    help="End with the glossary (default: the plugin option pdf: {glossary: ...}, else yes).",
)
def pdf(config_file: str, output: Path, controlled: bool | None, glossary: bool | None) -> None:
    """Write the manual as one PDF: an auditor's copy.

    A cover (organisation, title, revision, approval, date), the contents, the document
    register, every page of the navigation with its document control panel, the coverage
    matrix and the clause pages, and the glossary; each page headed with its document id and
    revision, numbered "Page x of y", and marked as a controlled or an uncontrolled copy.
    Clause, term and page links lead inside the PDF. The site is built with MkDocs into a
    temporary folder first (the gate applies: a manual that does not build gets no copy).
    Needs WeasyPrint: pip install 'qmsdocs[pdf]'.
    """
    from qmsdocs.pdf.render import EngineMissing, check_engine

    try:
        check_engine()
    except EngineMissing as error:
        _unusable(str(error))
    path = _config_path(config_file)
    _check_output(output)
    _write_copy(path, output, controlled, glossary)


def _write_copy(path: Path, output: Path, controlled: bool | None, glossary: bool | None) -> None:
    from qmsdocs.findings import QMSDataError
    from qmsdocs.pdf.assemble import assemble
    from qmsdocs.pdf.render import render_pdf
    from qmsdocs.pdf.site import BuildFailed, build_site
    from qmsdocs.sourcefiles import write_atomically

    _stage(f"building the site of {path} with MkDocs")
    with tempfile.TemporaryDirectory(prefix="qmsdocs-pdf-") as work:
        try:
            with build_site(path, Path(work)) as site:
                for warning in site.warnings:
                    click.echo(warning, err=True)
                docs_dir = site.docs_dir.resolve()
                if output.resolve().is_relative_to(docs_dir):
                    _unusable(
                        f"{output}: is inside the docs folder {site.docs_dir}, so the next "
                        "build would publish the copy; write it somewhere else"
                    )
                options = site.options
                is_controlled = options.controlled if controlled is None else controlled
                with_glossary = options.glossary if glossary is None else glossary
                _stage("assembling the copy")
                document = assemble(site, controlled=is_controlled, glossary=with_glossary)
                _stage(f"rendering {document.pages} pages of the site with WeasyPrint")
                rendered = render_pdf(
                    document.html,
                    site.site_dir,
                    [site.site_dir],
                    progress=_stage,
                )
        except QMSDataError as error:
            click.echo(f"qmsdocs: {path}: the manual cannot be read:", err=True)
            for finding in error.findings:
                click.echo(f"  {finding}", err=True)
            sys.exit(EXIT_UNUSABLE)
        except BuildFailed as error:
            click.echo(f"qmsdocs: {path}: the site did not build, so no copy was made:", err=True)
            for message in error.messages:
                click.echo(f"  {message}", err=True)
            sys.exit(EXIT_FAILED)
    for url in rendered.refused:
        click.echo(
            f"warning: not fetched (a copy fetches nothing from other hosts): {url}", err=True
        )
    for problem in rendered.problems:
        click.echo(f"warning: {problem}", err=True)
    try:
        write_atomically(output, rendered.data)
    except OSError as error:
        _unusable(f"{output}: cannot write the PDF ({error.strerror or error})")
    size = len(rendered.data) / 1_000_000
    click.echo(
        f"qmsdocs: wrote {output} ({rendered.pages} pages, {size:.1f} MB, "
        f"{document.manual.copy_label.lower()})",
        err=True,
    )
