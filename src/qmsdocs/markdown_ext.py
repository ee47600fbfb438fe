"""The Python-Markdown extension: clause references in prose become links to clause pages.

It works inside MkDocs (the qmsdocs plugin adds it and tells it which page is being
rendered) and on its own, with plain Python-Markdown or another site generator that runs
Markdown extensions:

    markdown.markdown(text, extensions=["qmsdocs"],
                      extension_configs={"qmsdocs": {"page_path": "manual/scope.md"}})

It never imports MkDocs. Links are emitted as relative `.md#anchor` paths before MkDocs'
own link processor runs, so MkDocs rewrites them for `use_directory_urls` and validates them.
"""

from __future__ import annotations

import xml.etree.ElementTree as etree
from dataclasses import dataclass, field
from typing import Any

from markdown import Markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

from qmsdocs.findings import Finding
from qmsdocs.layout import ClausePage, Layout
from qmsdocs.manual import Declaration, HeadingMode, cite_heading, unknown_heading_finding
from qmsdocs.records import LineLocator, PageRecord, Reference
from qmsdocs.references import Recognizer, citation_findings
from qmsdocs.standards import resolve_catalogue
from qmsdocs.textruns import Link, insert_links, iter_runs

__all__ = ["BuildContext", "PageContext", "QMSExtension", "makeExtension"]

CLAUSE_LINK_CLASS = "qms-clause"
_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")


@dataclass
class PageContext:
    """What the processors need to know about the page being rendered."""

    src_path: str
    record: PageRecord = field(init=False)
    locator: LineLocator = field(default_factory=lambda: LineLocator(""))
    clause_page: ClausePage | None = None
    generated: bool = False  # any generated page: nothing on it is the manual's own word
    link_clauses: bool = True
    heading_mode: HeadingMode = "titles"

    def __post_init__(self) -> None:
        self.record = PageRecord(self.src_path)


@dataclass
class BuildContext:
    """State shared for one build: compiled recognisers, the page layout, the current page.

    The plugin creates one per build in `on_config` and sets `current` before each page is
    rendered (MkDocs renders pages one at a time).
    """

    recognizer: Recognizer
    layout: Layout
    current: PageContext | None = None


class ClauseAnchorTreeprocessor(Treeprocessor):
    """Gives the clause headings of generated clause pages their stable ids.

    Runs before `toc`, which keeps ids that are already set, so that the anchors do not
    depend on the site's slug function or on `attr_list` being enabled.
    """

    name = "qmsdocs_clause_anchors"

    def __init__(self, md: Markdown, context: BuildContext) -> None:
        super().__init__(md)
        self.context = context

    def run(self, root: etree.Element) -> None:
        page = self.context.current
        if page is None or page.clause_page is None:
            return
        catalogue = page.clause_page.catalogue
        for heading in root.iter():
            if heading.tag not in _HEADINGS:
                continue
            words = "".join(heading.itertext()).split(None, 1)
            clause = catalogue.get(words[0]) if words else None
            if clause is not None:
                heading.set("id", clause.anchor)


class HeadingCoverageTreeprocessor(Treeprocessor):
    """Records the headings that cite a clause: the section under them addresses it.

    Runs after `toc` so that each heading has its final id, the anchor coverage links use.
    """

    name = "qmsdocs_heading_coverage"

    def __init__(self, md: Markdown, context: BuildContext) -> None:
        super().__init__(md)
        self.context = context

    def run(self, root: etree.Element) -> None:
        page = self.context.current
        if page is None or page.generated or page.heading_mode == "off":
            return
        catalogue = self.context.recognizer.default
        for heading in root.iter():
            if heading.tag not in _HEADINGS:
                continue
            text = _heading_text(heading)
            citation = cite_heading(text, catalogue, self.context.recognizer, page.heading_mode)
            if citation is not None:
                page.record.declarations.append(
                    Declaration(
                        catalogue.id,
                        citation.clause,
                        page.src_path,
                        page.locator.line(text),
                        heading.get("id"),
                        text,
                        "heading",
                    )
                )
                continue
            finding = unknown_heading_finding(
                text, catalogue, page.src_path, page.locator.line(text)
            )
            if finding is not None:
                page.record.findings.append(finding)


class ClauseLinkTreeprocessor(Treeprocessor):
    """Links the clause citations of the prose and records them on the page's record."""

    name = "qmsdocs_clause_links"

    def __init__(self, md: Markdown, context: BuildContext) -> None:
        super().__init__(md)
        self.context = context

    def run(self, root: etree.Element) -> None:
        page = self.context.current
        if page is None or page.generated:
            return
        recognizer = self.context.recognizer
        layout = self.context.layout
        for run in iter_runs(root, self.md.htmlStash.rawHtmlBlocks):
            citations = recognizer.scan(run.text)
            if not citations:
                continue
            links: list[Link] = []
            for citation in citations:
                if citation.catalogue is None:
                    continue
                catalogue = recognizer.catalogue(citation.catalogue)
                if citation.unknown:
                    page.record.findings.extend(
                        citation_findings(
                            citation,
                            catalogue,
                            page.src_path,
                            page.locator.line(citation.text),
                        )
                    )
                for clause_id in citation.clauses:
                    page.record.references.append(
                        Reference(
                            catalogue.id, clause_id, page.src_path, run.section, citation.text
                        )
                    )
                if not page.link_clauses:
                    continue
                for item in citation.links:
                    clause = catalogue[item.clause_id]
                    links.append(
                        Link(
                            item.start,
                            item.end,
                            layout.href(catalogue.id, clause, page.src_path),
                            catalogue.tooltip(clause.id),
                            CLAUSE_LINK_CLASS,
                        )
                    )
            insert_links(run, links)


class QMSExtension(Extension):
    """Links ISO 9001 clause references (and, with the plugin, records coverage).

    | Class                       | Registry       | Name                   | Priority |
    |-----------------------------|----------------|------------------------|----------|
    | ClauseAnchorTreeprocessor    | treeprocessors | qmsdocs_clause_anchors   | 6        |
    | HeadingCoverageTreeprocessor | treeprocessors | qmsdocs_heading_coverage | 4.5      |
    | ClauseLinkTreeprocessor      | treeprocessors | qmsdocs_clause_links     | 4        |
    """

    def __init__(self, context: BuildContext | None = None, **kwargs: Any) -> None:
        self.config = {
            "catalogue": [
                "iso9001-2015",
                "Built-in catalogue id or path of a catalogue file. Default: iso9001-2015",
            ],
            "clause_pages_dir": [
                "clauses",
                "Docs-relative folder of the clause pages. Default: clauses",
            ],
            "page_path": [
                "index.md",
                "Docs-relative path of the page being converted, for relative links. "
                "Default: index.md",
            ],
        }
        super().__init__(**kwargs)
        self._context = context
        self._standalone: BuildContext | None = None

    def _build_context(self) -> BuildContext:
        """The plugin's context, or (standalone) one built once from this extension's config."""
        if self._context is not None:
            return self._context
        if self._standalone is None:
            catalogue = resolve_catalogue(self.getConfig("catalogue"))
            self._standalone = BuildContext(
                Recognizer([catalogue]), Layout([catalogue], self.getConfig("clause_pages_dir"))
            )
        return self._standalone

    def extendMarkdown(self, md: Markdown) -> None:
        md.registerExtension(self)
        context = self._build_context()
        self.md = md
        md.treeprocessors.register(
            ClauseAnchorTreeprocessor(md, context),
            ClauseAnchorTreeprocessor.name,
            6,  # after abbr (7) and attr_list (8), before toc (5), which keeps our ids
        )
        md.treeprocessors.register(
            _StandalonePage(md, self) if self._context is None else _Noop(md),
            "qmsdocs_page",
            30,  # before inline (20): set up the page before any of ours runs
        )
        md.treeprocessors.register(
            HeadingCoverageTreeprocessor(md, context),
            HeadingCoverageTreeprocessor.name,
            4.5,  # after toc (5): headings have their ids
        )
        md.treeprocessors.register(
            ClauseLinkTreeprocessor(md, context),
            ClauseLinkTreeprocessor.name,
            4,  # after toc (5), so headings have ids for sections; before relpath (0)
        )

    def reset(self) -> None:
        if self._context is None and self._standalone is not None:
            self._standalone.current = None

    @property
    def record(self) -> PageRecord | None:
        """Standalone use: what the last conversion recorded (citations, findings)."""
        context = self._context or self._standalone
        return context.current.record if context and context.current else None

    @property
    def findings(self) -> list[Finding]:
        record = self.record
        return list(record.findings) if record else []


def _heading_text(heading: etree.Element) -> str:
    """The heading as a reader sees it, without the permalink symbol `toc` may append."""
    parts: list[str] = []

    def walk(element: etree.Element) -> None:
        if element is not heading and "headerlink" in (element.get("class") or "").split():
            parts.append(element.tail or "")
            return
        parts.append(element.text or "")
        for child in element:
            walk(child)
        if element is not heading:
            parts.append(element.tail or "")

    walk(heading)
    return " ".join("".join(parts).split())


class _Noop(Treeprocessor):
    def run(self, root: etree.Element) -> None:
        return None


class _StandalonePage(Treeprocessor):
    """Without the plugin, each conversion is a page of its own, named by `page_path`."""

    def __init__(self, md: Markdown, extension: QMSExtension) -> None:
        super().__init__(md)
        self.extension = extension

    def run(self, root: etree.Element) -> None:
        context = self.extension._build_context()
        source = "\n".join(getattr(self.md, "lines", []) or [])
        context.current = PageContext(
            self.extension.getConfig("page_path"), locator=LineLocator(source)
        )


def makeExtension(**kwargs: Any) -> QMSExtension:
    return QMSExtension(**kwargs)
