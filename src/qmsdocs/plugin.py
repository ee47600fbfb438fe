"""The MkDocs plugin: a thin adapter between MkDocs' build events and the qmsdocs core.

Event by event:

- `on_startup`: remember whether this is `mkdocs serve` (the plugin object is then kept
  across rebuilds, so everything per build is created afresh in `on_config`).
- `on_config`: load the catalogue, build the recogniser once, add the Markdown extension.
- `on_files`: add the generated clause pages (and the stylesheet).
- `on_nav`: give the clause pages a navigation section of their own.
- `on_page_markdown`: tell the extension which page is being rendered.
- `on_page_content`: keep what the extension recorded about the page.
- `on_env`: every page is rendered; fill the generated pages' placeholders (backlinks) and
  report the findings of the build, all together and sorted.
"""

from __future__ import annotations

import posixpath
from collections import defaultdict
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Section
from mkdocs.structure.pages import Page

from qmsdocs.config import QMSConfig
from qmsdocs.findings import Finding, QMSDataError, Severity, apply_severities
from qmsdocs.layout import ClausePage, Layout
from qmsdocs.markdown_ext import BuildContext, PageContext, QMSExtension
from qmsdocs.pages import PLACEHOLDER_RE, clause_page_markdown
from qmsdocs.records import LineLocator, PageRecord, Reference
from qmsdocs.references import Recognizer
from qmsdocs.render import Renderer
from qmsdocs.standards import Catalogue, resolve_catalogue

if TYPE_CHECKING:
    import jinja2
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.livereload import LiveReloadServer
    from mkdocs.structure.nav import Navigation

__all__ = ["QMSPlugin"]

log = get_plugin_logger(__name__)

STYLESHEET = "assets/qmsdocs/qmsdocs.css"


class QMSPlugin(BasePlugin[QMSConfig]):
    """Links clause references, generates clause pages, and reports what it finds."""

    supports_multiple_instances = False

    def __init__(self) -> None:
        self.is_serve = False
        self.catalogue: Catalogue | None = None
        self.context: BuildContext | None = None
        self.records: dict[str, PageRecord] = {}
        self.generated: dict[str, ClausePage] = {}
        self.data_files: list[Path] = []

    def on_startup(self, *, command: Literal["build", "gh-deploy", "serve"], dirty: bool) -> None:
        # Defining on_startup makes MkDocs keep this object across `serve` rebuilds.
        self.is_serve = command == "serve"

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        """Load the data once per build and add the Markdown extension."""
        base_dir = Path(config.config_file_path).parent if config.config_file_path else None
        try:
            self.catalogue = resolve_catalogue(self.config.standard, base_dir)
        except QMSDataError as error:
            raise PluginError(_data_error_message("the catalogue", error)) from None
        # The manual's own data files, for `mkdocs serve` to watch.
        spec = Path(self.config.standard)
        if base_dir is not None and spec.suffix in (".yml", ".yaml"):
            self.data_files = [spec if spec.is_absolute() else base_dir / spec]
        layout = Layout([self.catalogue], self.config.clause_pages_dir)
        self.context = BuildContext(Recognizer([self.catalogue]), layout)
        # A fresh start for every build: `mkdocs serve` reuses this object.
        self.records = {}
        self.generated = {page.src_uri: page for page in layout.pages()}
        # MkDocs accepts extension instances here, though its annotation says names.
        config.markdown_extensions.append(QMSExtension(self.context))  # type: ignore[arg-type]
        if STYLESHEET not in config.extra_css:
            config.extra_css.append(STYLESHEET)
        return config

    def on_serve(
        self,
        server: LiveReloadServer,
        *,
        config: MkDocsConfig,
        builder: Any,
    ) -> LiveReloadServer:
        """Rebuild when a data file of the manual's own changes, not only its pages."""
        for path in self.data_files:
            if path.exists():
                server.watch(str(path))
        return server

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        """Add the clause pages and the stylesheet as generated files."""
        assert self.context is not None
        for src_uri, page in self.generated.items():
            existing = files.get_file_from_path(src_uri)
            if existing is not None and existing.generated_by is None:
                raise PluginError(
                    f"qmsdocs: '{src_uri}' in the docs folder is where qmsdocs generates the "
                    f"clause pages. Rename or move it, or set the plugin option "
                    f"'clause_pages_dir' to another folder."
                )
            # NOT_IN_NAV: on_nav places them, so MkDocs need not report them as left out.
            files.append(
                File.generated(
                    config,
                    src_uri,
                    content=clause_page_markdown(page, self.context.layout),
                    inclusion=InclusionLevel.NOT_IN_NAV,
                )
            )
        if files.get_file_from_path(STYLESHEET) is None:
            css = resources.files("qmsdocs").joinpath("assets", "qmsdocs.css").read_text("utf-8")
            files.append(File.generated(config, STYLESHEET, content=css))
        return files

    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation:
        """Put the clause pages in a navigation section, unless `nav:` already places them."""
        ours = [files.get_file_from_path(src) for src in self.generated]
        pages = [f.page for f in ours if f is not None and isinstance(f.page, Page)]
        if config.nav is not None and any(page in nav.pages for page in pages):
            return nav
        assert self.catalogue is not None
        section = Section(self.config.clause_pages_nav or self.catalogue.label, list(pages))
        for page in pages:
            page.parent = section
        nav.items.append(section)
        _relink(nav)
        return nav

    def on_page_markdown(
        self,
        markdown: str,
        *,
        page: Page,
        config: MkDocsConfig,
        files: Files,
    ) -> str:
        """Tell the extension which page it is about to render."""
        assert self.context is not None
        src = page.file.src_uri
        self.context.current = PageContext(
            src,
            locator=LineLocator(markdown, _first_body_line(page, markdown)),
            clause_page=self.generated.get(src),
            link_clauses=self.config.link_clauses,
        )
        return markdown

    def on_page_content(
        self,
        html: str,
        *,
        page: Page,
        config: MkDocsConfig,
        files: Files,
    ) -> str:
        """Keep what the extension recorded while rendering the page."""
        assert self.context is not None
        current = self.context.current
        if current is not None and current.src_path == page.file.src_uri:
            self.records[current.src_path] = current.record
        self.context.current = None
        return html

    @event_priority(-50)  # after other plugins' on_env: every page and its toc are final
    def on_env(
        self, env: jinja2.Environment, *, config: MkDocsConfig, files: Files
    ) -> jinja2.Environment:
        """Fill in the generated pages and report the build's findings."""
        assert self.context is not None
        renderer = Renderer(env)
        references = _references_by_clause(self.records.values())
        for src_uri in self.generated:
            file = files.get_file_from_path(src_uri)
            if file is None or not isinstance(file.page, Page):
                continue
            page: Page = file.page
            if page.content is None:
                continue

            def fill(kind: str, args: str, page: Page = page) -> str:
                return self._fill(kind, args, page, files, references, renderer)

            page.content = _fill_placeholders(page.content, fill)
        self._report([f for record in self.records.values() for f in record.findings])
        return env

    def _fill(
        self,
        kind: str,
        args: str,
        page: Page,
        files: Files,
        references: dict[tuple[str, str], list[Reference]],
        renderer: Renderer,
    ) -> str:
        if kind != "clause":
            return ""
        catalogue_id, clause_id = args.split()
        assert self.catalogue is not None
        clause = self.catalogue[clause_id]
        return renderer.clause_status(
            clause,
            _links(references.get((catalogue_id, clause_id), []), page, files),
        )

    def _report(self, findings: list[Finding]) -> None:
        """Log every finding through MkDocs' logger; errors stop the build after all are shown."""
        findings = apply_severities(findings, self.config.checks)
        for finding in findings:
            if finding.severity is Severity.ERROR:
                log.error(str(finding))
            elif finding.severity is Severity.WARNING:
                log.warning(str(finding))
            else:
                log.info(str(finding))
        errors = [f for f in findings if f.severity is Severity.ERROR]
        if errors and not self.is_serve:
            raise PluginError(
                f"qmsdocs: {len(errors)} error(s) in the manual (listed above); "
                "the site was not published."
            )


def _fill_placeholders(html: str, fill: Callable[[str, str], str]) -> str:
    return PLACEHOLDER_RE.sub(lambda m: fill(m.group("kind"), m.group("args")), html)


def _data_error_message(what: str, error: QMSDataError) -> str:
    lines = [f"qmsdocs: cannot load {what}:"]
    lines += [f"  {finding}" for finding in error.findings]
    return "\n".join(lines)


def _first_body_line(page: Page, markdown: str) -> int:
    """The line of the file on which the Markdown body starts, after the front matter."""
    try:
        raw = page.file.content_string
    except (OSError, UnicodeDecodeError):
        return 1
    if raw.endswith(markdown):
        return raw[: len(raw) - len(markdown)].count("\n") + 1
    return 1


def _relink(nav: Navigation) -> None:
    """Recompute parents, the flat page list and previous/next after changing the tree."""

    def walk(items: list[Any], parent: Section | None) -> list[Page]:
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


def _references_by_clause(
    records: Any,
) -> dict[tuple[str, str], list[Reference]]:
    by_clause: dict[tuple[str, str], list[Reference]] = defaultdict(list)
    for record in sorted(records, key=lambda r: r.page):
        for reference in record.references:
            by_clause[reference.catalogue, reference.clause].append(reference)
    return by_clause


def _links(references: list[Reference], from_page: Page, files: Files) -> list[dict[str, str]]:
    """One link per citing page, to the section of its first citation, in page order."""
    links: list[dict[str, str]] = []
    seen: set[str] = set()
    for reference in references:
        if reference.page in seen:
            continue
        seen.add(reference.page)
        file = files.get_file_from_path(reference.page)
        if file is None or not isinstance(file.page, Page):
            continue
        url = file.url_relative_to(from_page.file)
        title = file.page.title or posixpath.basename(reference.page)
        section_title = _section_title(file.page, reference.section)
        # A citation under the page's own title is a citation by the page, not a section.
        if section_title == str(title):
            section_title = None
        if section_title:
            url += f"#{reference.section}"
        links.append({"url": url, "title": str(title), "section": section_title or ""})
    return links


def _section_title(page: Page, anchor: str | None) -> str | None:
    if not anchor:
        return None
    stack = list(page.toc)
    while stack:
        item = stack.pop()
        if item.id == anchor:
            return str(item.title)
        stack.extend(item.children)
    return None
