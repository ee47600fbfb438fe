"""The MkDocs plugin: a thin adapter between MkDocs' build events and the qmsdocs core.

Event by event:

- `on_startup`: remember whether this is `mkdocs serve` (the plugin object is then kept
  across rebuilds, so everything per build is created afresh in `on_config`).
- `on_config`: load the catalogue, build the recogniser once, add the Markdown extension.
- `on_files`: add the generated pages (clause pages, coverage page), the coverage exports and
  the stylesheet.
- `on_nav`: give the generated pages a navigation section of their own.
- `on_page_markdown`: read the page's front matter; tell the extension which page it renders.
- `on_page_content`: keep what the extension recorded about the page.
- `on_env`: every page is rendered; compute coverage, fill the generated pages' placeholders,
  write the exports, report every finding of the build together, and stop the build (the
  gate) if any is an error.
"""

from __future__ import annotations

import datetime as dt
import posixpath
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import replace
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Section
from mkdocs.structure.pages import Page

from qmsdocs.config import QMSConfig
from qmsdocs.coverage import Coverage, compute_coverage
from qmsdocs.documents import DocumentControl, check_documents, today
from qmsdocs.editions import Editions, load_editions
from qmsdocs.exports import coverage_csv, coverage_json, documents_csv, documents_json
from qmsdocs.exports import generator as export_generator
from qmsdocs.findings import Finding, QMSDataError, Severity, apply_severities
from qmsdocs.gitdates import git_last_changed
from qmsdocs.glossary import TermUse, load_site_vocabulary, sections
from qmsdocs.layout import ClausePage, Layout
from qmsdocs.manual import (
    Declaration,
    FrontMatter,
    HeadingMode,
    read_front_matter,
    split_front_matter,
)
from qmsdocs.markdown_ext import BuildContext, LinkTerms, PageContext, QMSExtension
from qmsdocs.pages import (
    PLACEHOLDER_MARK,
    PLACEHOLDER_RE,
    clause_page_markdown,
    coverage_page_markdown,
    glossary_page_markdown,
    register_page_markdown,
    transition_page_markdown,
)
from qmsdocs.records import LineLocator, PageRecord, Reference
from qmsdocs.references import Recognizer
from qmsdocs.render import GlossaryViews, Renderer, Views, document_view, render_clause_status
from qmsdocs.searchindex import SearchText, document_search_html, index_with
from qmsdocs.sitepages import SitePages
from qmsdocs.sources import source_problems, symlink_loops
from qmsdocs.standards import Catalogue
from qmsdocs.terms import TermMatcher
from qmsdocs.transition import (
    CHANGE_LABELS,
    carry_declarations,
    carry_exclusions,
    transition_report,
)
from qmsdocs.vocabulary import Vocabulary

if TYPE_CHECKING:
    import jinja2
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.livereload import LiveReloadServer
    from mkdocs.structure.nav import Navigation

__all__ = ["QMSPlugin"]

log = get_plugin_logger(__name__)

STYLESHEET = "assets/qmsdocs/qmsdocs.css"


class QMSPlugin(BasePlugin[QMSConfig]):
    """Links clause references, generates clause and coverage pages, gates the build."""

    supports_multiple_instances = False

    def __init__(self) -> None:
        self.is_serve = False
        self.catalogue: Catalogue | None = None
        self.context: BuildContext | None = None
        self.data_files: list[Path] = []
        # Per build (reset in on_config):
        self.clause_pages: dict[str, ClausePage] = {}
        self.coverage_page: str | None = None
        self.glossary_page: str | None = None
        self.glossary_ids: dict[str, str] = {}
        self.vocabulary: Vocabulary | None = None
        self.data_findings: list[Finding] = []
        self.exports: dict[str, str] = {}  # docs path -> "json" | "csv"
        self.front: dict[str, FrontMatter] = {}
        self.records: dict[str, PageRecord] = {}
        self.dynamic: set[str] = set()  # pages of the manual holding placeholders (macros)
        self.extra_findings: list[Finding] = []  # reported by the macros
        self.coverage: Coverage | None = None
        self.coverages: dict[str, Coverage] = {}
        self.declarations: list[Declaration] = []
        self.editions: Editions | None = None
        self.transition_page: str | None = None
        self.register_page: str | None = None
        self.today = today()
        self.git_dates: dict[str, dt.date] = {}
        self.renderer: Renderer | None = None
        self.search_text = SearchText()

    def add_finding(self, finding: Finding) -> None:
        """Report a finding from outside the plugin (the macros); it joins the build's report."""
        self.extra_findings.append(finding)

    def on_startup(self, *, command: Literal["build", "gh-deploy", "serve"], dirty: bool) -> None:
        # Defining on_startup makes MkDocs keep this object across `serve` rebuilds.
        self.is_serve = command == "serve"

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        """Load the data once per build and add the Markdown extension."""
        base_dir = Path(config.config_file_path).parent if config.config_file_path else None
        try:
            self.editions = load_editions(
                self.config.standard, self.config.editions, base_dir, self.config.confirmed
            )
        except QMSDataError as error:
            raise PluginError(_data_error_message("the catalogue", error)) from None
        self.catalogue = self.editions.primary
        # The manual's own data files, for `mkdocs serve` to watch.
        self.data_files = []
        for spec in (self.config.standard, *self.config.editions):
            path = Path(spec)
            if base_dir is not None and path.suffix in (".yml", ".yaml"):
                self.data_files.append(path if path.is_absolute() else base_dir / path)
        # A fresh start for every build: `mkdocs serve` reuses this object.
        self.data_findings = []
        self.vocabulary = self._load_vocabulary(base_dir or Path.cwd())
        layout = Layout(self.editions.catalogues, self.config.clause_pages_dir)
        self.glossary_page = self.config.glossary_page or None
        self.context = BuildContext(
            Recognizer(self.editions.catalogues, self.editions.correspondences),
            layout,
            self.vocabulary,
            TermMatcher(self.vocabulary) if self.config.link_terms != "off" else None,
            self.glossary_page,
            self.config.tooltip_length,
        )
        self.clause_pages = {page.src_uri: page for page in layout.pages()}
        self.coverage_page = self.config.coverage_page or None
        self.exports = {}
        if self.coverage_page:
            stem = posixpath.splitext(self.coverage_page)[0]
            self.exports = {f"{stem}.json": "coverage-json", f"{stem}.csv": "coverage-csv"}
            # Other editions' coverage, during a transition: coverage-iso9001-2026.json, ...
            for other in self.editions.others:
                self.exports[f"{stem}-{other.id}.json"] = f"coverage-json:{other.id}"
                self.exports[f"{stem}-{other.id}.csv"] = f"coverage-csv:{other.id}"
        self.transition_page = (
            self.config.transition_page or None if self.editions.transition() else None
        )
        self.glossary_ids = {}
        self.front = {}
        self.records = {}
        self.dynamic = set()
        self.extra_findings = []
        self.coverage = None
        self.coverages = {}
        self.today = today()
        self.renderer = Renderer(config.theme.get_env())
        self.search_text = SearchText()
        self.register_page = self.config.register_page or None
        if self.register_page:
            stem = posixpath.splitext(self.register_page)[0]
            self.exports.update({f"{stem}.json": "documents-json", f"{stem}.csv": "documents-csv"})
        self.git_dates = git_last_changed(Path(config.docs_dir)) if self.config.git_dates else {}
        # MkDocs accepts extension instances here, though its annotation says names.
        config.markdown_extensions.append(QMSExtension(self.context))  # type: ignore[arg-type]
        if STYLESHEET not in config.extra_css:
            config.extra_css.append(STYLESHEET)
        return config

    def _load_vocabulary(self, base_dir: Path) -> Vocabulary:
        """The ISO 9000 terms and the organisation's glossary files, loaded once per build."""
        try:
            vocabulary, findings, folder = load_site_vocabulary(
                base_dir, self.config.glossary_dir, iso_terms=self.config.iso_terms
            )
        except QMSDataError as error:
            raise PluginError(_data_error_message("the glossary", error)) from None
        if folder is not None:
            self.data_files.append(folder)
        self.data_findings += findings
        return vocabulary

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

    def _generated(self) -> dict[str, str]:
        """Docs path -> what qmsdocs generates there, for conflicts and skipping."""
        paths = {src: "clause page" for src in self.clause_pages}
        if self.coverage_page:
            paths[self.coverage_page] = "coverage page"
        if self.glossary_page:
            paths[self.glossary_page] = "glossary page"
        if self.transition_page:
            paths[self.transition_page] = "transition page"
        if self.register_page:
            paths[self.register_page] = "document register"
        paths.update({src: f"export ({kind})" for src, kind in self.exports.items()})
        return paths

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        """Check the sources, then add the generated pages, the exports and the stylesheet."""
        assert self.context is not None and self.catalogue is not None
        # Problems MkDocs itself would meet with a traceback, reported as what they are.
        problems = symlink_loops(Path(config.docs_dir))
        problems += source_problems(
            (f.src_uri, Path(f.abs_src_path))
            for f in files.documentation_pages()
            if f.abs_src_path is not None and f.generated_by is None
        )
        if problems:
            listed = "\n".join(f"  - {finding}" for finding in problems)
            raise PluginError(f"qmsdocs: the manual's files cannot be used:\n{listed}")
        for src_uri, what in self._generated().items():
            existing = files.get_file_from_path(src_uri)
            if existing is not None and existing.generated_by is None:
                option = {
                    "clause page": "clause_pages_dir",
                    "glossary page": "glossary_page",
                    "document register": "register_page",
                    "export (documents-json)": "register_page",
                    "export (documents-csv)": "register_page",
                    "transition page": "transition_page",
                }.get(what, "coverage_page")
                raise PluginError(
                    f"qmsdocs: '{src_uri}' in the docs folder is where qmsdocs generates the "
                    f"{what}. Rename or move it, or set the plugin option '{option}' to "
                    "another path."
                )
        # NOT_IN_NAV: on_nav places the pages, so MkDocs need not report them as left out.
        for src_uri, page in self.clause_pages.items():
            content = clause_page_markdown(page, self.context.layout)
            files.append(
                File.generated(
                    config, src_uri, content=content, inclusion=InclusionLevel.NOT_IN_NAV
                )
            )
        names = {kind: posixpath.basename(path) for path, kind in self.exports.items()}
        if self.coverage_page:
            content = coverage_page_markdown(
                self.catalogue,
                names["coverage-json"],
                names["coverage-csv"],
                others=[
                    (c, names[f"coverage-json:{c.id}"], names[f"coverage-csv:{c.id}"])
                    for c in self.editions.others
                ]
                if self.editions
                else [],
            )
            files.append(
                File.generated(
                    config, self.coverage_page, content=content, inclusion=InclusionLevel.NOT_IN_NAV
                )
            )
        if self.register_page:
            content = register_page_markdown(names["documents-json"], names["documents-csv"])
            files.append(
                File.generated(
                    config, self.register_page, content=content, inclusion=InclusionLevel.NOT_IN_NAV
                )
            )
        if self.transition_page and self.editions is not None:
            transition = self.editions.transition()
            assert transition is not None
            files.append(
                File.generated(
                    config,
                    self.transition_page,
                    content=transition_page_markdown(transition),
                    inclusion=InclusionLevel.NOT_IN_NAV,
                )
            )
        # Written for real in on_env, once coverage and the documents are known.
        for src_uri in self.exports:
            files.append(File.generated(config, src_uri, content=""))
        if self.glossary_page and self.vocabulary is not None:
            # The page lists every term unless the site asks for the used ones only; which
            # those are is known after rendering, so the page lists all and on_env drops the rest.
            content, self.glossary_ids = glossary_page_markdown(
                sections(self.vocabulary, self.vocabulary.terms), "Glossary"
            )
            files.append(
                File.generated(
                    config, self.glossary_page, content=content, inclusion=InclusionLevel.NOT_IN_NAV
                )
            )
        if files.get_file_from_path(STYLESHEET) is None:
            css = resources.files("qmsdocs").joinpath("assets", "qmsdocs.css").read_text("utf-8")
            files.append(File.generated(config, STYLESHEET, content=css))
        return files

    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation:
        """Put the generated pages in a navigation section, unless `nav:` already places them."""
        assert self.context is not None and self.editions is not None
        layout = self.context.layout
        extra = [
            p
            for p in (
                self.coverage_page,
                self.register_page,
                self.glossary_page,
                self.transition_page,
            )
            if p
        ]
        sections: list[tuple[str, list[str]]] = []
        for catalogue in self.editions.catalogues:
            order = [page.src_uri for page in layout.pages(catalogue.id)]
            if catalogue is self.editions.primary:
                order[1:1] = extra  # right after the clause index
                title = self.config.clause_pages_nav or catalogue.label
            else:
                title = catalogue.label + (" (provisional)" if catalogue.provisional else "")
            sections.append((title, order))
        found = [
            (title, [files.get_file_from_path(src) for src in order]) for title, order in sections
        ]
        placed = [
            (title, [f.page for f in ours if f is not None and isinstance(f.page, Page)])
            for title, ours in found
        ]
        if config.nav is not None and any(p in nav.pages for _, pages in placed for p in pages):
            return nav
        for title, pages in placed:
            nav.items.append(Section(title, list(pages)))
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
        """Read the page's front matter and tell the extension which page it is rendering."""
        assert self.context is not None and self.catalogue is not None
        src = page.file.src_uri
        generated = src in self._generated()
        link_clauses = self.config.link_clauses
        heading_mode: HeadingMode = self.config.heading_coverage  # type: ignore[assignment]
        link_terms: LinkTerms = self.config.link_terms  # type: ignore[assignment]
        # The page's own source, read once: another plugin may have rewritten `markdown`.
        source, problem = _page_source(page)
        if not generated:
            if source is None:
                front = FrontMatter(src)
                front.findings.append(Finding("unreadable-page", problem, src))
            else:
                front = self._read_front_matter(src, source)
                # The raw YAML (with its line map) is read; the build keeps what was read.
                front.data = {}
            self.front[src] = front
            if front.options.link_clauses is not None:
                link_clauses = front.options.link_clauses
            if front.options.heading_coverage is not None:
                heading_mode = front.options.heading_coverage
            if front.options.link_terms is not None:
                link_terms = front.options.link_terms
        self.context.current = PageContext(
            src,
            locator=_source_locator(source, markdown),
            clause_page=self.clause_pages.get(src),
            generated=generated,
            link_clauses=link_clauses,
            heading_mode=heading_mode,
            link_terms=link_terms,
            heading_ids=self.glossary_ids if src == self.glossary_page else {},
            resolve=SitePages(files).resolver(page.file),
        )
        return markdown

    def _read_front_matter(self, src: str, text: str) -> FrontMatter:
        assert self.context is not None and self.catalogue is not None
        return read_front_matter(
            src,
            text,
            self.catalogue,
            self.context.recognizer,
            document_fields=self.config.document_fields,
        )

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
        # Placeholders in a page of the manual (written by the macros) are filled in on_env.
        if PLACEHOLDER_MARK in html and page.file.src_uri not in self._generated():
            self.dynamic.add(page.file.src_uri)
        front = self.front.get(page.file.src_uri)
        if front is not None and front.document is not None and self.config.document_header:
            html = self._document_panels(html, page, front.document)
        return html

    def _document_panels(self, html: str, page: Page, document: DocumentControl) -> str:
        """The document control panel after the page's title, the revision history at the end.

        Rendered from the theme's environment later would be too late for search and the
        table of contents; a plain environment with the same overridable templates serves.
        """
        view = document_view(
            document,
            str(page.title or ""),
            page.file.url,
            self.today,
            self.config.review_warning_days,
            self.git_dates.get(page.file.src_uri),
        )
        renderer = self.renderer or Renderer()
        header = renderer.render("document-header.html", doc=view)
        history = renderer.render("document-history.html", doc=view)
        indexed_header, indexed_history = document_search_html(view, history)
        self.search_text.swap(page.file.src_uri, header, indexed_header)
        self.search_text.swap(page.file.src_uri, history, indexed_history)
        title_end = _H1_END_RE.search(html)
        if title_end is not None and not html[: title_end.start()].strip().startswith("<p"):
            html = html[: title_end.end()] + "\n" + header + html[title_end.end() :]
        else:
            html = header + "\n" + html
        if page.present_anchor_ids is not None:
            page.present_anchor_ids |= {"document-control", "revision-history"}
        return html + "\n" + history

    @event_priority(-50)  # after other plugins' on_env: every page and its toc are final
    def on_env(
        self,
        env: jinja2.Environment,
        *,
        config: MkDocsConfig,
        files: Files,
    ) -> jinja2.Environment:
        """Compute coverage, fill in the generated pages and exports, report, and gate."""
        assert self.context is not None and self.catalogue is not None
        declarations = [d for front in self.front.values() for d in front.clauses]
        for record in self.records.values():
            # A section of a controlled page shares its page's document status.
            front = self.front.get(record.page)
            status = front.document.status if front and front.document else None
            declarations += [replace(d, document_status=status) for d in record.declarations]
        exclusions = [e for front in self.front.values() for e in front.exclusions]
        references = [r for record in self.records.values() for r in record.references]
        assert self.editions is not None
        carried = self.editions.loaded_correspondences()
        # Each edition's coverage: its own declarations, and those of the other editions that
        # the correspondence carries over (a page addressing 2015 10.3 addresses 2026 10.1).
        self.coverages = {
            catalogue.id: compute_coverage(
                catalogue,
                carry_declarations(declarations, catalogue, carried),
                carry_exclusions(exclusions, catalogue, carried),
                references,
                parent_covers_children=self.config.parent_covers_children,
                count_drafts=self.config.count_drafts,
            )
            for catalogue in self.editions.catalogues
        }
        self.coverage = self.coverages[self.catalogue.id]
        self.declarations = declarations
        documents = [f.document for f in self.front.values() if f.document is not None]
        site = SitePages(files)
        register = self._document_views(documents, site)
        self._fill_pages(env, site, references)
        self._fill_glossary(env, site)
        self._fill_register(env, site, register)
        self._write_exports(site, register)
        findings = list(self.data_findings) + list(self.extra_findings)
        findings += check_documents(documents, self.today, self.config.review_warning_days)
        findings += [f for front in self.front.values() for f in front.findings]
        findings += [f for record in self.records.values() for f in record.findings]
        findings += self.coverage.findings
        if self.config.gate_editions == "all":
            for other in self.editions.others:
                findings += [
                    replace(f, message=f"{other.label}: {f.message}")
                    for f in self.coverages[other.id].findings
                    if f.code == "missing-clause"
                ]
        self._report(findings)
        # Every page is rendered; the search plugins index them next, from on_page_context.
        index_with(config.plugins.values(), self.search_text)
        return env

    def _fill_pages(
        self, env: jinja2.Environment, site: SitePages, references: list[Reference]
    ) -> None:
        assert self.context is not None and self.coverage is not None
        renderer = Renderer(env)
        by_clause: dict[tuple[str, str], list[Reference]] = defaultdict(list)
        for reference in references:
            by_clause[reference.catalogue, reference.clause].append(reference)
        pages = [
            *self.clause_pages,
            *[p for p in (self.coverage_page, self.transition_page) if p],
        ]
        for src_uri in [*pages, *sorted(self.dynamic)]:
            file = site.file(src_uri)
            if file is None or not isinstance(file.page, Page) or file.page.content is None:
                continue
            url_for, title_for = site.url_maker(file), site.title_for
            cache: dict[str, Views] = {}

            def views_for(
                catalogue_id: str,
                cache: dict[str, Views] = cache,
                url_for: Any = url_for,
                title_for: Any = title_for,
                src_uri: str = src_uri,
            ) -> Views:
                if catalogue_id not in cache:
                    assert self.context is not None
                    coverage = self.coverages.get(catalogue_id, self.coverage)
                    assert coverage is not None
                    cache[catalogue_id] = Views(
                        coverage,
                        self.context.layout,
                        url_for,
                        title_for,
                        src_uri,
                        backlinks_limit=self.config.backlinks_limit,
                    )
                return cache[catalogue_id]

            def fill(kind: str, args: str, views_for: Any = views_for) -> str:
                return self._fill(kind, args, views_for, renderer, by_clause)

            _fill_page(file.page, fill)

    def _fill_glossary(self, env: jinja2.Environment, site: SitePages) -> None:
        """Fill the glossary page: entries, "used on" backlinks, the A to Z index."""
        if not self.glossary_page or self.vocabulary is None:
            return
        file = site.file(self.glossary_page)
        if file is None or not isinstance(file.page, Page) or file.page.content is None:
            return
        uses: dict[str, list[TermUse]] = defaultdict(list)
        seen: set[tuple[str, str]] = set()  # (term, page): one "used on" link per page
        for record in sorted(self.records.values(), key=lambda r: r.page):
            for use in record.terms:
                if (use.key, use.page) not in seen:
                    seen.add((use.key, use.page))
                    uses[use.key].append(use)
        listed = [
            t for t in self.vocabulary if self.config.glossary_list == "all" or uses.get(t.key)
        ]
        views = GlossaryViews(
            self.vocabulary,
            uses,
            site.url_maker(file),
            site.title_for,
            listed,
            backlinks_limit=self.config.backlinks_limit,
        )
        renderer = Renderer(env)
        groups = {s.id: s for s in sections(self.vocabulary, listed)}

        def fill(kind: str, args: str) -> str:
            if kind == "glossary-group":
                section = groups.get(args.strip())
                entries = [views.entry(t) for t in section.terms] if section else []
                return renderer.render("glossary-group.html", entries=entries)
            if kind == "glossary-letters":
                return renderer.render("glossary-letters.html", letters=views.letters())
            if kind == "glossary-index":
                return renderer.render("glossary-index.html", letters=views.letters())
            return ""

        _fill_page(file.page, fill)

    def _fill(
        self,
        kind: str,
        args: str,
        views_for: Callable[[str], Views],
        renderer: Renderer,
        references: dict[tuple[str, str], list[Reference]],
    ) -> str:
        assert self.catalogue is not None
        words = args.split()
        # Placeholders name their catalogue first, except the page-clauses of a page.
        catalogue_id = words[0] if words and words[0] in self.coverages else self.catalogue.id
        views = views_for(catalogue_id)
        catalogue = views.catalogue
        if kind == "clause":
            clause_id = words[1]
            return render_clause_status(
                renderer,
                views,
                catalogue[clause_id],
                references.get((catalogue.id, clause_id), []),
            )
        if kind == "transition":
            return self._render_transition(renderer, views)
        coverage = views.coverage
        if kind == "coverage-status":
            return renderer.render(
                "coverage-status.html",
                complete=coverage.complete,
                missing=[views.clause_link(c) for c in coverage.missing()],
                summary=views.summaries()[-1],
            )
        if kind == "coverage-summary":
            return renderer.render("coverage-summary.html", rows=views.summaries())
        if kind == "coverage-matrix":
            rows = [views.verdict(v) for v in coverage.verdicts.values()]
            # Ids stay unique when several editions' matrices share the page.
            prefix = "coverage-" if catalogue is self.catalogue else f"coverage-{catalogue.id}-"
            return renderer.render("coverage-matrix.html", rows=rows, prefix=prefix)
        if kind == "coverage-pages":
            return renderer.render("coverage-pages.html", rows=views.pages())
        if kind == "pages-covering":
            clause = catalogue.get(args.split()[-1])
            verdict = coverage.verdicts.get(clause.id) if clause else None
            return renderer.render(
                "pages-covering.html", verdict=views.verdict(verdict) if verdict else None
            )
        if kind == "page-clauses":
            page = args.strip()
            declarations = coverage.pages().get(page, [])
            return renderer.render(
                "page-clauses.html",
                clauses=[
                    {
                        **views.clause_link(catalogue[d.clause]),
                        "where": views.location(d.page, d.section),
                    }
                    for d in declarations
                ],
            )
        return ""

    def _document_views(
        self, documents: list[DocumentControl], site: SitePages
    ) -> list[dict[str, Any]]:
        """The register's rows: every controlled document, by id (then page)."""
        info = site.info
        rows = []
        for document in sorted(documents, key=lambda d: (d.id.casefold(), d.page)):
            url, title = info(document.page)
            rows.append(
                document_view(
                    document,
                    title,
                    url or document.page,
                    self.today,
                    self.config.review_warning_days,
                    self.git_dates.get(document.page),
                )
            )
        return rows

    def _fill_register(
        self, env: jinja2.Environment, site: SitePages, register: list[dict[str, Any]]
    ) -> None:
        if not self.register_page:
            return
        file = site.file(self.register_page)
        if file is None or not isinstance(file.page, Page):
            return
        renderer = Renderer(env)
        url_for = site.url_maker(file)
        rows = [{**row, "url": url_for(row["page"], None)} for row in register]
        counts = {
            "overdue": sum(r["review_state"] == "overdue" for r in rows),
            "due_soon": sum(r["review_state"] == "due-soon" for r in rows),
        }

        def fill(kind: str, _args: str) -> str:
            if kind != "document-register":
                return ""
            return renderer.render(
                "document-register.html",
                documents=rows,
                today=self.today.isoformat(),
                counts=counts,
                warn_days=self.config.review_warning_days,
            )

        _fill_page(file.page, fill)

    def _render_transition(self, renderer: Renderer, views: Views) -> str:
        assert self.editions is not None
        correspondence = self.editions.transition()
        if correspondence is None:
            return ""
        report = transition_report(correspondence, self.declarations)
        source, target = correspondence.source, correspondence.target
        items = []
        for item in report.items:
            entry = item.entry
            items.append(
                {
                    "change": entry.change,
                    "label": entry.label,
                    "note": entry.note,
                    "source": _clause_view(views, source, entry.source),
                    "target": _clause_view(views, target, entry.target),
                    "review": views.declarations(list(item.addressed_by)),
                    "move": [
                        {
                            **views.location(d.page, d.section),
                            "heading": d.source == "heading",
                        }
                        for d in item.must_move
                    ],
                    "open": item.open,
                }
            )
        counts = {change: report.count(change) for change in CHANGE_LABELS}
        return renderer.render(
            "transition.html",
            source=source.label,
            target=target.label,
            provisional=correspondence.provisional,
            items=items,
            counts=counts,
            labels=CHANGE_LABELS,
            open=[i for i in items if i["open"]],
            moves=[i for i in items if i["move"]],
            review=[i for i in items if i["review"]],
        )

    def _write_exports(self, site: SitePages, register: list[dict[str, Any]]) -> None:
        assert self.coverage is not None
        info = site.info
        generator = export_generator()
        documents = [
            {k: v for k, v in row.items() if k not in ("last_changed",)} for row in register
        ]
        for src_uri, kind in self.exports.items():
            file = site.file(src_uri)
            if file is None:
                continue
            kind, _, catalogue_id = kind.partition(":")
            coverage = self.coverages.get(catalogue_id, self.coverage)
            if kind == "coverage-json":
                file.content_string = coverage_json(coverage, info, generator)
            elif kind == "coverage-csv":
                file.content_string = coverage_csv(coverage, info)
            elif kind == "documents-json":
                file.content_string = documents_json(documents, self.today.isoformat(), generator)
            else:
                file.content_string = documents_csv(documents)

    def _report(self, findings: list[Finding]) -> None:
        """Log the findings; errors stop `mkdocs build` in one message, after all are known."""
        findings = apply_severities(findings, self.config.checks)
        errors = [f for f in findings if f.severity is Severity.ERROR]
        for finding in findings:
            if finding.severity is Severity.WARNING:
                log.warning(str(finding))
            elif finding.severity is Severity.INFO:
                log.info(str(finding))
        if not errors:
            return
        if self.is_serve and not self.config.gate_on_serve:
            # Authors keep writing while serving; the coverage page shows the gaps.
            for finding in errors:
                log.warning(f"{finding} (`mkdocs build` stops on this)")
            return
        listed = "\n".join(f"  - {finding}" for finding in errors)
        raise PluginError(
            f"qmsdocs: the manual was not published: {len(errors)} error(s).\n{listed}"
        )


def _clause_view(
    views: Views, catalogue: Catalogue, clause_id: str | None
) -> dict[str, str] | None:
    """A clause of either edition, linked to its clause page."""
    if clause_id is None:
        return None
    clause = catalogue[clause_id]
    page, anchor = views.layout.target(catalogue.id, clause)
    return {
        "id": clause.id,
        "title": clause.title or catalogue.context_title(clause.id),
        "url": views.url_for(page, anchor),
    }


def _fill_placeholders(html: str, fill: Callable[[str, str], str]) -> str:
    return PLACEHOLDER_RE.sub(lambda m: fill(m.group("kind"), m.group("args")), html)


_ID_RE = re.compile(r'\bid="([^"]+)"')
_H1_END_RE = re.compile(r"</h1>")


def _fill_page(page: Page, fill: Callable[[str, str], str]) -> None:
    """Fill a rendered page's placeholders, and tell MkDocs about the anchors they add.

    MkDocs collects a page's anchors while rendering it and checks links against them after
    on_env; fragments added here would otherwise count as missing anchors.
    """
    if page.content is None:
        return
    added: set[str] = set()

    def filled(kind: str, args: str) -> str:
        html = fill(kind, args)
        added.update(_ID_RE.findall(html))
        return html

    page.content = _fill_placeholders(page.content, filled)
    if page.present_anchor_ids is not None:
        page.present_anchor_ids |= added


def _data_error_message(what: str, error: QMSDataError) -> str:
    lines = [f"qmsdocs: cannot load {what}:"]
    lines += [f"  {finding}" for finding in error.findings]
    return "\n".join(lines)


def _page_source(page: Page) -> tuple[str | None, str]:
    """(the page's source, or None and why it cannot be read)."""
    try:
        return page.file.content_string, ""
    except (OSError, UnicodeDecodeError) as error:
        return None, f"cannot read the page: {error}"


def _source_locator(source: str | None, markdown: str) -> LineLocator:
    """Finds lines in the page's own source, not in the Markdown this event received.

    Another plugin (mkdocs-macros) may already have rewritten the Markdown; findings must
    name the lines the author wrote.
    """
    if source is None:
        return LineLocator(markdown)
    _front, body, body_line = split_front_matter(source)
    return LineLocator(body, body_line)


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
