"""`qmsdocs check` and `qmsdocs coverage`: the manual's verdict without building the site.

The verdict is the build's own (`qmsdocs.assessment`, which the plugin calls too), drawn from
the same sources with the same options, so both report the same findings. Only section anchors
differ: without rendering no slug is computed, so sections are named by their heading's text
and line instead.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property

from qmsdocs.assessment import Assessment, Assessor, PageAssessment, Rules
from qmsdocs.coverage import Coverage
from qmsdocs.editions import Editions
from qmsdocs.findings import Finding
from qmsdocs.readahead import ReadAhead
from qmsdocs.records import Declaration
from qmsdocs.standards import Catalogue
from qmsdocs.vocabulary import Vocabulary

__all__ = ["SourceReading", "check_sources"]


@dataclass
class SourceReading:
    """A manual's verdict, with the sources it was drawn from (for the to-do list)."""

    assessment: Assessment
    sources: dict[str, str] = field(default_factory=dict)

    @property
    def coverage(self) -> Coverage:
        return self.assessment.coverage

    @property
    def coverages(self) -> dict[str, Coverage]:
        return self.assessment.coverages

    @property
    def findings(self) -> list[Finding]:
        return self.assessment.findings

    @property
    def declarations(self) -> list[Declaration]:
        return self.assessment.declarations

    @property
    def pages(self) -> int:
        return len(self.assessment.pages)

    # Made once: the to-do list and the command line ask for one page's at a time, page after
    # page, and making the whole mapping anew for each was quadratic in the pages.
    @cached_property
    def titles(self) -> dict[str, str]:
        return {path: self.assessment.title(path) for path in self.assessment.pages}

    @cached_property
    def statuses(self) -> dict[str, str | None]:
        return {path: page.status for path, page in self.assessment.pages.items()}


def check_sources(
    sources: Iterable[tuple[str, str]],
    catalogue: Catalogue,
    rules: Rules | None = None,
    *,
    editions: Editions | None = None,
    vocabulary: Vocabulary | None = None,
    on: dt.date | None = None,
    read_ahead: bool = False,
) -> SourceReading:
    """The verdict on `(docs-relative path, Markdown source)` pairs.

    With `editions` (the manual's and the others loaded beside it), coverage is computed for
    each, carried across editions as the build does. With `read_ahead` (the plugin's option,
    which `qmsdocs check` follows), a large manual is read in two processes where it can be
    (`read_pages`).
    """
    texts = dict(sources)
    assessor = Assessor(editions or Editions(catalogue), rules, vocabulary=vocabulary)
    pages = read_pages(assessor, list(texts.items()), read_ahead)
    return SourceReading(assessor.manual(pages, on=on), texts)


# A manual this large is read in two processes where it can be (`read_pages`): below, the fork
# costs about what it saves.
_SHARED_READING = 32


def read_pages(
    assessor: Assessor, sources: Sequence[tuple[str, str]], read_ahead: bool = True
) -> list[PageAssessment]:
    """Every page read, in order; with `read_ahead`, a large manual's later pages by a second
    process (on Linux, `qmsdocs.readahead`), which makes `qmsdocs check` about twice as fast
    on two cores. The readings are the same: the second process is a copy of this one, and a
    page it could not read is read here."""
    ahead, split = None, len(sources)
    if read_ahead and len(sources) >= _SHARED_READING:
        # Half of the text each, the later half for the second process.
        total, half = sum(len(text) for _path, text in sources), 0
        split = 0
        while split < len(sources) and half < total / 2:
            half += len(sources[split][1])
            split += 1
        later = [(path, _constant(text)) for path, text in sources[split:]]
        ahead = ReadAhead.start(later, assessor.page, at_once=True)
    if ahead is None:
        return [assessor.page(path, text) for path, text in sources]
    try:
        pages = [assessor.page(path, text) for path, text in sources[:split]]
        for path, text in sources[split:]:
            kept = ahead.take(path, text)
            pages.append(kept if kept is not None else assessor.page(path, text))
    finally:
        ahead.close()
    return pages


def _constant(text: str) -> Callable[[], str]:
    return lambda: text
