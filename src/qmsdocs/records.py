"""What rendering a page teaches qmsdocs: the clauses it cites, and the problems found.

Processors only record; the plugin (or another caller) reads the records once every page has
been rendered, to build backlinks and the coverage verdicts, and to report the findings.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from qmsdocs.findings import Finding
from qmsdocs.glossary import TermUse
from qmsdocs.manual import Declaration

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


class LineLocator:
    """Finds the line of a piece of text in a page's Markdown source.

    Rendered trees carry no line numbers, so a finding about a citation is placed by looking
    for its text in the source. Processors meet citations in document order, so each look-up
    starts where the previous one ended (and only falls back to the start of the page), and
    lines are counted with a binary search over the newline positions: thousands of findings
    on a huge page stay linear.

    Arguments:
        source: The page's Markdown, without front matter.
        first_line: The line of the file on which `source` starts.
    """

    def __init__(self, source: str, first_line: int = 1) -> None:
        self.source = source
        self.first_line = first_line
        self._cursor = 0  # just past the last text found
        self._next: dict[str, int] = {}  # where to look for the next occurrence of a text
        self._newlines: list[int] | None = None

    def line(self, text: str) -> int | None:
        # The same text again: its next occurrence. A new text: from the last find on, since
        # look-ups come in document order; from the top when a new pass over the page starts.
        start = self._next.get(text, self._cursor)
        found = self.source.find(text, start)
        if found < 0 and start:
            found = self.source.find(text)
        if found < 0:
            return None
        self._cursor = self._next[text] = found + len(text)
        if self._newlines is None:
            self._newlines = [m.start() for m in re.finditer("\n", self.source)]
        return self.first_line + bisect.bisect_left(self._newlines, found)
