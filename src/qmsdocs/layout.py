"""Where the generated clause reference pages live, and where each clause sits on them.

Paths are docs-relative Markdown paths (`clauses/iso9001-2015/8.md`), the form MkDocs' own link
handling resolves and validates; anchors are the clauses' stable ids (`clause-8-4`).
"""

from __future__ import annotations

import posixpath
from collections.abc import Sequence
from dataclasses import dataclass

from qmsdocs.standards import Catalogue, Clause

__all__ = ["ClausePage", "Layout", "relative_href"]


@dataclass(frozen=True)
class ClausePage:
    """One generated clause page: the index of a catalogue, or one top-level clause."""

    catalogue: Catalogue
    src_uri: str
    top: Clause | None  # None for the catalogue's index page


class Layout:
    """The generated clause pages of a set of catalogues.

    Each top-level clause that carries requirements (ISO 9001: 4 to 10) gets a page of its own;
    the other clauses (introduction, scope, annexes) are listed on the catalogue's index page.

    Arguments:
        catalogues: The catalogues to lay out.
        pages_dir: Docs-relative folder of the clause pages ("clauses").
    """

    def __init__(self, catalogues: Sequence[Catalogue], pages_dir: str = "clauses") -> None:
        self.pages_dir = pages_dir.strip("/")
        self.catalogues = tuple(catalogues)
        self._pages: dict[str, list[ClausePage]] = {}
        self._page_of: dict[tuple[str, str], str] = {}
        for catalogue in self.catalogues:
            index = ClausePage(catalogue, self._path(catalogue, "index"), None)
            pages = [index]
            for top in catalogue.top_level():
                if top.requirements:
                    pages.append(ClausePage(catalogue, self._path(catalogue, top.id), top))
            self._pages[catalogue.id] = pages
            by_top = {p.top.id: p.src_uri for p in pages if p.top is not None}
            for clause in catalogue:
                self._page_of[catalogue.id, clause.id] = by_top.get(clause.top, index.src_uri)

    def _path(self, catalogue: Catalogue, name: str) -> str:
        return posixpath.join(self.pages_dir, catalogue.id, f"{name}.md")

    def pages(self, catalogue_id: str | None = None) -> list[ClausePage]:
        """The clause pages of one catalogue, or of all, index first, in clause order."""
        if catalogue_id is not None:
            return list(self._pages[catalogue_id])
        return [page for pages in self._pages.values() for page in pages]

    def index(self, catalogue_id: str) -> str:
        return self._pages[catalogue_id][0].src_uri

    def page_of(self, catalogue_id: str, clause_id: str) -> str:
        """The docs-relative path of the page that lists a clause."""
        return self._page_of[catalogue_id, clause_id]

    def target(self, catalogue_id: str, clause: Clause) -> tuple[str, str]:
        """(page path, anchor) of a clause."""
        return self.page_of(catalogue_id, clause.id), clause.anchor

    def is_clause_page(self, src_uri: str) -> bool:
        return any(p.src_uri == src_uri for p in self.pages())


def relative_href(from_page: str, to_page: str, anchor: str | None = None) -> str:
    """A relative `.md` link between two docs-relative paths, with an optional anchor."""
    fragment = f"#{anchor}" if anchor else ""
    if from_page == to_page:
        return fragment or posixpath.basename(to_page)
    base = posixpath.dirname(from_page) or "."
    return posixpath.relpath(to_page, base) + fragment
