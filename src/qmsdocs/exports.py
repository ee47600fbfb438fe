"""Coverage exports: `coverage.json` (with a JSON Schema shipped in the package) and
`coverage.csv`, for auditors' spreadsheets and other tools.

Output is deterministic (fixed key and row order, no time stamps): two builds of the same
manual give byte-identical files.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Sequence
from importlib import metadata, resources
from typing import TYPE_CHECKING, Any

from qmsdocs.coverage import ClauseVerdict, Coverage
from qmsdocs.manual import Declaration
from qmsdocs.records import Unlinked

if TYPE_CHECKING:
    from qmsdocs.outputs import Export
    from qmsdocs.sitebuild import SiteBuild

__all__ = [
    "SCHEMA_ID",
    "coverage_csv",
    "coverage_data",
    "coverage_json",
    "documents_csv",
    "documents_json",
    "export_text",
    "generator",
    "load_schema",
    "markdown_cell",
    "spreadsheet_safe",
]

SCHEMA_ID = "qmsdocs-coverage/4"

# page path -> (URL from the site root or None, page title)
PageInfo = Callable[[str], tuple[str | None, str]]


def generator() -> str:
    """What wrote an export: "qmsdocs 0.1.0" (or "qmsdocs unknown" from a source tree)."""
    try:
        return f"qmsdocs {metadata.version('qmsdocs')}"
    except metadata.PackageNotFoundError:
        return "qmsdocs unknown"


def load_schema() -> dict[str, Any]:
    """The JSON Schema that `coverage.json` follows."""
    text = resources.files("qmsdocs").joinpath("schemas", "coverage.schema.json").read_text("utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def _location(declaration: Declaration, info: PageInfo) -> dict[str, Any]:
    url, title = info(declaration.page)
    if url is not None and declaration.section:
        url = f"{url}#{declaration.section}"
    return {
        "page": declaration.page,
        "title": title,
        "url": url,
        "section": declaration.section,
        "section_title": declaration.section_title,
        "line": declaration.line,
        "source": declaration.source,
        "document_status": declaration.document_status,
        "words": declaration.words,
        "drafted": declaration.drafted,
    }


def _clause(verdict: ClauseVerdict, coverage: Coverage, info: PageInfo) -> dict[str, Any]:
    clause = verdict.clause
    exclusion = verdict.exclusion
    return {
        "clause": clause.id,
        "title": clause.title,
        "context": coverage.catalogue.context_title(clause.id),
        "parent": clause.parent,
        "gated": verdict.gated,
        "status": verdict.status,
        "kind": verdict.kind,
        "words": verdict.words,
        "thin": verdict.thin,
        "through": verdict.through,
        "addressed_by": [_location(d, info) for d in verdict.addressed_by],
        "inherited": [_location(d, info) for d in verdict.inherited],
        "not_applicable": (
            {
                "justification": exclusion.justification,
                "page": exclusion.page,
                "line": exclusion.line,
                "through": verdict.through,
            }
            if exclusion
            else None
        ),
        "referenced_by": sorted({r.page for r in verdict.referenced_by}),
        "citations": [
            {"page": r.page, "line": r.line, "text": r.text, "why": r.why}
            for r in verdict.referenced_by
        ],
    }


def coverage_data(
    coverage: Coverage,
    info: PageInfo,
    generator: str,
    unlinked: Sequence[Unlinked] = (),
    standards: Sequence[Coverage] = (),
) -> dict[str, Any]:
    """The export as plain data (the JSON document, before serialising).

    `unlinked`: the manual's citations bound to no loaded catalogue, listed with why, so that
    a reviewer can see what was deliberately left unlinked.
    `standards`: in a manual that claims several standards, the coverage of each, `coverage`
    first: one section each, beside the first standard's fields (which a reader of a
    one-standard export keeps finding where they were).
    """
    data = {
        "schema": SCHEMA_ID,
        "generator": generator,
        **_section(coverage, info),
        "unlinked": [
            {"page": u.page, "line": u.line, "text": u.text, "bound_to": u.target, "why": u.why}
            for u in unlinked
        ],
    }
    if standards:
        data["standards"] = [_section(c, info) for c in standards]
    return data


def _section(coverage: Coverage, info: PageInfo) -> dict[str, Any]:
    """One standard's part of the export."""
    catalogue = coverage.catalogue
    summaries = []
    for summary in coverage.summaries():
        summaries.append(
            {
                "clause": summary.clause.id if summary.clause else None,
                "title": summary.clause.title if summary.clause else "All clauses",
                "required": summary.required,
                "covered": summary.covered,
                "drafted": summary.drafted,
                "not_applicable": summary.not_applicable,
                "missing": summary.missing,
                "percent": summary.percent,
                "drafted_percent": summary.drafted_percent,
            }
        )
    pages = []
    for page, declarations in coverage.pages().items():
        url, title = info(page)
        pages.append(
            {
                "page": page,
                "title": title,
                "url": url,
                "clauses": list(dict.fromkeys(d.clause for d in declarations)),
            }
        )
    return {
        "catalogue": {
            "id": catalogue.id,
            "standard": catalogue.standard,
            "edition": catalogue.edition,
            "title": catalogue.title,
            "provisional": catalogue.provisional,
        },
        "options": {
            "parent_covers_children": coverage.parent_covers_children,
            "publish_drafts": coverage.publish_drafts,
        },
        "complete": coverage.complete,
        "summary": summaries,
        "clauses": [_clause(v, coverage, info) for v in coverage.verdicts.values()],
        "pages": pages,
    }


def coverage_json(
    coverage: Coverage,
    info: PageInfo,
    generator: str,
    unlinked: Sequence[Unlinked] = (),
    standards: Sequence[Coverage] = (),
) -> str:
    data = coverage_data(coverage, info, generator, unlinked, standards)
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


CSV_COLUMNS = [
    "clause",
    "title",
    "gated",
    "status",
    "kind",
    "words",
    "thin",
    "through",
    "addressed_by",
    "pages",
    "justification",
    "referenced_by",
]


def spreadsheet_safe(value: str) -> str:
    """Neutralise text a spreadsheet would run as a formula (a cell starting with = + - @)."""
    if value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def markdown_cell(text: str) -> str:
    """Text for a cell of a Markdown table, shown as written: its HTML (`<b>`, `&amp;`) is
    text, a pipe does not end the cell and a line break does not end the row."""
    text = text.replace("\\", "\\\\").replace("|", "\\|")
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return "<br>".join(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))


def coverage_csv(coverage: Coverage, info: PageInfo) -> str:
    """One row per clause that carries requirements; opens in any spreadsheet."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for verdict in coverage.verdicts.values():
        declarations = verdict.addressed_by or verdict.inherited
        pages = list(dict.fromkeys(d.page for d in declarations))
        where = list(
            dict.fromkeys(
                info(d.page)[1] + (f" › {d.section_title}" if d.section_title else "")
                for d in declarations
            )
        )
        row = [
            verdict.clause.id,
            verdict.clause.title or coverage.catalogue.context_title(verdict.clause.id),
            "yes" if verdict.gated else "no",
            verdict.status,
            verdict.kind or "",
            "" if verdict.words is None else verdict.words,
            "yes" if verdict.thin else "",
            verdict.through or "",
            "; ".join(where),
            "; ".join(pages),
            verdict.exclusion.justification if verdict.exclusion else "",
            "; ".join(sorted({r.page for r in verdict.referenced_by})),
        ]
        writer.writerow([spreadsheet_safe(str(cell)) for cell in row])
    return buffer.getvalue()


DOCUMENT_COLUMNS = [
    "id",
    "title",
    "page",
    "url",
    "revision",
    "status",
    "owner",
    "approved_by",
    "approved_on",
    "effective",
    "next_review",
    "review_state",
]


def documents_json(documents: list[dict[str, Any]], today: str, generator: str) -> str:
    """The document register for tools: one object per controlled document, sorted by id."""
    payload = {"generator": generator, "today": today, "documents": documents}
    return json.dumps(payload, indent=2, ensure_ascii=False) + "\n"


def documents_csv(documents: list[dict[str, Any]]) -> str:
    """The document register for a spreadsheet."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(DOCUMENT_COLUMNS)
    for document in documents:
        writer.writerow([spreadsheet_safe(str(document.get(c) or "")) for c in DOCUMENT_COLUMNS])
    return buffer.getvalue()


def export_text(build: SiteBuild, export: Export, info: PageInfo) -> str:
    """The content of one of a build's export files (its verdict drawn, its register made)."""
    if export.kind.startswith("documents"):
        documents = [
            {k: v for k, v in row.items() if k != "last_changed"} for row in build.register
        ]
        if export.kind == "documents-json":
            return documents_json(documents, build.today.isoformat(), generator())
        return documents_csv(documents)
    primary = build.editions.primary.id
    coverage = build.verdict.coverages[export.catalogue or primary]
    if export.kind == "coverage-json":
        standards = (
            [build.verdict.coverages[c.id] for c in build.editions.standards]
            if build.editions.several and coverage.catalogue.id == primary
            else []
        )
        return coverage_json(coverage, info, generator(), build.verdict.unlinked, standards)
    return coverage_csv(coverage, info)
