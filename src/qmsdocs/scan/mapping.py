"""Mapping tables: clause rows that name the page where a clause is dealt with.

A row names a page by a link to it, by its number prefix (`| 4.1 | ... | 0010 | Context |` and
a file `0010_Context_of_Organization.md`) or, when the row names no link or number, by its
title or file name (if that names one page only). Such a row is evidence for the page it names;
on the page that holds the table it is only a mention. A page with at least `MAPPING_PAGE_ROWS`
such rows is a mapping page: it points elsewhere.
"""

from __future__ import annotations

import os
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from qmsdocs.scan.facts import PageFacts, Row
from qmsdocs.scan.model import Evidence
from qmsdocs.scan.text import MARKUP_RE, norm, split_items

__all__ = ["MAPPING_PAGE_ROWS", "RowEvidence", "sort_rows"]

# A page with this many mapping rows pointing elsewhere is a mapping page.
MAPPING_PAGE_ROWS = 3

_LINK_TARGET_RE = re.compile(
    r"\[[^\]]*\]\(\s*<?([^)\s>#]+\.md)(?:#[^)\s]*)?>?(?:\s+\"[^\"]*\")?\s*\)"
)
_NUMBER_PREFIX_RE = re.compile(r"^(\d{2,6})(?=[_\-\s.]|$)")


@dataclass
class _PageIndex:
    """The manual's pages by the names a mapping row may give them."""

    known: set[str] = field(default_factory=set)
    by_number: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    by_key: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))

    def add(self, page: str, title: str | None) -> None:
        self.known.add(page)
        stem = PurePosixPath(page).stem
        number = _NUMBER_PREFIX_RE.match(stem)
        keys = {norm(stem)}
        if number:
            self.by_number[number.group(1)].append(page)
            keys.add(norm(stem[number.end() :]))
        if title:
            keys.add(norm(title))
        keys.discard("")
        for key in sorted(keys):
            self.by_key[key].append(page)

    def targets(self, row: Row, page: str) -> list[str]:
        """The pages a row of `page` names: links, then number prefixes, then unique titles."""
        found = self._linked(row, page) or self._numbered(row) or self._named(row)
        return [p for p in dict.fromkeys(found) if p != page]

    def _linked(self, row: Row, page: str) -> list[str]:
        base = PurePosixPath(page).parent
        found: list[str] = []
        for cell in row.targets:
            for link in _LINK_TARGET_RE.findall(cell):
                path = os.path.normpath(str(base / link)).replace(os.sep, "/")
                if path in self.known:
                    found.append(path)
        return found

    def _numbered(self, row: Row) -> list[str]:
        found: list[str] = []
        for cell in row.targets:
            for item in split_items(cell):
                found += self.by_number.get(MARKUP_RE.sub("", item).strip(), [])
        return found

    def _named(self, row: Row) -> list[str]:
        found: list[str] = []
        for cell in row.targets:
            for item in split_items(cell):
                pages = self.by_key.get(norm(item), [])
                if len(pages) == 1:
                    found += pages
        return found


@dataclass
class RowEvidence:
    """What the clause rows of all pages' tables say, by page.

    Attributes:
        mapped: Evidence for the pages that mapping rows name.
        own: Rows of a page's own clause table: evidence for that page.
        mentions: Mapping rows, as mentions on the page that holds them.
        mapping_pages: Pages with at least `MAPPING_PAGE_ROWS` rows naming other pages.
    """

    mapped: dict[str, list[Evidence]] = field(default_factory=lambda: defaultdict(list))
    own: dict[str, list[Evidence]] = field(default_factory=lambda: defaultdict(list))
    mentions: dict[str, list[Evidence]] = field(default_factory=lambda: defaultdict(list))
    mapping_pages: set[str] = field(default_factory=set)

    def _mention(self, row: Row, page: str, note: str) -> None:
        self.mentions[page].append(
            Evidence(row.clause, "mention", page, row.line, row.text, note=note)
        )

    def add_page(self, fact: PageFacts, index: _PageIndex, mapping_tables: bool) -> None:
        resolved = [(row, index.targets(row, fact.page)) for row in fact.rows]
        pointing = [row for row, targets in resolved if targets]
        if len(pointing) >= MAPPING_PAGE_ROWS:
            self.mapping_pages.add(fact.page)
        for row, targets in resolved:
            for target in targets:
                if mapping_tables:
                    self.mapped[target].append(
                        Evidence(row.clause, "mapping", target, row.line, row.text, fact.page)
                    )
                self._mention(row, fact.page, f"mapping row naming {target}")
            if targets:
                continue
            if pointing:
                # A table of rows that name pages: this row's page is simply not there.
                self._mention(row, fact.page, "mapping row whose page was not found")
            else:
                self.own[fact.page].append(
                    Evidence(row.clause, "table", fact.page, row.line, row.text)
                )


def sort_rows(facts: Sequence[PageFacts], *, mapping_tables: bool) -> RowEvidence:
    """Sort every page's clause rows into own-table rows, mapping rows and mentions.

    Arguments:
        mapping_tables: Whether mapping rows count for the pages they name (they are mentions
            on their own page either way).
    """
    index = _PageIndex()
    for fact in facts:
        index.add(fact.page, fact.title)
    result = RowEvidence()
    for fact in facts:
        result.add_page(fact, index, mapping_tables)
    return result
