"""`qmsdocs transition`: what moving a manual to another edition asks, and the mechanical part
of the move (`--write`).
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import click

from qmsdocs.editions import Editions
from qmsdocs.exports import spreadsheet_safe
from qmsdocs.findings import QMSDataError
from qmsdocs.manual import Declaration
from qmsdocs.rewrite import rewrite_clause_ids
from qmsdocs.sourcefiles import write_atomically
from qmsdocs.standards import load_builtin_catalogue
from qmsdocs.transition import (
    Correspondence,
    TransitionReport,
    builtin_correspondences,
    transition_report,
)

__all__ = ["find_correspondence", "report_data", "run_transition"]


def find_correspondence(editions: Editions, target: str | None) -> Correspondence | None:
    """The correspondence from the manual's edition to `target` (or to the only one there is)."""
    primary = editions.primary
    candidates = [c for c in editions.correspondences if primary.id in (c.source.id, c.target.id)]
    if target is not None:
        candidates = [c for c in candidates if target in (c.source.id, c.target.id)]
        if not candidates:
            try:
                other = load_builtin_catalogue(target)
            except QMSDataError:  # not a catalogue qmsdocs knows: no correspondence either
                return None
            candidates = builtin_correspondences([primary, other])
    return candidates[0] if candidates else None


def _where(declaration: Declaration) -> str:
    place = f"{declaration.page}:{declaration.line}" if declaration.line else declaration.page
    if declaration.source == "heading" and declaration.section_title:
        return f"{place} (heading '{declaration.section_title}')"
    return f"{place} (front matter)"


def report_data(report: TransitionReport) -> dict[str, Any]:
    """The report as plain data (the JSON output)."""
    correspondence = report.correspondence
    source, target = correspondence.source, correspondence.target

    def clause(catalogue: Any, clause_id: str | None) -> dict[str, Any] | None:
        if clause_id is None:
            return None
        return {"clause": clause_id, "title": catalogue.context_title(clause_id)}

    return {
        "from": source.id,
        "to": target.id,
        "provisional": correspondence.provisional,
        "summary": {
            "open": len(report.open_items),
            "moves": sum(1 for item in report.items if item.must_move),
            "review": len(report.to_review),
            "changes": {c: report.count(c) for c in sorted({i.entry.change for i in report.items})},
        },
        "items": [
            {
                "change": item.entry.change,
                "from": clause(source, item.entry.source),
                "to": clause(target, item.entry.target),
                "note": item.entry.note,
                "review": [_where(d) for d in item.addressed_by],
                "move": [_where(d) for d in item.must_move],
                "open": item.open,
            }
            for item in report.items
        ],
    }


def _text(report: TransitionReport) -> str:
    data = report_data(report)
    correspondence = report.correspondence
    source, target = correspondence.source, correspondence.target
    lines = [
        f"Transition from {source.label} to {target.label}"
        + (" (provisional correspondence)" if correspondence.provisional else "")
    ]
    if report.open_items:
        lines += ["", "New requirements nothing addresses yet:"]
        for item in report.open_items:
            assert item.entry.target is not None
            lines.append(f"  {target.heading(item.entry.target)}")
    moving = [item for item in report.items if item.must_move]
    if moving:
        lines += ["", "Declarations that must move:"]
        for item in moving:
            for declaration in item.must_move:
                lines.append(f"  {item.entry.source} -> {item.entry.target}: {_where(declaration)}")
    if report.to_review:
        lines += ["", "Changed clauses addressed by pages to review:"]
        for item in report.to_review:
            entry = item.entry
            label = (
                f"{entry.source} -> {entry.target}"
                if entry.target != entry.source
                else entry.source
            )
            lines.append(f"  {label} {entry.label}" + (f": {entry.note}" if entry.note else ""))
            for declaration in item.addressed_by:
                lines.append(f"      {_where(declaration)}")
    summary = data["summary"]
    lines += [
        "",
        f"{summary['open']} new requirement(s) open, {summary['moves']} declaration(s) to move, "
        f"{summary['review']} changed clause(s) to review.",
    ]
    return "\n".join(lines) + "\n"


def _csv(report: TransitionReport) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(["change", "from", "to", "note", "review", "move", "open"])
    for item in report_data(report)["items"]:
        row = [
            item["change"],
            item["from"]["clause"] if item["from"] else "",
            item["to"]["clause"] if item["to"] else "",
            item["note"] or "",
            "; ".join(item["review"]),
            "; ".join(item["move"]),
            "yes" if item["open"] else "",
        ]
        # Page names and notes are the manual's text: a spreadsheet must not run them.
        writer.writerow([spreadsheet_safe(str(cell)) for cell in row])
    return buffer.getvalue()


def run_transition(
    correspondence: Correspondence,
    declarations: list[Declaration],
    docs_dir: Path,
    fmt: str,
    write: bool,
) -> int:
    """Print the report; with `write`, rewrite the front matter ids that map one to one.

    Returns the exit status: 1 when a page could not be written back.
    """
    if correspondence.target.id == correspondence.source.id:
        return 2
    report = transition_report(correspondence, declarations)
    if fmt == "json":
        click.echo(json.dumps(report_data(report), indent=2, ensure_ascii=False))
    elif fmt == "csv":
        click.echo(_csv(report), nl=False)
    else:
        click.echo(_text(report), nl=False)
    if not write:
        return 0
    failed = False
    by_page: dict[str, dict[str, str]] = {}
    for declaration, new in report.moves:
        by_page.setdefault(declaration.page, {})[declaration.clause] = new
    for page, changes in sorted(by_page.items()):
        path = docs_dir / page
        raw = path.read_bytes()
        bom = raw.startswith(b"\xef\xbb\xbf")
        text = raw.decode("utf-8-sig")
        new_text, changed = rewrite_clause_ids(text, changes)
        if changed:
            try:
                write_atomically(path, ("\ufeff" if bom else "") + new_text)
            except OSError as error:
                click.echo(
                    f"qmsdocs: {page}: cannot be written: {error.strerror or error}", err=True
                )
                failed = True
                continue
            for old, new, line in changed:
                click.echo(f"rewrote {page}:{line}: {old} -> {new}", err=True)
    left = [
        (item, declaration)
        for item in report.items
        for declaration in item.must_move
        if declaration.source != "front-matter" or item.entry.change == "split"
    ]
    for item, declaration in left:
        click.echo(
            f"left for you: {_where(declaration)}: {item.entry.source} -> {item.entry.target}",
            err=True,
        )
    for item in report.open_items:
        click.echo(
            f"left for you: {correspondence.target.heading(item.entry.target or '')} is new; "
            "address it on a page",
            err=True,
        )
    return 1 if failed else 0
