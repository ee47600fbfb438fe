"""Why each clause number of a manual was linked or not: `qmsdocs explain`.

A reader who finds "clause 8.4" unlinked, or linked to the wrong standard, needs to see what
qmsdocs read: which standard the number was bound to, and what in the page bound it there.
This module turns a page's assessment into those rows; it formats nothing for MkDocs.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from qmsdocs.assessment import Assessment, PageAssessment

__all__ = ["Explained", "explain", "explanation_data", "explanation_lines"]


@dataclass(frozen=True, slots=True)
class Explained:
    """One citation of a page, as qmsdocs bound it."""

    line: int | None
    text: str
    linked: bool
    bound_to: str  # a catalogue's label, or what else it belongs to
    clauses: tuple[str, ...]  # the clauses it cites, when linked
    why: str
    subject: str = ""  # what the other standard is about, when known


def explain(page: PageAssessment, labels: dict[str, str]) -> list[Explained]:
    """The page's citations in the order of the page (`labels`: catalogue id -> label)."""
    cited: dict[tuple[int | None, str], list[str]] = {}
    why: dict[tuple[int | None, str], tuple[str, str]] = {}
    for reference in page.references:
        key = (reference.line, reference.text)
        cited.setdefault(key, []).append(reference.clause)
        why[key] = (labels.get(reference.catalogue, reference.catalogue), reference.why)
    rows = [
        Explained(line, text, True, why[(line, text)][0], tuple(clauses), why[(line, text)][1])
        for (line, text), clauses in cited.items()
    ]
    rows += [
        Explained(u.line, u.text, False, u.target, (), u.why, u.subject) for u in page.unlinked
    ]
    return sorted(rows, key=lambda row: row.line or 0)


def _pages(assessment: Assessment, only: Iterable[str]) -> list[PageAssessment]:
    wanted = set(only)
    return [
        page
        for path, page in sorted(assessment.pages.items())
        if (not wanted or path in wanted) and (page.references or page.unlinked)
    ]


def _labels(assessment: Assessment) -> dict[str, str]:
    return {c.id: c.label for c in assessment.editions.catalogues}


def explanation_lines(assessment: Assessment, only: Iterable[str] = ()) -> list[str]:
    """The explanation as text, page by page."""
    labels = _labels(assessment)
    lines: list[str] = []
    for page in _pages(assessment, only):
        about = page.binding
        if about is not None:
            bound = labels.get(about.catalogue, about.target) if about.catalogue else about.target
            lines.append(f"{page.path} (above its headings: {bound}; {about.why})")
        else:
            lines.append(page.path)
        for row in explain(page, labels):
            where = f"{row.line}:" if row.line else "-:"
            if row.linked:
                verdict = f"linked to {row.bound_to} {', '.join(row.clauses)}"
            else:
                subject = f", {row.subject}" if row.subject else ""
                verdict = f"not linked ({row.bound_to}{subject})"
            lines.append(f"  {where:<6}{row.text!r}: {verdict}, because {row.why}")
        lines.append("")
    return lines


def explanation_data(assessment: Assessment, only: Iterable[str] = ()) -> dict[str, Any]:
    """The explanation as data (`qmsdocs explain --format json`)."""
    labels = _labels(assessment)
    return {
        "pages": [
            {
                "page": page.path,
                "bound_to": page.binding.target if page.binding else None,
                "why": page.binding.why if page.binding else None,
                "citations": [
                    {
                        "line": row.line,
                        "text": row.text,
                        "linked": row.linked,
                        "bound_to": row.bound_to,
                        "clauses": list(row.clauses),
                        "why": row.why,
                        "subject": row.subject,
                    }
                    for row in explain(page, labels)
                ],
            }
            for page in _pages(assessment, only)
        ]
    }
