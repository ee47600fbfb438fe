"""What rendering a page teaches qmsdocs: the clauses it cites, and the problems found.

Processors only record; the plugin (or another caller) reads the records once every page has
been rendered, to build backlinks and the coverage verdicts, and to report the findings.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from qmsdocs.findings import Finding
from qmsdocs.glossary import TermUse
from qmsdocs.manual import Declaration
from qmsdocs.sourcefiles import LineLocator

__all__ = ["LineLocator", "PageRecord", "Reference"]


@dataclass(frozen=True, slots=True)
class Reference:
    """A page cites a clause in its prose (this is a reference, never coverage)."""

    catalogue: str
    clause: str
    page: str
    section: str | None  # id of the heading the citation comes after
    text: str  # the citation as written


@dataclass
class PageRecord:
    """Everything qmsdocs learnt about one page while rendering it."""

    page: str
    references: list[Reference] = field(default_factory=list)
    declarations: list[Declaration] = field(default_factory=list)  # from headings
    terms: list[TermUse] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
