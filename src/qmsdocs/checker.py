"""`qmsdocs check` and `qmsdocs coverage`: the manual's verdict without building the site.

The verdict is the build's own (`qmsdocs.assessment`, which the plugin calls too), drawn from
the same sources with the same options, so both report the same findings. Only section anchors
differ: without rendering no slug is computed, so sections are named by their heading's text
and line instead.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property

from qmsdocs.assessment import Assessment, Rules, assess
from qmsdocs.coverage import Coverage
from qmsdocs.editions import Editions
from qmsdocs.findings import Finding
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
    read_ahead: bool = True,
) -> SourceReading:
    """The verdict on `(docs-relative path, Markdown source)` pairs.

    With `editions` (the manual's and the others loaded beside it), coverage is computed for
    each, carried across editions as the build does. With `read_ahead` (the plugin's option),
    a large manual is read in two processes where it can be (`qmsdocs.assessment.read_pages`).
    """
    texts = dict(sources)
    assessment = assess(
        texts.items(),
        editions or Editions(catalogue),
        rules,
        vocabulary=vocabulary,
        on=on,
        read_ahead=read_ahead,
    )
    return SourceReading(assessment, texts)
