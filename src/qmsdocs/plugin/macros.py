"""qmsdocs authoring macros for mkdocs-macros: clause and term links, coverage, principles.

Set up in `mkdocs.yml`, either directly (mkdocs-macros imports installed modules)::

    plugins:
      - qmsdocs
      - macros:
          modules: [qmsdocs.macros]

or through a module of the site that calls `define_env` (what `qmsdocs init` writes)::

    plugins:
      - qmsdocs
      - macros:
          module_name: plugins/macros

The macros work on the running qmsdocs plugin's own catalogue, layout and vocabulary, never a
copy: each call looks the plugin up (`env.conf.plugins["qmsdocs"]`) and the page being
rendered (`env.page`). Nothing is looked up in `define_env`, which runs in the macros plugin's
`on_config`, possibly before qmsdocs has loaded its data; by the time pages render, every
plugin is configured, so the order of the two plugins in `plugins:` does not matter.

Zensical runs mkdocs-macros modules itself but no plugin: its `env.conf` is a plain mapping.
The macros then work on the site as read from its mkdocs.yml (`qmsdocs.standalone`), with the
plugin's options, as the Markdown extension does there.

This module only adapts; what the macros write is decided by `qmsdocs.authoring.PageMacros`.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, cast

from mkdocs.exceptions import PluginError

from qmsdocs.authoring import PageMacros, SiteMacros
from qmsdocs.findings import Finding, QMSDataError
from qmsdocs.plugin import Build, QMSPlugin
from qmsdocs.principles import builtin_principles
from qmsdocs.sitebuild import SiteBuild
from qmsdocs.standalone import Standalone, find_config, site_for

if TYPE_CHECKING:
    from mkdocs.structure.pages import Page
    from mkdocs_macros.plugin import MacrosPlugin

__all__ = ["QMSMacroError", "define_env"]


class QMSMacroError(PluginError):
    """The macros cannot work: the qmsdocs plugin is not enabled (or, without a plugin, the
    site's mkdocs.yml cannot be read)."""


class _Session:
    """Finds the plugin and the page at call time, and keeps one `PageMacros` per page.

    The `PageMacros` of a page remembers which calls it has located (for finding lines), so it
    lives as long as the page renders; a new build (`mkdocs serve` rebuilds) or page gets a
    new one.
    """

    def __init__(self, env: MacrosPlugin) -> None:
        self.env = env
        self._site: tuple[object, SiteMacros] | None = None
        self._page: tuple[object, object, PageMacros] | None = None

    def plugin(self) -> QMSPlugin:
        plugin = self.env.conf.plugins.get("qmsdocs")
        if not isinstance(plugin, QMSPlugin):
            raise QMSMacroError(
                "qmsdocs macros: the qmsdocs plugin is not enabled. Add `- qmsdocs` to "
                "`plugins:` in mkdocs.yml (before or after `macros`: the order does not matter)."
            )
        return plugin

    def build(self) -> Build:
        build = self.plugin().build
        if build is None:
            raise QMSMacroError("qmsdocs macros: the qmsdocs plugin has not been configured")
        return build

    def standalone(self) -> Standalone | None:
        """Under a site generator that runs the macros but no plugin (Zensical, whose `conf`
        is a plain mapping): the site as read from its mkdocs.yml."""
        conf = self.env.conf
        # MkDocs' config is a mapping too, but never a plain dict.
        if not isinstance(conf, dict) or hasattr(conf, "plugins"):
            return None
        root = conf.get("root_dir")
        config_file = find_config(Path(root)) if root else None
        if config_file is None:
            raise QMSMacroError(f"qmsdocs macros: no mkdocs.yml in {root or 'the project'}")
        try:
            site = site_for(config_file)
        except QMSDataError as error:
            listed = "; ".join(str(finding) for finding in error.findings)
            raise QMSMacroError(f"qmsdocs macros: {listed}") from None
        if site is None:
            raise QMSMacroError(f"qmsdocs macros: {config_file} is still being read")
        return site

    def macros(self) -> PageMacros:
        standalone = self.standalone()
        build: SiteBuild = standalone.build if standalone else self.build()
        context = build.context
        if self._site is None or self._site[0] is not context:
            site = SiteMacros(
                catalogue=build.catalogue,
                vocabulary=build.vocabulary,
                matcher=context.matcher,
                glossary_page=build.glossary_page,
                principles=builtin_principles(),
                report=_print_finding if standalone else build.report,
                page_exists=self._page_exists,
                # Read alone, a site's citations through macros are nobody's to record.
                cite=build.cite if not standalone else lambda _reference: None,
            )
            self._site = (context, site)
        page = self.env.page
        if self._page is None or self._page[0] is not context or self._page[1] is not page:
            if standalone is not None:
                src = str(getattr(page, "path", ""))
                source = _read(standalone.docs_dir / src)
            else:
                src, source = page.file.src_uri, _source(page)
            macros = self._site[1].page(src, source)
            self._page = (context, page, macros)
        return self._page[2]

    def _page_exists(self, src_uri: str) -> bool:
        standalone = self.standalone()
        if standalone is not None:
            return (standalone.docs_dir / src_uri).is_file()
        files = self.env.variables.get("files")  # set by mkdocs-macros in on_nav
        if files is not None:
            return files.get_file_from_path(src_uri) is not None
        return (Path(self.env.conf.docs_dir) / src_uri).is_file()


def _print_finding(finding: Finding) -> None:
    """A macro's finding where no build collects them: on the console, as the build would."""
    print(f"qmsdocs: {finding.severity.value}: {finding}", file=sys.stderr)


def _read(path: Path) -> str:
    try:
        return path.read_text("utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return ""


def _source(page: Page) -> str:
    try:
        return page.file.content_string
    except (OSError, UnicodeDecodeError):
        return ""


def define_env(env: MacrosPlugin) -> None:
    """Register the macros (mkdocs-macros calls this once per build, from its on_config)."""
    session = _Session(env)

    def clause(id: str, text: str | None = None) -> str:
        """A link to a clause on its clause page, "8.4 Control of ..." unless `text` is given."""
        return session.macros().clause(id, text)

    def clause_title(id: str) -> str:
        """The clause's title alone (a paragraph without a heading: where it belongs)."""
        return session.macros().clause_title(id)

    def term(name: str, text: str | None = None) -> str:
        """A link to a term's glossary entry, with its explanation as the tooltip."""
        return session.macros().term(name, text)

    def page_clauses() -> str:
        """The clauses this page addresses, each linked, with the section that addresses it."""
        return session.macros().page_clauses()

    def coverage_summary() -> str:
        """Coverage overall and per top-level clause, as a table with progress bars."""
        return session.macros().coverage_summary()

    def pages_covering(id: str) -> str:
        """The pages and sections of the manual that address a clause."""
        return session.macros().pages_covering(id)

    def principle_card(number_or_name: str | int, link: str | None = None) -> str:
        """One quality management principle as a Material card."""
        return session.macros().principle_card(number_or_name, link)

    def principles_grid() -> str:
        """The seven quality management principles as Material grid cards."""
        return session.macros().principles_grid()

    def principle_links(number_or_name: str | int) -> str:
        """The clauses where a principle shows most and the terms it relies on, as lists."""
        return session.macros().principle_links(number_or_name)

    # `env.macro` registers a function under its own name (mkdocs-macros leaves it untyped).
    register = cast("Callable[[Callable[..., str]], object]", env.macro)
    for macro in (
        clause,
        clause_title,
        term,
        page_clauses,
        coverage_summary,
        pages_covering,
        principle_card,
        principles_grid,
        principle_links,
    ):
        register(macro)
