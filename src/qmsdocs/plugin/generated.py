"""The generated files in a MkDocs build: added as virtual files, placed in the navigation.

What is generated and where is planned by the core (`qmsdocs.outputs.Outputs`, which
`qmsdocs generate` uses too); this module only hands it to MkDocs. Generated pages are Markdown
with placeholders (`qmsdocs.pages`), rendered by MkDocs like any page and filled in `on_env`
(`qmsdocs.plugin.fillers`); the exports are empty files written for real once coverage is known.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from importlib import resources
from typing import TYPE_CHECKING, Any

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Section
from mkdocs.structure.pages import Page

from qmsdocs.editions import Editions
from qmsdocs.outputs import STYLESHEET, Export, ExportKind, Outputs
from qmsdocs.plugin.translated import SiteVersion
from qmsdocs.vocabulary import Vocabulary
from qmsdocs.written import is_marked

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.nav import Navigation

__all__ = [
    "STYLESHEET",
    "Export",
    "ExportKind",
    "GeneratedFiles",
    "add_to",
    "check_conflicts",
    "place_in_nav",
]

# The plan, under the name the plugin has always used for it.
GeneratedFiles = Outputs


def check_conflicts(outputs: Outputs, files: Files) -> None:
    """Stop the build if a file of the manual sits where qmsdocs generates one.

    A page `qmsdocs generate` wrote there (for a site generator without plugins) is not the
    manual's: it is left out, and the build generates its own.
    """
    for src_uri, (what, option) in outputs.paths().items():
        existing = files.get_file_from_path(src_uri)
        if existing is None or existing.generated_by is not None:
            continue
        if existing.abs_src_path and is_marked(existing.abs_src_path):
            files.remove(existing)
            continue
        raise PluginError(
            f"qmsdocs: '{src_uri}' in the docs folder is where qmsdocs generates the "
            f"{what}. Rename or move it, or set the plugin option '{option}' to "
            "another path."
        )


def add_to(
    outputs: Outputs,
    files: Files,
    config: MkDocsConfig,
    editions: Editions,
    vocabulary: Vocabulary,
    version: SiteVersion,
) -> None:
    """Add the generated pages, the (empty) exports and the stylesheet to `files`, in the
    language version of the site this build makes."""
    for src_uri, content in outputs.page_sources(editions, vocabulary):
        # NOT_IN_NAV: `place_in_nav` places them, so MkDocs need not report them left out.
        files.append(version.generated(config, src_uri, content, InclusionLevel.NOT_IN_NAV))
    # Written for real in on_env, once coverage and the documents are known.
    for src_uri in outputs.exports:
        files.append(version.generated(config, src_uri, ""))
    if files.get_file_from_path(STYLESHEET) is None:
        css = resources.files("qmsdocs").joinpath("assets", "qmsdocs.css").read_text("utf-8")
        # One stylesheet at the root serves every language (extra_css is site-wide).
        files.append(File.generated(config, STYLESHEET, content=css))


def place_in_nav(
    outputs: Outputs,
    nav: Navigation,
    config: MkDocsConfig,
    files: Files,
    editions: Editions,
    title: str | None,
) -> None:
    """A navigation section per edition, unless the site's `nav:` already places them.

    `title` (the option `clause_pages_nav`) names the manual's edition's section; without
    it, the edition's name does, as do other editions' ("ISO 9001:2026 (provisional)", in
    the site's language). In a manual of several standards, the pages they share (coverage,
    register, glossary) come first, in a section `title` names ("Standards" by default).
    """
    placed: list[tuple[str, list[Page]]] = []
    if editions.several:
        # Coverage, register and glossary serve every standard of an integrated manual.
        shared = [files.get_file_from_path(src) for src in outputs.pages()]
        pages = [f.page for f in shared if f and isinstance(f.page, Page)]
        placed.append((title or outputs.labels("nav.standards"), pages))
    for catalogue in editions.catalogues:
        order = [page.src_uri for page in outputs.layout.pages(catalogue.id)]
        if catalogue is editions.primary:
            if not editions.several:
                order[1:1] = outputs.pages()  # right after the clause index
            label = catalogue.label if editions.several else title or catalogue.label
        else:
            label = catalogue.label
            if catalogue.provisional:
                label = outputs.labels("edition.provisional", standard=catalogue.label)
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
