"""What a scan finds: evidence per clause and page, the suggested front matter, and the result
as JSON data (`qmsdocs scan --format json`)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from qmsdocs.coverage import Coverage
from qmsdocs.findings import Finding
from qmsdocs.sourcefiles import PageSource
from qmsdocs.standards import Catalogue

__all__ = [
    "ADDRESS_KINDS",
    "Evidence",
    "EvidenceKind",
    "PageScan",
    "ScanResult",
    "Suggestion",
]

EvidenceKind = Literal["declared", "heading", "statement", "devoted", "table", "mapping", "mention"]
ADDRESS_KINDS: tuple[EvidenceKind, ...] = (
    "declared",
    "heading",
    "statement",
    "devoted",
    "table",
    "mapping",
)


@dataclass(frozen=True)
class Evidence:
    """Why a page appears to address (or mention) a clause.

    Attributes:
        clause: Clause id.
        kind: declared, heading, statement, devoted, table, mapping or mention.
        page: The page that addresses or mentions the clause.
        line: Line in the file where the evidence is written.
        text: The heading, sentence, banner, title or table row, shortened.
        source: For "mapping", the page whose table names this page.
        note: Why a citation is only a mention, when it might look like more.
    """

    clause: str
    kind: EvidenceKind
    page: str
    line: int | None
    text: str
    source: str | None = None
    note: str = ""

    @property
    def where(self) -> str:
        """`path:line` of the evidence."""
        path = self.source or self.page
        return f"{path}:{self.line}" if self.line else path

    def to_data(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "clause": self.clause,
            "kind": self.kind,
            "line": self.line,
            "text": self.text,
        }
        if self.source:
            data["source"] = self.source
        if self.note:
            data["note"] = self.note
        return data


@dataclass(frozen=True)
class Suggestion:
    """The front matter `--write` would give a page.

    Attributes:
        clauses: The whole `clauses:` list to write (existing entries first), or None to leave
            the page's clauses as they are.
        heading_coverage_off: Whether to add `qmsdocs: {heading_coverage: "off"}`.
    """

    clauses: tuple[str, ...] | None
    heading_coverage_off: bool = False

    @property
    def changes(self) -> bool:
        return self.clauses is not None or self.heading_coverage_off

    def entries(self) -> list[str]:
        """The front matter lines to write, as the report shows them too."""
        entries: list[str] = []
        if self.clauses is not None:
            entries.append("clauses: [" + ", ".join(f'"{c}"' for c in self.clauses) + "]")
        if self.heading_coverage_off:
            entries.append('qmsdocs: {heading_coverage: "off"}')
        return entries


@dataclass
class PageScan:
    """What the scan found on one page."""

    page: str
    title: str | None
    addresses: list[Evidence] = field(default_factory=list)
    mentions: list[Evidence] = field(default_factory=list)
    declared: tuple[str, ...] = ()
    foreign: tuple[str, ...] = ()
    mapping_page: bool = False
    suggestion: Suggestion = field(default_factory=lambda: Suggestion(None))
    notes: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)

    def clauses(self, catalogue: Catalogue, kinds: Iterable[str] = ADDRESS_KINDS) -> list[str]:
        """The clauses the page addresses (by the given kinds of evidence), in tree order."""
        wanted = set(kinds)
        found = {e.clause for e in self.addresses if e.kind in wanted}
        return [c.id for c in catalogue if c.id in found]

    def to_data(self, catalogue: Catalogue) -> dict[str, Any]:
        return {
            "page": self.page,
            "title": self.title,
            "addresses": self.clauses(catalogue),
            "evidence": [e.to_data() for e in self.addresses],
            "mentions": [e.to_data() for e in self.mentions],
            "declared": list(self.declared),
            "other_standards": list(self.foreign),
            "mapping_page": self.mapping_page,
            "suggested": {
                "clauses": (
                    list(self.suggestion.clauses) if self.suggestion.clauses is not None else None
                ),
                "heading_coverage_off": self.suggestion.heading_coverage_off,
            },
            "notes": self.notes,
        }


@dataclass
class ScanResult:
    """A scanned manual: each page's findings and the coverage they would give.

    Attributes:
        warnings: What MkDocs said while it loaded mkdocs.yml (not part of the JSON data).
    """

    catalogue: Catalogue
    pages: list[PageScan]
    coverage: Coverage
    docs_dir: Path | None = None
    config_file: Path | None = None
    sources: dict[str, PageSource] = field(default_factory=dict)
    written: list[str] = field(default_factory=list)
    skipped: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    def page(self, path: str) -> PageScan:
        for page in self.pages:
            if page.page == path:
                return page
        raise KeyError(path)

    def by_clause(self, kinds: Iterable[str] = ADDRESS_KINDS) -> dict[str, list[str]]:
        """Each clause with the pages that address it (by the given kinds of evidence)."""
        wanted = set(kinds)
        result: dict[str, set[str]] = defaultdict(set)
        for page in self.pages:
            for evidence in page.addresses:
                if evidence.kind in wanted:
                    result[evidence.clause].add(page.page)
        return {c.id: sorted(result[c.id]) for c in self.catalogue if c.id in result}

    def to_data(self) -> dict[str, Any]:
        """The result as JSON-ready data (`qmsdocs scan --format json`)."""
        overall = self.coverage.summary()
        return {
            "catalogue": self.catalogue.id,
            "docs_dir": str(self.docs_dir) if self.docs_dir else None,
            "config": str(self.config_file) if self.config_file else None,
            "pages": [p.to_data(self.catalogue) for p in self.pages],
            "summary": {
                "required": overall.required,
                "addressed": overall.covered,
                "not_applicable": overall.not_applicable,
                "missing": overall.missing,
                "percent": overall.percent,
            },
            "missing": [c.id for c in self.coverage.missing()],
            "written": self.written,
            "skipped": self.skipped,
        }
