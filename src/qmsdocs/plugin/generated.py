"""The files qmsdocs adds to a site: where they go, how they are added, where the nav shows them.

Generated pages are Markdown with placeholders (`qmsdocs.pages`), rendered by MkDocs like any
page and filled in `on_env` (`qmsdocs.plugin.fillers`); the exports are empty files written for
real once coverage is known.
"""

from __future__ import annotations

import html
import posixpath
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib import resources
from typing import TYPE_CHECKING, Any, Literal

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Section
from mkdocs.structure.pages import Page

from qmsdocs.editions import Editions
from qmsdocs.glossary import sections
from qmsdocs.labels import ENGLISH, Labels, load_labels
from qmsdocs.layout import ClausePage, Layout
from qmsdocs.pages import (
    clause_page_markdown,
    coverage_page_markdown,
    glossary_page_markdown,
    register_page_markdown,
    transition_page_markdown,
)
from qmsdocs.plugin.translated import SiteVersion
from qmsdocs.vocabulary import Vocabulary

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.nav import Navigation

    from qmsdocs.plugin.config import QMSConfig

__all__ = ["STYLESHEET", "Export", "GeneratedFiles"]

STYLESHEET = "assets/qmsdocs/qmsdocs.css"

ExportKind = Literal["coverage-json", "coverage-csv", "documents-json", "documents-csv"]


@dataclass(frozen=True, slots=True)
class Export:
    """A data file qmsdocs writes beside the pages (coverage, document register)."""

    kind: ExportKind
    catalogue: str | None = None  # for coverage: the edition; None is the manual's own


@dataclass
class GeneratedFiles:
    """Where this build generates what (docs paths), from the plugin's options, and in which
    words (`labels`: the site's language)."""

    layout: Layout
    clause_pages: dict[str, ClausePage]
    coverage_page: str | None = None
    glossary_page: str | None = None
    transition_page: str | None = None
    register_page: str | None = None
    exports: dict[str, Export] = field(default_factory=dict)
    labels: Labels = field(default_factory=lambda: load_labels(ENGLISH))
    # Each generated page's headings and the anchors they get, the same in every language
    # (known once its Markdown is made; see `qmsdocs.pages`).
    heading_ids: dict[str, dict[str, str]] = field(default_factory=dict)

    @classmethod
    def plan(
        cls, options: QMSConfig, editions: Editions, labels: Labels | None = None
    ) -> GeneratedFiles:
        layout = Layout(editions.catalogues, options.clause_pages_dir)
        planned = cls(
            layout,
            {page.src_uri: page for page in layout.pages()},
            coverage_page=options.coverage_page or None,
            glossary_page=options.glossary_page or None,
            transition_page=(options.transition_page or None) if editions.transition() else None,
            register_page=options.register_page or None,
            labels=labels if labels is not None else load_labels(ENGLISH),
        )
        if planned.coverage_page:
            stem = posixpath.splitext(planned.coverage_page)[0]
            planned.exports[f"{stem}.json"] = Export("coverage-json")
            planned.exports[f"{stem}.csv"] = Export("coverage-csv")
            # Other editions' coverage, during a transition: coverage-iso9001-2026.json, ...
            for other in editions.others:
                planned.exports[f"{stem}-{other.id}.json"] = Export("coverage-json", other.id)
                planned.exports[f"{stem}-{other.id}.csv"] = Export("coverage-csv", other.id)
        if planned.register_page:
            stem = posixpath.splitext(planned.register_page)[0]
            planned.exports[f"{stem}.json"] = Export("documents-json")
            planned.exports[f"{stem}.csv"] = Export("documents-csv")
        return planned

    def paths(self) -> dict[str, tuple[str, str]]:
        """Docs path -> (what qmsdocs generates there, the option that sets the path)."""
        paths = {src: ("clause page", "clause_pages_dir") for src in self.clause_pages}
        for path, what, option in (
            (self.coverage_page, "coverage page", "coverage_page"),
            (self.glossary_page, "glossary page", "glossary_page"),
            (self.transition_page, "transition page", "transition_page"),
            (self.register_page, "document register", "register_page"),
        ):
            if path:
                paths[path] = (what, option)
        for path, export in self.exports.items():
            option = "register_page" if export.kind.startswith("documents") else "coverage_page"
            paths[path] = (f"export ({export.kind})", option)
        return paths

    def is_generated(self, src_uri: str) -> bool:
        return src_uri in self.clause_pages or src_uri in self.paths()

    def pages(self) -> list[str]:
        """The generated pages besides the clause pages, in the order the nav lists them."""
        candidates = (
            self.coverage_page,
            self.register_page,
            self.glossary_page,
            self.transition_page,
        )
        return [p for p in candidates if p]

    def check_conflicts(self, files: Files) -> None:
        """Stop the build if a file of the manual sits where qmsdocs generates one."""
        for src_uri, (what, option) in self.paths().items():
            existing = files.get_file_from_path(src_uri)
            if existing is not None and existing.generated_by is None:
                raise PluginError(
                    f"qmsdocs: '{src_uri}' in the docs folder is where qmsdocs generates the "
                    f"{what}. Rename or move it, or set the plugin option '{option}' to "
                    "another path."
                )

    def add_to(
        self,
        files: Files,
        config: MkDocsConfig,
        editions: Editions,
        vocabulary: Vocabulary,
        version: SiteVersion,
    ) -> None:
        """Add the generated pages, the (empty) exports and the stylesheet to `files`, in
        the language version of the site this build makes."""
        for src_uri, content in self._page_sources(editions, vocabulary):
            # NOT_IN_NAV: `place_in_nav` places them, so MkDocs need not report them left out.
            files.append(version.generated(config, src_uri, content, InclusionLevel.NOT_IN_NAV))
        # Written for real in on_env, once coverage and the documents are known.
        for src_uri in self.exports:
            files.append(version.generated(config, src_uri, ""))
        if files.get_file_from_path(STYLESHEET) is None:
            css = resources.files("qmsdocs").joinpath("assets", "qmsdocs.css").read_text("utf-8")
            # One stylesheet at the root serves every language (extra_css is site-wide).
            files.append(File.generated(config, STYLESHEET, content=css))

    def _page_sources(
        self, editions: Editions, vocabulary: Vocabulary
    ) -> Iterable[tuple[str, str]]:
        labels = self.labels
        for src_uri, page in self.clause_pages.items():
            yield src_uri, clause_page_markdown(page, self.layout, labels)
        names = {export: posixpath.basename(path) for path, export in self.exports.items()}
        if self.coverage_page:
            others = [
                (c, names[Export("coverage-json", c.id)], names[Export("coverage-csv", c.id)])
                for c in editions.others
            ]
            content, self.heading_ids[self.coverage_page] = coverage_page_markdown(
                editions.primary,
                names[Export("coverage-json")],
                names[Export("coverage-csv")],
                labels,
                others=others,
            )
            yield self.coverage_page, content
        if self.register_page:
            content, self.heading_ids[self.register_page] = register_page_markdown(
                names[Export("documents-json")], names[Export("documents-csv")], labels
            )
            yield self.register_page, content
        transition = editions.transition()
        if self.transition_page and transition is not None:
            content, self.heading_ids[self.transition_page] = transition_page_markdown(
                transition, labels
            )
            yield self.transition_page, content
        if self.glossary_page:
            # The page lists every term unless the site asks for the used ones only; which
            # those are is known after rendering, so it lists all and on_env drops the rest.
            content, self.heading_ids[self.glossary_page] = glossary_page_markdown(
                sections(vocabulary, vocabulary.terms), labels
            )
            yield self.glossary_page, content

    def place_in_nav(
        self,
        nav: Navigation,
        config: MkDocsConfig,
        files: Files,
        editions: Editions,
        title: str | None,
    ) -> None:
        """A navigation section per edition, unless the site's `nav:` already places them.

        `title` (the option `clause_pages_nav`) names the manual's edition's section; without
        it, the edition's name does, as do other editions' ("ISO 9001:2026 (provisional)", in
        the site's language).
        """
        placed: list[tuple[str, list[Page]]] = []
        for catalogue in editions.catalogues:
            order = [page.src_uri for page in self.layout.pages(catalogue.id)]
            if catalogue is editions.primary:
                order[1:1] = self.pages()  # right after the clause index
                label = title or catalogue.label
            else:
                label = catalogue.label
                if catalogue.provisional:
                    label = self.labels("edition.provisional", standard=catalogue.label)
            found = [files.get_file_from_path(src) for src in order]
            placed.append((label, [f.page for f in found if f and isinstance(f.page, Page)]))
        if config.nav is not None and any(p in nav.pages for _, pages in placed for p in pages):
            return
        for label, pages in placed:
            # Themes put navigation titles into the page as HTML, as MkDocs' own titles are
            # (entities and all); a catalogue's name is data and must reach them as text.
            nav.items.append(Section(html.escape(label, quote=False), list(pages)))
        _relink(nav)


def _relink(nav: Navigation) -> None:
    """Recompute parents, the flat page list and previous/next after changing the tree."""

    def walk(items: Iterable[Any], parent: Section | None) -> list[Page]:
        flat: list[Page] = []
        for item in items:
            item.parent = parent
            if isinstance(item, Section):
                flat += walk(item.children, item)
            elif isinstance(item, Page):
                flat.append(item)
        return flat

    pages = walk(nav.items, None)
    for index, page in enumerate(pages):
        page.previous_page = pages[index - 1] if index > 0 else None
        page.next_page = pages[index + 1] if index + 1 < len(pages) else None
    nav.pages = pages
