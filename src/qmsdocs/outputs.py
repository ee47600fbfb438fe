"""What qmsdocs generates for a site, and where: the generated pages' paths and Markdown.

One plan serves every way the pages reach a site: the MkDocs plugin adds them to the build as
virtual files (`qmsdocs.plugin.generated`), `qmsdocs generate` writes them into the docs folder
for site generators that run no plugin (`qmsdocs.generate`), and the Markdown extension links
to the paths planned here. Paths are docs-relative; a `prefix` puts them all in one folder.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

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
from qmsdocs.vocabulary import Vocabulary

if TYPE_CHECKING:
    from qmsdocs.plugin.config import QMSConfig

__all__ = ["STYLESHEET", "Export", "ExportKind", "Outputs"]

STYLESHEET = "assets/qmsdocs/qmsdocs.css"

ExportKind = Literal["coverage-json", "coverage-csv", "documents-json", "documents-csv"]


@dataclass(frozen=True, slots=True)
class Export:
    """A data file qmsdocs writes beside the pages (coverage, document register)."""

    kind: ExportKind
    catalogue: str | None = None  # for coverage: the edition; None is the manual's own


@dataclass
class Outputs:
    """Where a build generates what (docs paths), from the plugin's options, and in which
    words (`labels`: the site's language)."""

    layout: Layout
    clause_pages: dict[str, ClausePage]
    coverage_page: str | None = None
    glossary_page: str | None = None
    transition_page: str | None = None
    register_page: str | None = None
    exports: dict[str, Export] = field(default_factory=dict)
    labels: Labels = field(default_factory=lambda: load_labels(ENGLISH))
    stylesheet: str = STYLESHEET
    prefix: str = ""  # the docs folder everything goes under ("": the options' paths)
    # Each generated page's headings and the anchors they get, the same in every language
    # (known once its Markdown is made; see `qmsdocs.pages`).
    heading_ids: dict[str, dict[str, str]] = field(default_factory=dict)

    @classmethod
    def plan(
        cls,
        options: QMSConfig,
        editions: Editions,
        labels: Labels | None = None,
        prefix: str = "",
    ) -> Outputs:
        """The paths of the options, each under `prefix` (a docs-relative folder, or "")."""

        def under(path: str | None) -> str | None:
            return posixpath.join(prefix, path) if path and prefix else path or None

        pages_dir = options.clause_pages_dir
        layout = Layout(
            editions.catalogues, posixpath.join(prefix, pages_dir) if prefix else pages_dir
        )
        planned = cls(
            layout,
            {page.src_uri: page for page in layout.pages()},
            coverage_page=under(options.coverage_page),
            glossary_page=under(options.glossary_page),
            transition_page=under(options.transition_page) if editions.transition() else None,
            register_page=under(options.register_page),
            labels=labels if labels is not None else load_labels(ENGLISH),
            stylesheet=posixpath.join(prefix, STYLESHEET) if prefix else STYLESHEET,
            prefix=prefix,
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

    def page_sources(self, editions: Editions, vocabulary: Vocabulary) -> Iterable[tuple[str, str]]:
        """(docs path, Markdown with placeholders) of every generated page; makes
        `heading_ids` on the way."""
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
                standards=editions.standards,
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
            # those are is known after rendering, so it lists all and the filler drops the rest.
            content, self.heading_ids[self.glossary_page] = glossary_page_markdown(
                sections(vocabulary, vocabulary.terms), labels
            )
            yield self.glossary_page, content
