"""Build the site with MkDocs into a temporary folder and keep what the PDF is made of.

The PDF is made from the site exactly as `mkdocs build` makes it (every plugin, the macros,
the gate), so a copy never says something the published manual does not. A small collector
joins the build as one more plugin: it records the navigation after qmsdocs has placed its
pages in it, and each page's final HTML.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mkdocs.commands.build import build
from mkdocs.exceptions import Abort, MkDocsException
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.nav import Section
from mkdocs.structure.pages import Page

from qmsdocs.findings import Finding, QMSDataError
from qmsdocs.plugin import QMSPlugin
from qmsdocs.plugin.config import PDFConfig
from qmsdocs.plugin.generated import STYLESHEET
from qmsdocs.plugin.siteconfig import load_site, mkdocs_log

if TYPE_CHECKING:
    from mkdocs.structure import StructureItem
    from mkdocs.structure.nav import Navigation

    from qmsdocs.plugin.build import Build

__all__ = ["BuildFailed", "BuiltPage", "BuiltSite", "NavEntry", "build_site"]


class BuildFailed(Exception):
    """The site did not build (the manual has errors, or a plugin stopped the build)."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__("\n".join(messages))
        self.messages = messages


@dataclass(frozen=True)
class NavEntry:
    """A page or a section of the navigation, in reading order.

    Attributes:
        title: The section's title, or the page's.
        depth: 1 for the top level.
        src_uri: The page's docs path; None for a section.
    """

    title: str
    depth: int
    src_uri: str | None = None


@dataclass(frozen=True)
class BuiltPage:
    """One page as MkDocs built it.

    Attributes:
        src_uri: Its docs path ("manual/scope.md").
        url: The URL its links are relative to ("manual/scope/" or "manual/scope.html").
        dest_uri: Its file in the site ("manual/scope/index.html").
        title: Its title.
        html: The whole page MkDocs wrote.
    """

    src_uri: str
    url: str
    dest_uri: str
    title: str
    html: str


@dataclass(frozen=True)
class GeneratedParts:
    """The pages qmsdocs generated that the PDF reprints (docs paths)."""

    coverage: str | None
    register: str | None
    glossary: str | None
    clauses: tuple[str, ...]  # the manual's own edition: its index, then clause 4 to 10
    others: frozenset[str]  # every other generated page (other editions, transition)


@dataclass
class BuiltSite:
    """What the PDF is made of. `site_dir` lives as long as the `build_site` context."""

    config_file: Path
    docs_dir: Path
    site_dir: Path
    site_name: str
    site_url: str | None
    copyright: str | None
    language: str
    extra_css: list[str]
    options: PDFConfig
    today: dt.date
    nav: list[NavEntry]
    pages: dict[str, BuiltPage]
    register: list[dict[str, Any]]
    generated: GeneratedParts
    warnings: list[str] = field(default_factory=list)

    @property
    def home(self) -> str | None:
        """The home page's docs path: the page at the site's root."""
        for page in self.pages.values():
            if page.dest_uri == "index.html":
                return page.src_uri
        return None


class _Collector(BasePlugin):  # type: ignore[type-arg,no-untyped-call]
    """Records the final navigation and every page's HTML during the build."""

    def __init__(self) -> None:
        self.nav: list[NavEntry] = []
        self.pages: dict[str, BuiltPage] = {}

    @event_priority(-200)  # after qmsdocs has put its generated pages in the navigation
    def on_nav(self, nav: Navigation, **_: Any) -> Navigation:
        self.nav = []
        self._walk(nav.items, 1)
        return nav

    def _walk(self, items: list[StructureItem], depth: int) -> None:
        for item in items:
            if isinstance(item, Section):
                self.nav.append(NavEntry(str(item.title or ""), depth))
                self._walk(item.children, depth + 1)
            elif isinstance(item, Page):
                # Titles are known once the page is read; the one kept here is provisional.
                self.nav.append(NavEntry(str(item.title or ""), depth, item.file.src_uri))

    @event_priority(-200)
    def on_post_page(self, output: str, *, page: Page, **_: Any) -> str:
        src = page.file.src_uri
        self.pages[src] = BuiltPage(
            src, page.url, page.file.dest_uri, str(page.title or src), output
        )
        return output


def _severity(record: logging.LogRecord) -> str:
    return "error" if record.levelno >= logging.ERROR else "warning"


@contextlib.contextmanager
def build_site(config_file: Path, work_dir: Path) -> Iterator[BuiltSite]:
    """Build the site of `config_file` into `work_dir` and yield what the PDF needs.

    Nothing is written anywhere else: not into the docs folder, not into the site folder
    mkdocs.yml names.

    Raises:
        QMSDataError: mkdocs.yml cannot be used, or the qmsdocs plugin is not enabled.
        BuildFailed: The build stopped (the manual's errors, a plugin's).
    """
    site = load_site(config_file)
    config = site.config
    plugin = config.plugins.get("qmsdocs")
    if not isinstance(plugin, QMSPlugin):
        raise QMSDataError(
            [
                Finding(
                    "bad-config",
                    "the qmsdocs plugin is not enabled (add it under plugins:)",
                    str(config_file),
                )
            ]
        )
    site_dir = work_dir / "site"
    config["site_dir"] = str(site_dir)
    collector = _Collector()
    config.plugins["qmsdocs-pdf-collector"] = collector
    with mkdocs_log(silence=True) as log:
        try:
            build(config)
        except (Abort, MkDocsException, OSError) as error:
            messages = [f"{_severity(r)}: {r.getMessage()}" for r in log] or [str(error)]
            raise BuildFailed(messages) from None
    state: Build | None = plugin.build
    if state is None:  # pragma: no cover - the build above always starts one
        raise BuildFailed(["error: the qmsdocs plugin did not run"])
    pages = collector.pages
    nav = [
        NavEntry(pages[e.src_uri].title, e.depth, e.src_uri) if e.src_uri in pages else e
        for e in collector.nav
        if e.src_uri is None or e.src_uri in pages
    ]
    yield BuiltSite(
        config_file=config_file,
        docs_dir=site.docs_dir,
        site_dir=site_dir,
        site_name=str(config.site_name or ""),
        site_url=config.site_url or None,
        copyright=config.copyright or None,
        language=str(config.theme.get("language") or "en"),
        extra_css=[css for css in config.extra_css if css != STYLESHEET],
        options=state.options.pdf,
        today=state.today,
        nav=nav,
        pages=pages,
        register=list(state.register),
        generated=_generated(state),
        warnings=[*site.warnings, *(f"{_severity(r)}: {r.getMessage()}" for r in log)],
    )


def _generated(state: Build) -> GeneratedParts:
    generated = state.generated
    # The clause pages of every standard the manual claims; another edition's (a transition)
    # are left to the site.
    claimed = {c.id for c in state.editions.standards}
    clauses = tuple(
        src for src, page in generated.clause_pages.items() if page.catalogue.id in claimed
    )
    reprinted = {
        generated.coverage_page,
        generated.register_page,
        generated.glossary_page,
        *clauses,
    }
    others = frozenset(
        src for src in (*generated.clause_pages, *generated.pages()) if src not in reprinted
    )
    return GeneratedParts(
        coverage=generated.coverage_page,
        register=generated.register_page,
        glossary=generated.glossary_page,
        clauses=clauses,
        others=others,
    )
