"""The MkDocs plugin: a thin adapter between MkDocs' build events and the qmsdocs core.

This package is the only part of qmsdocs that imports MkDocs. Event by event:

- `on_startup`: remember whether this is `mkdocs serve` (the plugin object is then kept
  across rebuilds, so everything per build is made afresh in `on_config`).
- `on_config`: start a `Build` (catalogues, glossary, recogniser, where the generated files
  go), add the Markdown extension and the stylesheet.
- `on_files`: check the manual's files, add the generated pages, exports and stylesheet, and
  start reading the pages in a second process (`qmsdocs.readahead`, option `read_ahead`).

`on_config` and `on_files` run after mkdocs-static-i18n's (priority -100): a translated site
is built once per language with the same config, and qmsdocs must see which language version
is being built and the files that plugin chose for it (`qmsdocs.plugin.translated`).
- `on_nav`: give the generated pages a navigation section of their own.
- `on_page_markdown`: read the page's source for the verdict (`qmsdocs.assessment`); tell the
  extension which page it renders.
- `on_page_content`: keep what rendering added (anchors, terms); add the document panels.
- `on_env`: every page is rendered; draw the verdict, fill the generated pages, write the
  exports, report every finding together, and stop the build (the gate) on an error.
- `on_build_error`: stop the second process, if the build failed before `on_env`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority

from qmsdocs.documents import source_date_findings
from qmsdocs.markdown_ext import QMSExtension
from qmsdocs.pages import PLACEHOLDER_MARK
from qmsdocs.plugin.build import Build
from qmsdocs.plugin.config import QMSConfig
from qmsdocs.plugin.exports import write_exports
from qmsdocs.plugin.fillers import fill_pages, register_rows
from qmsdocs.plugin.generated import STYLESHEET, add_to, check_conflicts, place_in_nav
from qmsdocs.plugin.panels import add_document_panels
from qmsdocs.plugin.redirects import announce_to_redirects
from qmsdocs.plugin.report import report
from qmsdocs.plugin.search import index_with
from qmsdocs.plugin.sitepages import SitePages
from qmsdocs.readcache import ReadCache
from qmsdocs.render import CompiledTemplates
from qmsdocs.sources import source_problems, symlink_loops
from qmsdocs.written import generated_paths

if TYPE_CHECKING:
    import jinja2
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.livereload import LiveReloadServer
    from mkdocs.structure.files import File, Files
    from mkdocs.structure.nav import Navigation
    from mkdocs.structure.pages import Page

__all__ = ["Build", "QMSPlugin"]


class QMSPlugin(BasePlugin[QMSConfig]):
    """Links clause references, generates clause and coverage pages, gates the build.

    `build` is the current build's state (`qmsdocs.plugin.build.Build`); the macros use it.
    """

    supports_multiple_instances = False

    def __init__(self) -> None:
        self.is_serve = False
        self.build: Build | None = None
        # Kept across `mkdocs serve` rebuilds: a template is compiled once, unless it changes,
        # and a page is read once, unless it, the options or the data files change.
        self._compiled = CompiledTemplates()
        self._reads = ReadCache()

    def on_startup(self, *, command: Literal["build", "gh-deploy", "serve"], dirty: bool) -> None:
        # Defining on_startup makes MkDocs keep this object across `serve` rebuilds.
        self.is_serve = command == "serve"

    @event_priority(-110)
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        """Start the build's state, add the Markdown extension and the stylesheet."""
        for finding in source_date_findings():
            # MkDocs reads the variable later to date the build and stops with a traceback
            # from inside its own code; say what is wrong while it can be said plainly.
            raise PluginError(
                f"qmsdocs: {finding.message.split(': today')[0]}, and MkDocs cannot date the "
                f"build with it ({finding.hint})"
            )
        reads = self._reads if self.is_serve else None
        self.build = Build.start(self.config, config, self._compiled, reads)
        # A translated site's next language is built with this same config: the extension
        # of the last build goes, with its state.
        # A `qmsdocs` entry of the site's own (there for Zensical, which runs no plugin) would
        # link everything twice: the plugin's extension takes its place.
        config.markdown_extensions[:] = [
            e
            for e in config.markdown_extensions
            if not isinstance(e, QMSExtension) and e not in _EXTENSION_NAMES
        ]
        for name in _EXTENSION_NAMES:
            config.mdx_configs.pop(name, None)
        # MkDocs accepts extension instances here, though its annotation says names.
        config.markdown_extensions.append(QMSExtension(self.build.context))  # type: ignore[arg-type]
        if STYLESHEET not in config.extra_css:
            config.extra_css.append(STYLESHEET)
        return config

    def on_serve(
        self, server: LiveReloadServer, *, config: MkDocsConfig, builder: Any
    ) -> LiveReloadServer:
        """Rebuild when a data file of the manual's own changes, not only its pages."""
        for path in self._build.data_files:
            if path.exists():
                server.watch(str(path))
        return server

    @event_priority(-110)
    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        """Check the manual's files, then add the generated pages, exports and stylesheet."""
        build = self._build
        _drop_written(files, Path(config.docs_dir))
        _check_files(files, Path(config.docs_dir))
        check_conflicts(build.generated, files)
        add_to(build.generated, files, config, build.editions, build.vocabulary, build.version)
        announce_to_redirects(config.plugins, files)
        if self.config.read_ahead:
            # Under `mkdocs serve`, for the first build only: the server's threads, which forbid
            # a fork, start after it, and the rebuilds read only what changed.
            build.read_ahead_of([(f.src_uri, _reader(f)) for f in files.documentation_pages()])
        return files

    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation:
        """Put the generated pages in a navigation section, unless `nav:` already places them."""
        build = self._build
        place_in_nav(
            build.generated, nav, config, files, build.editions, self.config.clause_pages_nav
        )
        return nav

    def on_page_markdown(
        self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str:
        """Read the page's source for the verdict; tell the extension which page it renders."""
        self._build.context.current = self._build.read_page(page, files)
        return markdown

    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        """Keep what rendering added; put the document panels on a controlled page."""
        build = self._build
        current, build.context.current = build.context.current, None
        src = page.file.src_uri
        build.keep(current, src)
        # Placeholders in a page of the manual (written by the macros) are filled in on_env.
        if PLACEHOLDER_MARK in html and not build.generated.is_generated(src):
            build.dynamic.add(src)
        assessed = build.pages.get(src)
        if assessed and assessed.document and self.config.document_header:
            html = add_document_panels(build, html, page, assessed.document)
        return html

    @event_priority(-50)  # after other plugins' on_env: every page and its toc are final
    def on_env(
        self, env: jinja2.Environment, *, config: MkDocsConfig, files: Files
    ) -> jinja2.Environment:
        """Draw the verdict, fill the generated pages and exports, report, and gate."""
        build = self._build
        build.stop_reading_ahead()
        build.conclude()
        site = SitePages(files)
        build.register = register_rows(build, site)
        generated = [*build.generated.clause_pages, *build.generated.pages()]
        fill_pages(build, env, site, [*generated, *sorted(build.dynamic)])
        write_exports(build, site)
        gate = not self.is_serve or self.config.gate_on_serve
        report(build.all_findings(), self.config.checks, gate=gate, version=build.version.name)
        # Every page is rendered; the search plugins index them next, from on_page_context.
        index_with(config.plugins.values(), build.search_text)
        return env

    def on_build_error(self, *, error: Exception) -> None:
        if self.build is not None:
            self.build.stop_reading_ahead(collect=False)

    @property
    def _build(self) -> Build:
        if self.build is None:
            raise PluginError("qmsdocs: the plugin was used before MkDocs configured it")
        return self.build


_EXTENSION_NAMES = ("qmsdocs", "qmsdocs.markdown_ext")


def _reader(file: File) -> Callable[[], str]:
    return lambda: file.content_string


def _drop_written(files: Files, docs_dir: Path) -> None:
    """Leave out what `qmsdocs generate` wrote into the docs folder (for Zensical): the
    plugin generates its own, and those pages are not the manual's."""
    written = generated_paths(docs_dir)
    for file in [f for f in files if f.generated_by is None and f.src_uri in written]:
        files.remove(file)


def _check_files(files: Files, docs_dir: Path) -> None:
    """Problems MkDocs itself would meet with a traceback, reported as what they are."""
    problems = symlink_loops(docs_dir)
    problems += source_problems(
        (f.src_uri, Path(f.abs_src_path))
        for f in files.documentation_pages()
        if f.abs_src_path is not None and f.generated_by is None
    )
    if problems:
        listed = "\n".join(f"  - {finding}" for finding in problems)
        raise PluginError(f"qmsdocs: the manual's files cannot be used:\n{listed}")
