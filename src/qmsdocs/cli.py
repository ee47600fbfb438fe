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
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn

import click

from qmsdocs.checker import SourceReading, check_sources
from qmsdocs.commandline import EXIT_UNUSABLE
from qmsdocs.commandline import config_path as _config_path
from qmsdocs.commandline import unusable as _unusable
from qmsdocs.coverage import Coverage, Summary
from qmsdocs.documents import source_date_findings
from qmsdocs.editions import Editions, load_editions
from qmsdocs.explain import explanation_data, explanation_lines
from qmsdocs.exports import (
    coverage_csv,
    coverage_data,
    generator,
    markdown_cell,
    spreadsheet_safe,
)
from qmsdocs.findings import (
    ADOPTION_ADVICE,
    Finding,
    QMSDataError,
    Severity,
    apply_severities,
    draft_advice,
    report_lines,
)
from qmsdocs.glossary import load_site_vocabulary
from qmsdocs.plugin.config import claimed_standards, rules_from
from qmsdocs.plugin.siteconfig import load_site
from qmsdocs.scaffold import pending_data, pending_lines
from qmsdocs.standards import Catalogue, Clause, builtin_catalogue_ids, resolve_catalogue
from qmsdocs.written import is_marked_text
from qmsdocs.yamlio import read_text

__all__ = ["main"]


def _load(spec: str) -> Catalogue:
    try:
        return resolve_catalogue(spec)
    except QMSDataError as error:
        click.echo(f"qmsdocs: cannot load the catalogue '{spec}':", err=True)
        for finding in error.findings:
            click.echo(f"  {finding}", err=True)
        sys.exit(EXIT_UNUSABLE)


_STANDARD_OPTION = click.option(
    "--standard",
    "-s",
    default="iso9001-2015",
    show_default=True,
    help="Built-in catalogue id or path of a catalogue file.",
)


_TEXT_OR_JSON = click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Output format.",
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="qmsdocs")
def main() -> None:
    """qmsdocs: ISO 9001 quality manuals with MkDocs.

    The MkDocs plugin does the work while a site builds (enable it with
    `plugins: [search, qmsdocs]` in mkdocs.yml); these commands answer questions
    without building a site.
    """


def _summary_line(overall: Summary) -> str:
    """ "65 lowest-level clauses; 20 addressed (...), 0 not applicable, 0 missing (...)"."""
    addressed = f"{overall.addressed} addressed"
    if overall.drafted:
        addressed += f" ({overall.covered} approved, {overall.drafted} drafted, not approved)"
    return (
        f"{overall.required} lowest-level clauses; {addressed}, "
        f"{overall.not_applicable} not applicable, {overall.missing} missing "
        f"({overall.percent} % of the applicable ones approved"
        + (f", {overall.drafted_percent} % drafted)" if overall.drafted else ")")
    )


@main.command()
@_STANDARD_OPTION
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
        # A catalogue file is anyone's text: a spreadsheet must not run a title as a formula.
        writer.writerows({key: spreadsheet_safe(str(v)) for key, v in row.items()} for row in rows)
        click.echo(buffer.getvalue(), nl=False)
    elif fmt == "markdown":
        click.echo("| Clause | Title | Requirements |")
        click.echo("|---|---|---|")
        for c in selected:
            title = markdown_cell(c.title or f"({catalogue.context_title(c.id)})")
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


@dataclass
class _Manual:
    config_file: Path
    catalogue: Catalogue
    reading: SourceReading
    findings: list[Finding]
    urls: dict[str, str]
    editions: Editions
    docs_dir: Path


def _unusable_data(what: str, error: QMSDataError) -> NoReturn:
    click.echo(f"qmsdocs: {what}:", err=True)
    for finding in error.findings:
        click.echo(f"  {finding}", err=True)
    sys.exit(EXIT_UNUSABLE)


def _read_manual(config_file: str) -> _Manual:
    """Load mkdocs.yml as MkDocs does (the plugin's validated options, the pages it renders)
    and draw the manual's verdict from its sources, as the build does."""
    path = _config_path(config_file)
    try:
        site = load_site(path)
    except QMSDataError as error:
        _unusable_data("the manual cannot be read", error)
    for warning in site.warnings:
        click.echo(warning, err=True)
    options = site.qmsdocs_options()
    if options is None:
        _unusable(f"{path}: the qmsdocs plugin is not enabled (add it under plugins:)")
    try:
        editions = load_editions(
            claimed_standards(options), options.editions, path.parent, options.confirmed
        )
    except QMSDataError as error:
        _unusable_data("cannot load the catalogue", error)
    try:
        vocabulary, glossary_findings, _folder = load_site_vocabulary(
            path.parent, options.glossary_dir, iso_terms=options.iso_terms
        )
    except QMSDataError as error:
        _unusable_data("cannot load the glossary", error)
    sources: list[tuple[str, str]] = []
    unreadable: list[Finding] = []
    for src_uri, file in site.pages():
        try:
            text = read_text(file, src_uri)
            if not is_marked_text(text):  # a page `qmsdocs generate` wrote is not the manual's
                sources.append((src_uri, text))
        except QMSDataError as error:
            unreadable += error.findings
    reading = check_sources(
        sources,
        editions.primary,
        rules_from(options),
        editions=editions,
        vocabulary=vocabulary,
        read_ahead=options.read_ahead,
    )
    findings = apply_severities(
        glossary_findings + unreadable + reading.findings + source_date_findings(), options.checks
    )
    urls = {file.src_uri: file.url for file in site.files.documentation_pages()}
    return _Manual(path, editions.primary, reading, findings, urls, editions, site.docs_dir)


@main.command()
@click.argument("config_file", default="mkdocs.yml", required=False)
@_TEXT_OR_JSON
@click.option("--strict", is_flag=True, help="Fail on warnings too.")
def check(config_file: str, fmt: str, strict: bool) -> None:
    """Check a manual without building the site: the build's own verdict and findings.

    Reads the pages' sources (front matter, headings, prose citations) with the plugin's
    options from CONFIG_FILE (default: mkdocs.yml). Exit status: 0 complete, 1 clauses
    missing or errors found (or warnings, with --strict), 2 unusable input.
    """
    manual = _read_manual(config_file)
    coverage = manual.reading.coverage
    errors = [f for f in manual.findings if f.severity is Severity.ERROR]
    warnings = [f for f in manual.findings if f.severity is Severity.WARNING]
    failed = bool(errors) or (strict and bool(warnings))
    overall = coverage.summary()
    if fmt == "json":
        payload = {
            "config": str(manual.config_file),
            "catalogue": manual.catalogue.id,
            "pages": manual.reading.pages,
            "complete": coverage.complete,
            "passed": not failed,
            "errors": len(errors),
            "warnings": len(warnings),
            "missing": [c.id for c in coverage.missing()],
            "standards": [
                {
                    "catalogue": c.catalogue.id,
                    "complete": c.complete,
                    "missing": [m.id for m in c.missing()],
                }
                for c in _claimed_coverages(manual)
            ],
            "pending": pending_data(manual.reading),
            "summary": coverage_data(coverage, _info(manual), "qmsdocs check")["summary"],
            "findings": [
                {
                    "severity": f.severity.value,
                    "code": f.code,
                    "path": f.path or None,
                    "line": f.line,
                    "message": f.message,
                    "hint": f.hint,
                }
                for f in manual.findings
            ],
        }
        click.echo(json.dumps(payload, indent=2, ensure_ascii=False))
    else:
        for severity, text in report_lines(manual.findings):
            click.echo(f"{severity.value}: {text}")
        pages = manual.reading.pages
        for claimed in _claimed_coverages(manual):
            line = _summary_line(claimed.summary())
            click.echo(f"{claimed.catalogue.label}: {line}, in {pages} pages.")
        for line in pending_lines(manual.reading):
            click.echo(line)
        if failed:
            click.echo(f"Not complete: {len(errors)} error(s), {len(warnings)} warning(s).")
            drafted = draft_advice(manual.findings)
            if drafted:
                click.echo(drafted)
            if any(f.code == "missing-clause" for f in manual.findings):
                click.echo(ADOPTION_ADVICE)
        else:
            complete = "Complete: every required clause is addressed or declared not applicable"
            if overall.drafted:
                complete += f"; {overall.drafted} only by drafts (publish_drafts is on)"
            click.echo(complete + ".")
    sys.exit(1 if failed else 0)


def _claimed_coverages(manual: _Manual) -> list[Coverage]:
    """The coverage of each standard the manual claims (one, unless it is an integrated
    management system), the first first."""
    coverages = manual.reading.assessment.coverages
    return [coverages[c.id] for c in manual.editions.standards]


def _info(manual: _Manual) -> Any:
    def info(page: str) -> tuple[str | None, str]:
        return manual.urls.get(page), manual.reading.titles.get(page, page)

    return info


@main.command()
@click.argument("config_file", default="mkdocs.yml", required=False)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["json", "csv", "markdown"]),
    default="markdown",
    show_default=True,
    help="Output format (json and csv are the plugin's coverage.json and coverage.csv).",
)
@click.option("--output", "-o", type=click.Path(dir_okay=False), help="Write to this file.")
@click.option(
    "--standard",
    help="In an integrated management system, only this standard (csv: default the first).",
)
def coverage(config_file: str, fmt: str, output: str | None, standard: str | None) -> None:
    """Write the coverage matrix of a manual without building the site."""
    manual = _read_manual(config_file)
    claimed = _claimed_coverages(manual)
    if standard is not None:
        chosen = [c for c in claimed if c.catalogue.id == standard]
        if not chosen:
            ids = ", ".join(c.catalogue.id for c in claimed)
            _unusable(f"--standard {standard}: the manual claims {ids}")
        claimed = chosen
    result = claimed[0]
    info = _info(manual)
    if fmt == "json":
        several = claimed if len(claimed) > 1 else []
        unlinked = manual.reading.assessment.unlinked
        data = coverage_data(result, info, generator(), unlinked, several)
        text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    elif fmt == "csv":
        text = coverage_csv(result, info)
    else:
        text = "\n".join(_coverage_markdown(c, info) for c in claimed)
    if output:
        Path(output).write_text(text, encoding="utf-8", newline="")
        click.echo(f"qmsdocs: wrote {output}", err=True)
    else:
        click.echo(text, nl=False)


_LISTED = 10  # files listed one by one, before "and N more"


@main.command()
@click.argument("config_file", default="mkdocs.yml", required=False)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    help="A folder inside the docs folder to write into (default: the docs folder itself, at "
    "the paths the plugin uses).",
)
def generate(config_file: str, out: Path | None) -> None:
    """Write the generated pages as Markdown files, for site generators without plugins.

    Zensical runs qmsdocs' Markdown extension but no MkDocs plugin: run this before
    `zensical build`. It writes the clause pages, coverage page, document register, glossary
    and transition page, filled from the same assessment the plugin makes, with the exports
    and the stylesheet, into the docs folder (leave them out of version control). Files that
    did not change are not touched; files generated before and no longer generated are
    removed; a page of your own is never overwritten. Exit status: 0 written, 2 unusable
    input or a file of yours in the way. The gate is `qmsdocs check`.
    """
    from qmsdocs.generate import GenerateError
    from qmsdocs.generate import generate as write_generated
    from qmsdocs.standalone import Standalone

    path = _config_path(config_file)
    try:
        site = Standalone.load(path, generating=True, out=out)
    except QMSDataError as error:
        _unusable_data("nothing was generated", error)
    for warning in site.site.warnings:
        click.echo(warning, err=True)
    try:
        done = write_generated(site)
    except GenerateError as error:
        _unusable(str(error))
    folder = site.docs_dir / site.build.generated.prefix
    click.echo(
        f"qmsdocs: {len(done.written) + len(done.unchanged)} generated files in {folder}: "
        f"{len(done.written)} written, {len(done.unchanged)} unchanged, "
        f"{len(done.removed)} removed."
    )
    for src in done.removed[:_LISTED]:
        click.echo(f"  removed {src} (no longer generated)")
    if len(done.removed) > _LISTED:
        click.echo(f"  and {len(done.removed) - _LISTED} more")
    for src in done.kept:
        click.echo(f"  kept {src}: generated before, but no longer marked as generated")
    errors = [
        f
        for f in apply_severities(site.build.all_findings(), site.build.options.checks)
        if f.severity is Severity.ERROR
    ]
    if errors:
        click.echo(
            f"The manual has {len(errors)} error(s) and would not be published: "
            "`qmsdocs check` lists them."
        )


@main.command()
@click.argument("config_file", default="mkdocs.yml", required=False)
@click.option(
    "--page",
    "pages",
    multiple=True,
    help="Only this page (docs-relative path); may be given more than once.",
)
@_TEXT_OR_JSON
def explain(config_file: str, pages: tuple[str, ...], fmt: str) -> None:
    """Say why each clause number of a manual was linked, or not.

    For every citation in the prose ("clause 8.4", "§ 9.2", "ISO 22301 8.4", "Privacy Policy
    §3"): the standard or document it was bound to, and what bound it there (the citation, its
    sentence or paragraph, a table column, a section heading, a label line, the page's title
    or front matter `standard:`, or the site's standard).
    """
    manual = _read_manual(config_file)
    assessment = manual.reading.assessment
    unknown = sorted(set(pages) - set(assessment.pages))
    if unknown:
        _unusable(f"no such page in the manual: {', '.join(unknown)}")
    if fmt == "json":
        data = explanation_data(assessment, pages)
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    lines = explanation_lines(assessment, pages)
    click.echo("\n".join(lines) if lines else "No clause numbers in the prose of these pages.")


def _coverage_markdown(result: Any, info: Any) -> str:
    catalogue = result.catalogue
    lines = [
        f"# Clause coverage: {catalogue.label}",
        "",
        "| Clause | Heading | Status | Addressed by | Justification |",
        "|---|---|---|---|---|",
    ]
    for verdict in result.verdicts.values():
        declarations = verdict.addressed_by or verdict.inherited
        # Page titles, section titles and justifications are the manual's text, not markup.
        where = "<br>".join(
            dict.fromkeys(
                markdown_cell(
                    info(d.page)[1] + (f" › {d.section_title}" if d.section_title else "")
                )
                for d in declarations
            )
        )
        justification = verdict.exclusion.justification if verdict.exclusion else ""
        title = verdict.clause.title or catalogue.context_title(verdict.clause.id)
        cells = [verdict.clause.id, title, verdict.label, justification]
        clause, heading, status, reason = map(markdown_cell, cells)
        lines.append(f"| {clause} | {heading} | {status} | {where} | {reason} |")
    overall = result.summary()
    lines += [
        "",
        _summary_line(overall) + ".",
    ]
    return "\n".join(lines) + "\n"


@main.command()
@click.argument("config_file", default="mkdocs.yml", required=False)
@click.option("--to", "target", help="The edition to move to (default: the one qmsdocs knows).")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "csv"]),
    default="text",
    show_default=True,
    help="Output format.",
)
@click.option(
    "--write",
    is_flag=True,
    help="Rewrite front matter clause ids that map one to one (10.3 -> 10.1).",
)
def transition(config_file: str, target: str | None, fmt: str, write: bool) -> None:
    """What moving the manual to another edition (ISO 9001:2026) asks of it.

    Lists new requirements nothing addresses, declarations whose clause number changes, and
    changed clauses with the pages that address them. With --write, front matter ids that map
    one to one are rewritten (every other byte of the page is kept); the rest is listed for a
    person. Without --write nothing is changed.
    """
    from qmsdocs.transition_cli import find_correspondence, run_transition

    manual = _read_manual(config_file)
    correspondence = find_correspondence(manual.editions, target)
    if correspondence is None:
        _unusable(
            f"qmsdocs knows no correspondence from {manual.catalogue.label}"
            + (f" to '{target}'" if target else "")
        )
        return
    sys.exit(
        run_transition(correspondence, manual.reading.declarations, manual.docs_dir, fmt, write)
    )


@main.command()
@click.argument("directory", type=click.Path(path_type=Path))
@click.option("--organisation", "--organization", "organisation", help="The organisation's name.")
@click.option("--site-name", help="The site's title (default: the organisation's quality manual).")
@_STANDARD_OPTION
@click.option(
    "--standards",
    help="For an integrated management system: the standards the manual claims, comma-separated "
    "(iso9001-2015,iso14001-2015,iso45001-2018); the first is the default for plain clause ids.",
)
@click.option(
    "--language",
    type=click.Choice(["en", "de"]),
    default="en",
    show_default=True,
    help="Language of the headings and prompts.",
)
@click.option(
    "--force",
    is_flag=True,
    help="Write into a folder that is not empty (existing files are never overwritten).",
)
def init(
    directory: Path,
    organisation: str | None,
    site_name: str | None,
    standard: str,
    standards: str | None,
    language: str,
    force: bool,
) -> None:
    """Start a new quality manual in DIRECTORY: mkdocs.yml, a page skeleton and a glossary.

    Every page is a draft with "to do" prompts and declares the clauses it is meant to
    address, so the new site builds and passes the gate at once. Exit status: 0 written,
    2 refused (a folder that is not empty, without --force) or unusable input.
    """
    from qmsdocs.scaffold import InitError, init_project

    try:
        result = init_project(
            directory,
            organisation=organisation,
            site_name=site_name,
            standard=standard,
            language=language,
            force=force,
            standards=[s.strip() for s in (standards or "").split(",") if s.strip()],
        )
    except InitError as error:
        _unusable(str(error))
    click.echo(result.report())


@main.command()
@click.argument("path", default=".", required=False, type=click.Path(path_type=Path))
@click.option(
    "--standard",
    "-s",
    default=None,
    help="Built-in catalogue id or catalogue file (default: mkdocs.yml's, else iso9001-2015).",
)
@click.option(
    "--write",
    is_flag=True,
    help="Add the suggested clauses: front matter to the pages (nothing changes without it).",
)
@_TEXT_OR_JSON
def scan(path: Path, standard: str | None, write: bool, fmt: str) -> None:
    """Find the clauses an existing manual's pages address, and say so in front matter.

    PATH is a folder of Markdown pages, a site folder with mkdocs.yml, or mkdocs.yml
    (default: the current folder). Reports per page the clauses it appears to address
    (clause-citing headings, mapping-table rows, "this document ... according to clause
    4.4" statements) and those it only mentions, and the coverage that would follow.
    Exit status: 0 done, 1 some pages could not be written, 2 unusable input.
    """
    from qmsdocs.scan import format_report, scan_manual, write_suggestions

    try:
        result = scan_manual(path, standard)
    except QMSDataError as error:
        click.echo("qmsdocs: cannot scan the manual:", err=True)
        for finding in error.findings:
            click.echo(f"  {finding}", err=True)
        sys.exit(EXIT_UNUSABLE)
    for warning in result.warnings:  # what MkDocs said about mkdocs.yml, as `check` shows it
        click.echo(warning, err=True)
    if write:
        write_suggestions(result)
    if fmt == "json":
        click.echo(json.dumps(result.to_data(), indent=2, ensure_ascii=False))
    else:
        click.echo(format_report(result, written=write), nl=False)
    sys.exit(1 if result.skipped else 0)


# `qmsdocs pdf` lives in its own package; WeasyPrint is imported only when a copy is made.
from qmsdocs.pdf.command import pdf as _pdf  # noqa: E402

main.add_command(_pdf)


if __name__ == "__main__":  # pragma: no cover
    main()
