"""What one page says, read before the pages are put together: the data `read_page_facts`
hands to `scan_sources`."""

from __future__ import annotations

from dataclasses import dataclass, field

from qmsdocs.findings import Finding
from qmsdocs.records import Exclusion
from qmsdocs.scan.model import Evidence

__all__ = ["Body", "Heading", "PageFacts", "Row"]


@dataclass(frozen=True)
class Body:
    """A page's Markdown body as the readers see it: code blanked out (`mask_code`), so that
    nothing in code counts, with offsets and lines as in the source.

    Attributes:
        masked: The body with fenced code and code spans blanked.
        lines: `masked` split into lines.
        code_lines: Indexes of the fenced code lines in `lines`.
        first_line: The line of the file on which the body starts.
    """

    masked: str
    lines: list[str]
    code_lines: set[int]
    first_line: int

    @property
    def last_line(self) -> int:
        return self.first_line + len(self.lines) - 1


@dataclass(frozen=True)
class Heading:
    text: str
    level: int
    line: int
    clause: str | None  # the clause it cites (cite_heading), if any
    rule: str | None = None


@dataclass(frozen=True)
class Row:
    line: int
    clause: str
    text: str
    targets: tuple[str, ...]  # cells that may name the page dealing with the clause


@dataclass
class PageFacts:
    """What one page says, before the pages are put together."""

    page: str
    title: str | None
    declared: list[Evidence]
    declared_ids: tuple[str, ...]
    exclusions: list[Exclusion]
    status: str | None
    headings: list[Heading]
    counted_headings: set[int]  # lines of headings the build counts
    statements: list[Evidence]
    prose_mentions: list[Evidence]
    rows: list[Row]  # clause rows of tables of the manual's standard
    foreign: tuple[str, ...]
    has_qmsdocs_options: bool
    headings_off: bool  # the page already turns heading coverage off
    findings: list[Finding]
    # Evidence that the page is devoted to one clause (at most one item; `scan.devoted`).
    devoted: list[Evidence] = field(default_factory=list)
