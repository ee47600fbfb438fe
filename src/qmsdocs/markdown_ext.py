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

import difflib
import functools
import re
import xml.etree.ElementTree as etree
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from markdown import Markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

from qmsdocs.findings import Finding, QMSDataError, Severity
from qmsdocs.glossary import TermUse, anchor, tooltip
from qmsdocs.layout import ClausePage, Layout, relative_href
from qmsdocs.manual import (
    Declaration,
    HeadingMode,
    cite_heading,
    iter_source_headings,
    unknown_heading_finding,
)
from qmsdocs.records import LineLocator, PageRecord, Reference
from qmsdocs.references import Recognizer, citation_findings
from qmsdocs.standards import resolve_catalogue
from qmsdocs.terms import TermMatcher
from qmsdocs.textruns import Link, insert_links, iter_runs
from qmsdocs.vocabulary import Vocabulary, load_vocabulary

__all__ = ["BuildContext", "PageContext", "QMSExtension", "makeExtension"]

_ESCAPED_RE = re.compile("\x02([0-9]+)\x03")
CLAUSE_LINK_CLASS = "qms-clause"
TERM_LINK_CLASS = "qms-term"
LinkTerms = Literal["first", "all", "off"]
LINK_TERMS_MODES: tuple[LinkTerms, ...] = ("first", "all", "off")
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
    link_terms: LinkTerms = "first"
    heading_ids: dict[str, str] = field(default_factory=dict)  # generated pages' anchors
    linked_terms: set[str] = field(default_factory=set)
    # (plain text, line) of the headings of the page's source, in order (see heading_line).
    source_headings: list[tuple[str, int]] | None = None

    def __post_init__(self) -> None:
        self.record = PageRecord(self.src_path)

    def heading_line(self, text: str) -> int | None:
        """The line of a rendered heading in the source: the next source heading that reads
        the same (inline markup removed), else the first occurrence of its text."""
        if self.source_headings is None:
            self.source_headings = [
                (heading, line)
                for heading, _level, line in iter_source_headings(
                    self.locator.source, self.locator.first_line
                )
            ]
        wanted = " ".join(text.split())
        for index, (heading, line) in enumerate(self.source_headings):
            if " ".join(heading.split()) == wanted:
                del self.source_headings[index]
                return line
        return self.locator.line(text)


@dataclass
class BuildContext:
    """State shared for one build: compiled recognisers, the page layout, the current page.

    The plugin creates one per build in `on_config` and sets `current` before each page is
    rendered (MkDocs renders pages one at a time).
    """

    recognizer: Recognizer
    layout: Layout
    vocabulary: Vocabulary | None = None
    matcher: TermMatcher | None = None
    glossary_page: str | None = None  # docs path of the glossary page; None: no term links
    tooltip_length: int = 220
    current: PageContext | None = None

    def term_link(self, key: str, from_page: str) -> tuple[str, str] | None:
        """(href, tooltip) of a term's glossary entry, seen from `from_page`."""
        term = self.vocabulary.get(key) if self.vocabulary else None
        if term is None or self.glossary_page is None:
            return None
        href = relative_href(from_page, self.glossary_page, anchor(term))
        return href, tooltip(term.explanation, self.tooltip_length)


def _guarded(run: Callable[[Any, etree.Element], None]) -> Callable[[Any, etree.Element], None]:
    """A processor that fails on some page reports it and stops the build, never a traceback.

    The tree is left as it is: every change the processors make keeps the page's text, so a
    page that failed half-way has lost nothing, but it must not be published as complete.
    """

    @functools.wraps(run)
    def guarded(self: Any, root: etree.Element) -> None:
        try:
            run(self, root)
        except Exception as error:
            page = self.context.current
            if page is None:
                raise
            page.record.findings.append(
                Finding(
                    "processing-failed",
                    f"qmsdocs could not process this page ({type(error).__name__}: {error})",
                    page.src_path,
                    hint="please report this with the page's source",
                )
            )

    return guarded


class _Processor(Treeprocessor):
    """A tree processor of this extension: it works on the build's shared context."""

    def __init__(self, md: Markdown, context: BuildContext) -> None:
        super().__init__(md)
        self.context = context


class ClauseAnchorTreeprocessor(_Processor):
    """Gives the headings of generated pages (clauses, glossary terms) their stable ids.

    Runs before `toc`, which keeps ids that are already set, so that the anchors do not
    depend on the site's slug function or on `attr_list` being enabled.
    """

    name = "qmsdocs_clause_anchors"

    @_guarded
    def run(self, root: etree.Element) -> None:
        page = self.context.current
        if page is None or not page.generated:
            return
        catalogue = page.clause_page.catalogue if page.clause_page else None
        for heading in root.iter():
            if heading.tag not in _HEADINGS:
                continue
            text = _heading_text(heading)
            if text in page.heading_ids:
                heading.set("id", page.heading_ids[text])
                continue
            words = text.split(None, 1)
            clause = catalogue.get(words[0]) if catalogue and words else None
            if clause is not None:
                heading.set("id", clause.anchor)


class HeadingCoverageTreeprocessor(_Processor):
    """Records the headings that cite a clause: the section under them addresses it.

    Runs after `toc` so that each heading has its final id, the anchor coverage links use.
    """

    name = "qmsdocs_heading_coverage"

    @_guarded
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
                        citation.catalogue or catalogue.id,
                        citation.clause,
                        page.src_path,
                        page.heading_line(text),
                        heading.get("id"),
                        text,
                        "heading",
                    )
                )
                continue
            finding = unknown_heading_finding(
                text, catalogue, page.src_path, page.heading_line(text)
            )
            if finding is not None:
                page.record.findings.append(finding)


class ClauseLinkTreeprocessor(_Processor):
    """Links the clause citations of the prose and records them on the page's record."""

    name = "qmsdocs_clause_links"

    @_guarded
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
                            recognizer,
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


class ExplicitReferenceTreeprocessor(_Processor):
    """Resolves the explicit reference syntax, a plain Markdown link with a pseudo-scheme:

    - `[nonconforming product](term:nonconforming output)` links any word form to a term
      (`[interested parties](term:)` takes the term from the link text);
    - `[our supplier controls](clause:8.4)` links any text to a clause.

    An unknown term or clause is a finding with file and line; its link is left as text.
    """

    name = "qmsdocs_explicit_references"

    @_guarded
    def run(self, root: etree.Element) -> None:
        page = self.context.current
        if page is None:
            return
        parents = {child: parent for parent in root.iter() for child in parent}
        for link in list(root.iter("a")):
            href = link.get("href") or ""
            scheme, colon, target = href.partition(":")
            if not colon or scheme not in ("term", "clause"):
                continue
            text = "".join(link.itertext())
            name = " ".join((target or text).replace("%20", " ").split())
            if scheme == "term":
                resolved = self._term(page, name, href)
            else:
                resolved = self._clause(page, name, href)
            if resolved is None:
                _unwrap(link, parents.get(link))
                continue
            new_href, title, css = resolved
            link.set("href", new_href)
            link.set("title", title)
            link.set("class", " ".join(filter(None, [link.get("class"), css])))

    def _term(self, page: PageContext, name: str, href: str) -> tuple[str, str, str] | None:
        vocabulary = self.context.vocabulary
        term = vocabulary.lookup(name) if vocabulary else None
        if term is None or vocabulary is None:
            hint = None
            if vocabulary is not None:
                names = [n for t in vocabulary for n in t.names]
                close = difflib.get_close_matches(name, names, n=1)
                hint = f"did you mean '{close[0]}'?" if close else None
            page.record.findings.append(
                Finding(
                    "unknown-term",
                    f"'{href}' names no term of the glossary",
                    page.src_path,
                    page.locator.line(href),
                    hint,
                    Severity.WARNING,
                )
            )
            return None
        page.record.terms.append(TermUse(term.key, page.src_path, None))
        page.linked_terms.add(term.key)
        target = self.context.term_link(term.key, page.src_path)
        if target is None:
            return None
        return target[0], target[1], TERM_LINK_CLASS

    def _clause(self, page: PageContext, name: str, href: str) -> tuple[str, str, str] | None:
        catalogue = self.context.recognizer.default
        clause = catalogue.get(name)
        if clause is None:
            page.record.findings.append(
                Finding(
                    "unknown-clause",
                    f"'{href}' names no clause of {catalogue.label}",
                    page.src_path,
                    page.locator.line(href),
                    self.context.recognizer.suggest(catalogue, name),
                    Severity.WARNING,
                )
            )
            return None
        page.record.references.append(Reference(catalogue.id, clause.id, page.src_path, None, href))
        href = self.context.layout.href(catalogue.id, clause, page.src_path)
        return href, catalogue.tooltip(clause.id), CLAUSE_LINK_CLASS


def _unwrap(link: etree.Element, parent: etree.Element | None) -> None:
    """Replace a link by its content, keeping every character of the text."""
    if parent is None:
        link.attrib.pop("href", None)
        return
    index = list(parent).index(link)
    text = (
        (link.text or "")
        + "".join(etree.tostring(child, encoding="unicode", method="text") for child in link)
        + (link.tail or "")
    )
    if index == 0:
        parent.text = (parent.text or "") + text
    else:
        previous = parent[index - 1]
        previous.tail = (previous.tail or "") + text
    parent.remove(link)


class TermLinkTreeprocessor(_Processor):
    """Links glossary terms in the prose to their entries, with the explanation as tooltip.

    Only the first occurrence of a term on a page is linked by default (`link_terms: all`
    links every one); every occurrence is recorded for the glossary's "used on" lists.
    Terms in tables are recorded but not linked: a table full of links is hard to read.
    """

    name = "qmsdocs_term_links"

    @_guarded
    def run(self, root: etree.Element) -> None:
        page = self.context.current
        matcher = self.context.matcher
        if page is None or page.generated or matcher is None:
            return
        raw_html = self.md.htmlStash.rawHtmlBlocks
        link = page.link_terms != "off" and self.context.glossary_page is not None
        used: set[str] = set()
        # Record the terms of tables first (never linked), then link the prose.
        for table in root.iter("table"):
            for run in iter_runs(table, raw_html):
                for match in matcher.find_all(run.text):
                    self._use(page, match.key, run.section, used)
        for run in iter_runs(root, raw_html, skip=frozenset({"table"})):
            matches = matcher.find_all(run.text)
            if not matches:
                continue
            links: list[Link] = []
            for match in matches:
                self._use(page, match.key, run.section, used)
                if not link or (page.link_terms == "first" and match.key in page.linked_terms):
                    continue
                target = self.context.term_link(match.key, page.src_path)
                if target is None:
                    continue
                links.append(Link(match.start, match.end, target[0], target[1], TERM_LINK_CLASS))
                page.linked_terms.add(match.key)
            insert_links(run, links)

    @staticmethod
    def _use(page: PageContext, key: str, section: str | None, used: set[str]) -> None:
        if key not in used:
            used.add(key)
            page.record.terms.append(TermUse(key, page.src_path, section))


class QMSExtension(Extension):
    """Links ISO 9001 clause references (and, with the plugin, records coverage).

    | Class                          | Registry       | Name                        | Priority |
    |--------------------------------|----------------|-----------------------------|----------|
    | ClauseAnchorTreeprocessor      | treeprocessors | qmsdocs_clause_anchors      | 6        |
    | ExplicitReferenceTreeprocessor | treeprocessors | qmsdocs_explicit_references | 4.8      |
    | HeadingCoverageTreeprocessor   | treeprocessors | qmsdocs_heading_coverage    | 4.5      |
    | ClauseLinkTreeprocessor        | treeprocessors | qmsdocs_clause_links        | 4        |
    | TermLinkTreeprocessor          | treeprocessors | qmsdocs_term_links          | 3.5      |
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
            "glossary_page": [
                "glossary.md",
                "Docs-relative path of the glossary page that term links point to; an empty "
                "string turns term links off. Default: glossary.md",
            ],
            "glossary_files": [
                [],
                "Paths of the organisation's glossary files (YAML). Default: none",
            ],
            "link_terms": [
                "first",
                "Link the first occurrence of each term per page (first), every one (all), "
                "or none (off). Default: first",
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
            files = [Path(p) for p in self.getConfig("glossary_files")]
            vocabulary, findings = load_vocabulary(files)
            errors = [f for f in findings if f.severity is Severity.ERROR]
            if errors:
                raise QMSDataError(errors)
            self._standalone = BuildContext(
                Recognizer([catalogue]),
                Layout([catalogue], self.getConfig("clause_pages_dir")),
                vocabulary,
                TermMatcher(vocabulary),
                self.getConfig("glossary_page") or None,
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
            ExplicitReferenceTreeprocessor(md, context),
            ExplicitReferenceTreeprocessor.name,
            4.8,  # before relpath (0), which would leave "term:" links alone as URLs
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
        md.treeprocessors.register(
            TermLinkTreeprocessor(md, context),
            TermLinkTreeprocessor.name,
            3.5,  # after clause links (4), so terms never go inside them; before relpath (0)
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
    # Backslash escapes are still placeholders until Python-Markdown's unescape step (0).
    text = _ESCAPED_RE.sub(lambda m: chr(int(m.group(1))), "".join(parts))
    return " ".join(text.split())


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
        mode = self.extension.getConfig("link_terms")
        context.current = PageContext(
            self.extension.getConfig("page_path"),
            locator=LineLocator(source),
            link_terms=mode if mode in LINK_TERMS_MODES else "first",
        )


def makeExtension(**kwargs: Any) -> QMSExtension:
    return QMSExtension(**kwargs)
