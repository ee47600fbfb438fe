"""Coverage without rendering: read a manual's sources (front matter and headings only).

`qmsdocs check` and `qmsdocs coverage` use this, fast enough for a pre-commit hook. The rules
are the plugin's own (`qmsdocs.manual`, `qmsdocs.coverage`), so both reach the same verdicts;
only section anchors differ, since no slug is computed without rendering (sections are named
by their heading text and line instead).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from qmsdocs.coverage import Coverage, compute_coverage
from qmsdocs.documents import DEFAULT_REQUIRED, DocumentControl, check_documents, today
from qmsdocs.findings import Finding
from qmsdocs.manual import (
    Declaration,
    Exclusion,
    HeadingMode,
    cite_heading,
    iter_source_headings,
    read_front_matter,
    split_front_matter,
    unknown_heading_finding,
)
from qmsdocs.references import Recognizer
from qmsdocs.standards import Catalogue

__all__ = ["SourceReading", "check_sources"]


@dataclass
class SourceReading:
    """What the sources of a manual declare, and the coverage that follows."""

    coverage: Coverage
    findings: list[Finding]
    titles: dict[str, str] = field(default_factory=dict)
    pages: int = 0


def check_sources(
    sources: Iterable[tuple[str, str]],
    catalogue: Catalogue,
    *,
    heading_mode: HeadingMode = "titles",
    parent_covers_children: bool = True,
    count_drafts: bool = True,
    document_fields: Sequence[str] = DEFAULT_REQUIRED,
    on: dt.date | None = None,
    review_warning_days: int = 30,
) -> SourceReading:
    """Read `(docs-relative path, Markdown source)` pairs and compute coverage.

    Findings are those of the front matter (document control included) and headings, plus
    the coverage findings; prose references are not read (they never decide coverage).
    """
    recognizer = Recognizer([catalogue])
    declarations: list[Declaration] = []
    exclusions: list[Exclusion] = []
    findings: list[Finding] = []
    titles: dict[str, str] = {}
    documents: list[DocumentControl] = []
    count = 0
    for path, text in sources:
        count += 1
        front = read_front_matter(
            path, text, catalogue, recognizer, document_fields=document_fields
        )
        findings += front.findings
        declarations += front.clauses
        exclusions += front.exclusions
        status = front.document.status if front.document else None
        if front.document is not None:
            documents.append(front.document)
        mode = front.options.heading_coverage or heading_mode
        _raw, body, body_line = split_front_matter(text)
        title = front.data.get("title") if isinstance(front.data.get("title"), str) else None
        for heading, level, line in iter_source_headings(body, body_line):
            if title is None and level == 1:
                title = heading
            if mode == "off":
                continue
            citation = cite_heading(heading, catalogue, recognizer, mode)
            if citation is not None:
                declarations.append(
                    Declaration(
                        catalogue.id, citation.clause, path, line, None, heading, "heading", status
                    )
                )
                continue
            finding = unknown_heading_finding(heading, catalogue, path, line)
            if finding is not None:
                findings.append(finding)
        titles[path] = title or path
    coverage = compute_coverage(
        catalogue,
        declarations,
        exclusions,
        parent_covers_children=parent_covers_children,
        count_drafts=count_drafts,
    )
    findings += check_documents(documents, on or today(), review_warning_days)
    return SourceReading(coverage, findings + coverage.findings, titles, count)
