"""Coverage without rendering: read a manual's sources (front matter and headings only).

`qmsdocs check` and `qmsdocs coverage` use this, fast enough for a pre-commit hook. The rules
are the plugin's own (`qmsdocs.manual`, `qmsdocs.coverage`), so both reach the same verdicts;
only section anchors differ, since no slug is computed without rendering (sections are named
by their heading text and line instead).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

from qmsdocs.coverage import Coverage, compute_coverage
from qmsdocs.documents import DEFAULT_REQUIRED, DocumentControl, check_documents, today
from qmsdocs.editions import Editions
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
from qmsdocs.transition import carry_declarations, carry_exclusions

__all__ = ["SourceReading", "check_sources"]


@dataclass
class SourceReading:
    """What the sources of a manual declare, and the coverage that follows."""

    coverage: Coverage
    findings: list[Finding]
    titles: dict[str, str] = field(default_factory=dict)
    pages: int = 0
    coverages: dict[str, Coverage] = field(default_factory=dict)  # per loaded edition
    declarations: list[Declaration] = field(default_factory=list)
    sources: dict[str, str] = field(default_factory=dict)
    statuses: dict[str, str | None] = field(default_factory=dict)  # document status per page


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
    editions: Editions | None = None,
    gate_editions: str = "standard",
) -> SourceReading:
    """Read `(docs-relative path, Markdown source)` pairs and compute coverage.

    Findings are those of the front matter (document control included) and headings, plus
    the coverage findings; prose references are not read (they never decide coverage).
    With `editions` (the manual's and the others loaded beside it), coverage is computed for
    each, carried across editions as the plugin does; `gate_editions="all"` reports the other
    editions' missing clauses too.
    """
    editions = editions or Editions(catalogue)
    catalogue = editions.primary
    recognizer = Recognizer(editions.catalogues, editions.correspondences)
    declarations: list[Declaration] = []
    exclusions: list[Exclusion] = []
    findings: list[Finding] = []
    titles: dict[str, str] = {}
    documents: list[DocumentControl] = []
    count = 0
    texts: list[tuple[str, str]] = []
    statuses: dict[str, str | None] = {}
    for path, text in sources:
        texts.append((path, text))
        count += 1
        front = read_front_matter(
            path, text, catalogue, recognizer, document_fields=document_fields
        )
        findings += front.findings
        declarations += front.clauses
        exclusions += front.exclusions
        status = front.document.status if front.document else None
        statuses[path] = status
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
                        citation.catalogue or catalogue.id,
                        citation.clause,
                        path,
                        line,
                        None,
                        heading,
                        "heading",
                        status,
                    )
                )
                continue
            finding = unknown_heading_finding(heading, catalogue, path, line)
            if finding is not None:
                findings.append(finding)
        titles[path] = title or path
    carried = editions.loaded_correspondences()
    coverages = {
        edition.id: compute_coverage(
            edition,
            carry_declarations(declarations, edition, carried),
            carry_exclusions(exclusions, edition, carried),
            parent_covers_children=parent_covers_children,
            count_drafts=count_drafts,
        )
        for edition in editions.catalogues
    }
    coverage = coverages[editions.primary.id]
    findings += check_documents(documents, on or today(), review_warning_days)
    findings += coverage.findings
    if gate_editions == "all":
        for other in editions.others:
            findings += [
                replace(f, message=f"{other.label}: {f.message}")
                for f in coverages[other.id].findings
                if f.code == "missing-clause"
            ]
    return SourceReading(
        coverage, findings, titles, count, coverages, declarations, dict(texts), statuses
    )
