"""The `qmsdocs` command: work with catalogues and manuals without building a site.

Exit codes: 0 success, 1 the manual has problems, 2 unusable input (bad data file, bad path).
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import sys
import textwrap
from collections.abc import Sequence

import click

from qmsdocs.findings import QMSDataError
from qmsdocs.standards import Catalogue, Clause, builtin_catalogue_ids, resolve_catalogue

__all__ = ["main"]

EXIT_UNUSABLE = 2


def _load(spec: str) -> Catalogue:
    try:
        return resolve_catalogue(spec)
    except QMSDataError as error:
        click.echo(f"qmsdocs: cannot load the catalogue '{spec}':", err=True)
        for finding in error.findings:
            click.echo(f"  {finding}", err=True)
        sys.exit(EXIT_UNUSABLE)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="qmsdocs")
def main() -> None:
    """qmsdocs: ISO 9001 quality manuals with MkDocs.

    The MkDocs plugin does the work while a site builds (enable it with
    `plugins: [search, qmsdocs]` in mkdocs.yml); these commands answer questions
    without building a site.
    """


@main.command()
@click.option(
    "--standard",
    "-s",
    default="iso9001-2015",
    show_default=True,
    help="Built-in catalogue id or path of a catalogue file.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "markdown", "csv", "json"]),
    default="table",
    show_default=True,
    help="Output format.",
)
@click.option("--required", is_flag=True, help="Only clauses that carry requirements.")
@click.option("--leaves", is_flag=True, help="Only the lowest-level required clauses.")
def clauses(standard: str, fmt: str, required: bool, leaves: bool) -> None:
    """List the clauses of a catalogue (built-in: see `qmsdocs catalogues`)."""
    catalogue = _load(standard)
    if leaves:
        selected = catalogue.required_leaves()
    elif required:
        selected = catalogue.required()
    else:
        selected = list(catalogue)
    rows = [
        {
            "clause": c.id,
            "title": c.title or "",
            "parent": c.parent or "",
            "requirements": c.requirements,
        }
        for c in selected
    ]
    if fmt == "json":
        payload = {"catalogue": catalogue.id, "title": catalogue.title, "clauses": rows}
        click.echo(json.dumps(payload, indent=2, ensure_ascii=False))
    elif fmt == "csv":
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=list(rows[0]) if rows else ["clause"])
        writer.writeheader()
        writer.writerows(rows)
        click.echo(buffer.getvalue(), nl=False)
    elif fmt == "markdown":
        click.echo("| Clause | Title | Requirements |")
        click.echo("|---|---|---|")
        for c in selected:
            title = (c.title or f"({catalogue.context_title(c.id)})").replace("|", "\\|")
            click.echo(f"| {c.id} | {title} | {'yes' if c.requirements else ''} |")
    else:
        _table(catalogue, selected)


def _table(catalogue: Catalogue, selected: Sequence[Clause]) -> None:
    width = shutil.get_terminal_size((100, 20)).columns
    click.echo(f"{catalogue.title}  [{catalogue.id}]")
    click.echo(f"{'Clause':<9} {'Req':<4} Title")
    click.echo(f"{'-' * 9} {'-' * 4} {'-' * max(10, width - 15)}")
    for clause in selected:
        indent = "  " * (clause.depth - 1)
        title = clause.title or f"({catalogue.context_title(clause.id)})"
        lines = textwrap.wrap(
            indent + title, max(20, width - 15), subsequent_indent=indent + "  "
        ) or [""]
        req = "yes" if clause.requirements else ""
        click.echo(f"{clause.id:<9} {req:<4} {lines[0]}")
        for more in lines[1:]:
            click.echo(f"{'':<14} {more}")
    required = len(catalogue.required())
    click.echo(
        f"\n{len(selected)} clauses listed; {required} carry requirements, "
        f"{len(catalogue.required_leaves())} of them at the lowest level."
    )


@main.command()
def catalogues() -> None:
    """List the built-in catalogues."""
    for catalogue_id in builtin_catalogue_ids():
        catalogue = _load(catalogue_id)
        status = " (provisional)" if catalogue.provisional else ""
        click.echo(f"{catalogue_id:<16} {catalogue.title}{status}")


if __name__ == "__main__":  # pragma: no cover
    main()
