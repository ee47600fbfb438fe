"""The records that cross layers: what a manual declares, cites and uses, page by page.

The readers (front matter, headings, prose) make them; coverage, the exports, the rendered pages
and the command line read them. They live here, apart from the code that makes them, so that
none of those depends on a parser.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from qmsdocs.findings import Finding
from qmsdocs.sourcefiles import LineLocator

__all__ = [
    "DRAFT_STATUSES",
    "Declaration",
    "Exclusion",
    "LineLocator",
    "PageRecord",
    "Reference",
    "TermUse",
    "Unlinked",
]


# Document statuses whose content is not approved yet.
DRAFT_STATUSES = ("draft", "in-review")


@dataclass(frozen=True, slots=True)
class Declaration:
    """A page, or a section of it, addresses a clause.

    Attributes:
        catalogue: Catalogue id.
        clause: Clause id.
        page: Docs-relative path of the page.
        line: Line of the declaration (front matter item or heading).
        section: Heading anchor for a section-level declaration; None for the whole page.
        section_title: The heading's text.
        source: "front-matter" or "heading".
        document_status: The page's document control status, if it is a controlled page.
        words: Words of prose in what addresses the clause: the heading's section (its
            subsections included), or the whole page for a front-matter declaration.
        prompted: Whether that section (or page) still holds a template prompt ("To do").
    """

    catalogue: str
    clause: str
    page: str
    line: int | None
    section: str | None = None
    section_title: str | None = None
    source: Literal["front-matter", "heading"] = "front-matter"
    document_status: str | None = None
    words: int | None = None
    prompted: bool = False

    @property
    def drafted(self) -> bool:
        """Written but not approved: its document is a draft or in review, or what addresses
        the clause still holds a template prompt."""
        return self.prompted or self.document_status in DRAFT_STATUSES


@dataclass(frozen=True, slots=True)
class Exclusion:
    """A clause the manual declares not applicable, with its justification (ISO 9001 4.3)."""

    catalogue: str
    clause: str
    justification: str
    page: str
    line: int | None
    document_status: str | None = None


@dataclass(frozen=True, slots=True)
class TermUse:
    """A page uses a term (in prose, linked or not)."""

    key: str
    page: str
    section: str | None


@dataclass(frozen=True, slots=True)
class Reference:
    """A page cites a clause in its prose (this is a reference, never coverage)."""

    catalogue: str
    clause: str
    page: str
    section: str | None  # id of the heading the citation comes after
    text: str  # the citation as written
    line: int | None = None  # in the page's source
    why: str = ""  # why it is bound to this catalogue (`qmsdocs.binding.Binding.why`)


@dataclass(frozen=True, slots=True)
class Unlinked:
    """A clause citation in prose bound to no loaded catalogue, and so not linked."""

    page: str
    line: int | None
    text: str  # the citation as written
    target: str  # what it is bound to: another standard, a document, "unbound", "ambiguous"
    why: str
    subject: str = ""  # what that other standard is about, when qmsdocs knows it


@dataclass
class PageRecord:
    """What rendering one page teaches qmsdocs beyond its source.

    Attributes:
        page: Docs-relative path.
        headings: (text, id) of the rendered headings, in order: the anchors of its sections.
        terms: The glossary terms its prose uses (for the glossary's "used on" lists).
        findings: Problems met while rendering (a link target missing, a processor failing).
    """

    page: str
    headings: list[tuple[str, str]] = field(default_factory=list)
    terms: list[TermUse] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
