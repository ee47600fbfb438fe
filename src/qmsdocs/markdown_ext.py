"""The Python-Markdown extension: clause references in prose become links to clause pages.

It works inside MkDocs (the qmsdocs plugin adds it and tells it which page is being
rendered) and on its own, with plain Python-Markdown or another site generator that runs
Markdown extensions:

    markdown.markdown(text, extensions=["qmsdocs"],
                      extension_configs={"qmsdocs": {"page_path": "manual/scope.md"}})

It never imports MkDocs itself. On its own, it emits relative `.md#anchor` links (which MkDocs'
link processor, if it runs, rewrites for `use_directory_urls`). Under the plugin, whose
generated pages are the only targets of these links, each link is written with a
`qmsdocs:` target that MkDocs' link processor passes over, and the final relative URL is set
after it by `LinkTargetTreeprocessor`: a page holds dozens of these links, and resolving and
validating each again costs MkDocs more than all of qmsdocs' linking. The targets exist by
construction (the plugin generates them); the test suite checks every link of a built site.

Without the plugin, on a site whose mkdocs.yml has the plugin's options (Zensical, which runs
Markdown extensions but no plugins, finds it by itself; elsewhere the `config_file` option
names it), the extension takes the site's settings from there (`qmsdocs.standalone`, which
imports MkDocs' config loader when first needed), and does on each page what the plugin would:
its links lead to the pages `qmsdocs generate` wrote, a generated page's headings get their
anchors, the macros' placeholders are filled and a controlled page gets its document panel.
"""

from __future__ import annotations

import dataclasses
import functools
import html
import re
import sys
import xml.etree.ElementTree as etree
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TypeVar

from markdown import Markdown
from markdown.extensions import Extension
from markdown.extensions.toc import strip_tags
from markdown.postprocessors import Postprocessor
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor
from markdown.util import HTML_PLACEHOLDER_RE, AtomicString

from qmsdocs.assessment import Assessor, PageAssessment, attach_sections
from qmsdocs.binding import Binding
from qmsdocs.editions import Editions
from qmsdocs.findings import Finding, QMSDataError, Severity
from qmsdocs.glossary import TermUse, anchor, tooltip
from qmsdocs.layout import ClausePage, Layout, relative_href
from qmsdocs.readcache import Memo
from qmsdocs.records import PageRecord
from qmsdocs.references import Recognizer
from qmsdocs.scopes import PageScopes, cell_binding, cite_numbers_cell, label_binding
from qmsdocs.senses import TermSenses
from qmsdocs.standards import Catalogue, Clause, resolve_catalogue
from qmsdocs.terms import TermMatch, TermMatcher
from qmsdocs.textruns import Link, Run, insert_links, iter_runs, prose_of
from qmsdocs.vocabulary import Vocabulary, load_vocabulary

if TYPE_CHECKING:
    from qmsdocs.standalone import Standalone

__all__ = ["BuildContext", "PageContext", "QMSExtension", "heading_text", "makeExtension"]

_ESCAPED_RE = re.compile("\x02([0-9]+)\x03")
# Links to the generated pages, written before MkDocs' relpath and resolved after it.
DEFERRED_SCHEME = "qmsdocs:"
CLAUSE_LINK_CLASS = "qms-clause"
TERM_LINK_CLASS = "qms-term"
# The links qmsdocs writes read as part of their sentence when the prose is scanned again.
_OUR_LINKS = frozenset({CLAUSE_LINK_CLASS, TERM_LINK_CLASS})
LinkTerms = Literal["first", "all", "off"]
LINK_TERMS_MODES: tuple[LinkTerms, ...] = ("first", "all", "off")
_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
_NO_TERMS = "qms-no-terms"  # the class of a block whose terms are never linked
T = TypeVar("T")


@dataclass
class PageContext:
    """What the processors need to know about the page being rendered."""

    src_path: str
    record: PageRecord = field(init=False)
    clause_page: ClausePage | None = None
    generated: bool = False  # any generated page: nothing on it is the manual's own word
    link_clauses: bool = True
    link_terms: LinkTerms = "first"
    heading_ids: dict[str, str] = field(default_factory=dict)  # generated pages' anchors by text
    # Under the plugin: docs path of a generated page -> its URL relative to this page (None
    # if there is no such page), cached by the plugin; links are then deferred (see the
    # module's docstring).
    resolve: Callable[[str], str | None] | None = None
    linked_terms: set[str] = field(default_factory=set)
    # What the page as a whole is about, as its source was read (`PageAssessment.binding`);
    # None: the site's standard.
    binding: Binding | None = None
    # Phrases this page never links as terms (front matter `qmsdocs: {not_terms: [...]}`).
    not_terms: re.Pattern[str] | None = None
    # The language the page is written in: its terms are those of that language.
    language: str = "en"
    # (href, tooltip) of each term and clause linked from this page, looked up once per page.
    targets: dict[tuple[str, str], tuple[str, str] | None] = field(default_factory=dict)

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
    vocabulary: Vocabulary | None = None
    matcher: TermMatcher | None = None
    glossary_page: str | None = None  # docs path of the glossary page; None: no term links
    tooltip_length: int = 220
    current: PageContext | None = None
    senses: TermSenses | None = None  # which occurrences are meant in the ISO sense
    # Per language, the matcher of the terms in it (under the plugin); else `matcher` serves
    # every page.
    matchers: dict[str, TermMatcher] = field(default_factory=dict)
    # Under `mkdocs serve`: the citations and terms of each block, kept between rebuilds.
    memo: Memo | None = None

    def href(self, page: PageContext, target: str, fragment: str) -> str:
        """A link from `page` to `target#fragment` (deferred under the plugin)."""
        if page.resolve is None:
            return relative_href(page.src_path, target, fragment)
        return f"{DEFERRED_SCHEME}{target}#{fragment}"

    def term_link(self, page: PageContext, key: str) -> tuple[str, str] | None:
        """(href, tooltip) of a term's glossary entry, seen from `page`."""
        cache_key = ("term", key)
        if cache_key in page.targets:
            return page.targets[cache_key]
        term = self.vocabulary.get(key) if self.vocabulary else None
        link = None
        if term is not None and self.glossary_page is not None:
            href = self.href(page, self.glossary_page, anchor(term))
            link = href, tooltip(term.explanation, self.tooltip_length)
        page.targets[cache_key] = link
        return link

    def clause_link(
        self, page: PageContext, catalogue: Catalogue, clause: Clause
    ) -> tuple[str, str]:
        """(href, tooltip) of a clause on its clause page, seen from `page`."""
        cache_key = ("clause", f"{catalogue.id} {clause.id}")
        link = page.targets.get(cache_key)
        if link is None:
            target, fragment = self.layout.target(catalogue.id, clause)
            link = page.targets[cache_key] = (
                self.href(page, target, fragment),
                catalogue.tooltip(clause.id, page.language),
            )
        return link


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
    """Gives the headings of generated pages (clauses, glossary groups, the coverage page's
    sections) their stable ids, the same in every language (`qmsdocs.pages`).

    Runs before `toc`, which keeps ids that are already set, so that the anchors do not
    depend on the site's slug function, its language or on `attr_list` being enabled.
    """

    name = "qmsdocs_clause_anchors"

    @_guarded
    def run(self, root: etree.Element) -> None:
        page = self.context.current
        if page is None or not page.generated:
            return
        catalogue = page.clause_page.catalogue if page.clause_page else None
        seen: dict[str, int] = {}  # a heading text that repeats gets `_1`, `_2`, as in `toc`
        for heading in root.iter():
            if heading.tag not in _HEADINGS:
                continue
            text = heading_text(heading, self.md)
            if text in page.heading_ids:
                count = seen[text] = seen.get(text, -1) + 1
                anchor = page.heading_ids[text]
                heading.set("id", f"{anchor}_{count}" if count else anchor)
                continue
            words = text.split(None, 1)
            clause = catalogue.get(words[0]) if catalogue and words else None
            if clause is not None:
                heading.set("id", clause.anchor)


class HeadingAnchorTreeprocessor(_Processor):
    """Records each heading's text and final id, in order.

    Which headings cite a clause is read from the page's source (`qmsdocs.assessment`); the
    rendered page adds the anchors, so that coverage links to the sections. Runs after `toc`,
    so that each heading has its final id.
    """

    name = "qmsdocs_heading_anchors"

    @_guarded
    def run(self, root: etree.Element) -> None:
        page = self.context.current
        if page is None or page.generated:
            return
        page.record.headings += [
            (heading_text(heading, self.md), heading.get("id") or "")
            for heading in root.iter()
            if heading.tag in _HEADINGS and heading.get("id")
        ]


class ExplicitReferenceTreeprocessor(_Processor):
    """Resolves the explicit reference syntax, a plain Markdown link with a pseudo-scheme:

    - `[nonconforming product](term:nonconforming output)` links any word form to a term
      (`[interested parties](term:)` takes the term from the link text);
    - `[our supplier controls](clause:8.4)` links any text to a clause.

    An unknown term or clause leaves its link as text (`qmsdocs.assessment` reports it).
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
            if not colon or scheme not in ("term", "clause", "not-term"):
                continue
            if scheme == "not-term":
                # `[Quality Manager](not-term:)`: plain text that nothing links.
                link.tag = "span"
                link.attrib.clear()
                link.set("class", "qms-not-term")
                link.text = AtomicString("".join(link.itertext()))
                for child in list(link):
                    link.remove(child)
                continue
            text = "".join(link.itertext())
            name = " ".join((target or text).replace("%20", " ").split())
            resolved = self._term(page, name) if scheme == "term" else self._clause(page, name)
            if resolved is None:
                _unwrap(link, parents.get(link))
                continue
            new_href, title, css = resolved
            link.set("href", new_href)
            link.set("title", title)
            link.set("class", " ".join(filter(None, [link.get("class"), css])))

    def _term(self, page: PageContext, name: str) -> tuple[str, str, str] | None:
        vocabulary = self.context.vocabulary
        term = vocabulary.lookup(name) if vocabulary else None
        if term is None:
            return None
        page.record.terms.append(TermUse(term.key, page.src_path, None))
        page.linked_terms.add(term.key)
        target = self.context.term_link(page, term.key)
        if target is None:
            return None
        return target[0], target[1], TERM_LINK_CLASS

    def _clause(self, page: PageContext, name: str) -> tuple[str, str, str] | None:
        catalogue = self.context.recognizer.default
        clause = catalogue.get(name)
        if clause is None:
            return None
        href, title = self.context.clause_link(page, catalogue, clause)
        return href, title, CLAUSE_LINK_CLASS


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


class ProseLinkTreeprocessor(_Processor):
    """Links the clause citations and glossary terms of the prose, in one walk of the page.

    Clause citations link to their clause pages; which ones a page cites, and which it gets
    wrong, is read from its source (`qmsdocs.assessment`). Terms link to their glossary entries
    with the explanation as tooltip: only the first occurrence of a term on a page by default
    (`link_terms: all` links every one); every term is recorded for the glossary's "used on"
    lists. Terms in tables are recorded but not linked (a table full of links is hard to
    read); clauses in tables are linked.
    """

    name = "qmsdocs_prose_links"

    @_guarded
    def run(self, root: etree.Element) -> None:
        page = self.context.current
        if page is None or page.generated:
            return
        matchers = self.context.matchers
        matcher = matchers.get(page.language) if matchers else self.context.matcher
        link_terms = page.link_terms != "off" and self.context.glossary_page is not None
        tables = list(root.iter("table"))
        # Tables and blocks the author marks `{: .qms-no-terms }` get no term links.
        quiet = [*tables, *(e for e in root.iter() if _NO_TERMS in (e.get("class") or ""))]
        in_tables = {id(element) for table in quiet for element in table.iter()}
        scopes = (
            _RenderedScopes(self.context.recognizer, page, root, self.md)
            if page.link_clauses
            else None
        )
        used: set[str] = set()
        for run in iter_runs(root, self.md.htmlStash.rawHtmlBlocks, readable_links=_OUR_LINKS):
            links = self._clause_links(page, run, scopes) if scopes is not None else []
            if matcher is not None:
                in_table = bool(in_tables) and id(run.segments[0].element) in in_tables
                self._term_links(page, run, matcher, link_terms and not in_table, used, links)
            if links:
                insert_links(run, links)

    def _clause_links(self, page: PageContext, run: Run, scopes: _RenderedScopes) -> list[Link]:
        recognizer = self.context.recognizer
        links: list[Link] = []
        if not recognizer.may_cite(run.text):
            return links
        context, header, before = scopes.binding(run)
        scan = partial(recognizer.scan, run.text, context)
        citations = self._remembered(("clauses", run.text, context), scan)
        if not citations and header:
            cell = cite_numbers_cell(recognizer, run.text, context, header, before)
            citations = [cell] if cell is not None else []
        for citation in citations:
            if citation.catalogue is None:
                continue
            catalogue = recognizer.catalogue(citation.catalogue)
            for item in citation.links:
                if run.segment_for(item.start, item.end) is None:
                    continue
                href, title = self.context.clause_link(page, catalogue, catalogue[item.clause_id])
                links.append(Link(item.start, item.end, href, title, CLAUSE_LINK_CLASS))
        return links

    def _remembered(self, key: Hashable, compute: Callable[[], T]) -> T:
        """`compute()`, or under `mkdocs serve` what an earlier rebuild computed for `key`,
        which holds everything the result depends on besides the build's fingerprint."""
        memo = self.context.memo
        return compute() if memo is None else memo.get(key, compute)

    def _term_links(
        self,
        page: PageContext,
        run: Run,
        matcher: TermMatcher,
        link: bool,
        used: set[str],
        links: list[Link],
    ) -> None:
        """Record the run's terms; add links for those to link, clear of the clause links."""
        senses = self.context.senses
        text, never = run.text, page.not_terms
        find: Callable[[], list[TermMatch]] = (
            partial(senses.find, text, matcher, never)
            if senses is not None and page.language == senses.language
            else partial(matcher.find_all, text)
        )
        pattern = never.pattern if never is not None else None
        matches = self._remembered(("terms", text, page.language, pattern), find)
        if not matches:
            return
        taken = [(c.start, c.end) for c in links]
        every = page.link_terms == "all"
        for match in matches:
            if match.key not in used:
                used.add(match.key)
                page.record.terms.append(TermUse(match.key, page.src_path, run.section))
            if not link or (not every and match.key in page.linked_terms):
                continue
            if taken and any(start < match.end and match.start < end for start, end in taken):
                continue
            if run.segment_for(match.start, match.end) is None:
                continue
            target = self.context.term_link(page, match.key)
            if target is None:
                continue
            links.append(Link(match.start, match.end, target[0], target[1], TERM_LINK_CLASS))
            page.linked_terms.add(match.key)


class _RenderedScopes:
    """What each block of a rendered page is about, as `qmsdocs.assessment` reads its source:
    the same `PageScopes`, built from the rendered headings and label lines."""

    def __init__(
        self, recognizer: Recognizer, page: PageContext, root: etree.Element, md: Markdown
    ) -> None:
        self.recognizer = recognizer
        headings: list[tuple[int, str]] = []
        self.index: dict[int, int] = {}  # id(heading element) -> its index
        labels: dict[int | None, Binding] = {}
        section: int | None = None
        self.parents: dict[int, etree.Element] = {}  # id(body cell) -> its row
        self.headers: dict[int, list[str]] = {}  # id(body row) -> its table's header texts
        for element in root.iter():
            tag = element.tag if isinstance(element.tag, str) else ""
            if tag in _HEADINGS:
                section = self.index[id(element)] = len(headings)
                headings.append((int(tag[1]), heading_text(element, md)))
            elif tag in ("p", "li") and section not in labels and _may_be_label(element):
                found = label_binding(recognizer, prose_of(element))
                if found is not None:
                    labels[section] = found
            elif tag == "table":
                self._table(element)
        self.scopes = PageScopes.build(
            recognizer, page.binding or recognizer.site_default, headings, labels
        )

    def _table(self, table: etree.Element) -> None:
        """Note each body cell's row, and its table's header texts."""
        rows = [row for row in table.iter("tr")]
        if not rows:
            return
        first = rows[0]
        header = [prose_of(cell) for cell in first] if all(c.tag == "th" for c in first) else []
        for row in rows[1:] if header else rows:
            self.headers[id(row)] = header
            for cell in row:
                self.parents[id(cell)] = row

    def binding(self, run: Run) -> tuple[Binding, str | None, str]:
        """The binding of a run's block, and for a table cell its column header and the text
        of the cells before it in its row."""
        heading = run.heading
        context = self.scopes.at(self.index.get(id(heading)) if heading is not None else None)
        block = run.block
        row = self.parents.get(id(block)) if block is not None else None
        if row is None or block is None:
            return context, None, ""
        cells = list(row)
        headers = self.headers.get(id(row), [])
        column = cells.index(block)
        header = headers[column] if column < len(headers) else None
        before = " | ".join(prose_of(cell) for cell in cells[:column])
        return cell_binding(self.recognizer, context, header, before), header, before


def _may_be_label(element: etree.Element) -> bool:
    """Cheap test: the element's first words hold a colon ("**Standard:** ...")."""
    start = element.text or ""
    if len(element) and len(start) < 40:
        start += element[0].text or ""
        start += element[0].tail or ""
    return ":" in start[:80]


class LinkTargetTreeprocessor(_Processor):
    """Under the plugin: gives the deferred links their final URLs, after MkDocs' relpath."""

    name = "qmsdocs_link_targets"

    @_guarded
    def run(self, root: etree.Element) -> None:
        page = self.context.current
        if page is None or page.resolve is None:
            return
        missing: set[str] = set()
        prefix = len(DEFERRED_SCHEME)
        for link in root.iter("a"):
            href = link.get("href")
            if href is None or not href.startswith(DEFERRED_SCHEME):
                continue
            target, _, fragment = href[prefix:].partition("#")
            url = page.resolve(target)
            if url is not None:
                link.set("href", f"{url}#{fragment}" if fragment else url)
                continue
            link.attrib.pop("href", None)
            if target not in missing:  # one finding per missing page, not per link
                missing.add(target)
                page.record.findings.append(
                    Finding(
                        "missing-target",
                        f"the generated page '{target}' this page links to is not in the site",
                        page.src_path,
                        hint="another plugin may have removed it; its links are left as text",
                    )
                )


class QMSExtension(Extension):
    """Links ISO 9001 clause references (and, with the plugin, records coverage).

    | Class                          | Registry       | Name                        | Priority |
    |--------------------------------|----------------|-----------------------------|----------|
    | ClauseAnchorTreeprocessor      | treeprocessors | qmsdocs_clause_anchors      | 6        |
    | ExplicitReferenceTreeprocessor | treeprocessors | qmsdocs_explicit_references | 4.8      |
    | HeadingAnchorTreeprocessor     | treeprocessors | qmsdocs_heading_anchors     | 4.5      |
    | ProseLinkTreeprocessor         | treeprocessors | qmsdocs_prose_links         | 4        |
    | LinkTargetTreeprocessor        | treeprocessors | qmsdocs_link_targets        | -0.5     |
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
            "config_file": [
                "",
                "Path of the site's mkdocs.yml, whose qmsdocs plugin options then apply (as "
                "under Zensical, where it is found by itself). Default: none",
            ],
        }
        super().__init__(**kwargs)
        self._context = context
        self._standalone: BuildContext | None = None
        self._source: str | None = None  # standalone: the last converted page's source
        # Without the plugin, on a site whose mkdocs.yml has the plugin's options (Zensical):
        # the site, the page being converted as its generator describes it, and as read.
        self._site: Standalone | None = None
        self._page: Any = None
        self._assessed: PageAssessment | None = None
        self._whole = False  # whether the postprocessors run on the whole page (not a heading)

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
                senses=TermSenses(vocabulary),
            )
        return self._standalone

    def extendMarkdown(self, md: Markdown) -> None:
        md.registerExtension(self)
        if self._context is None:
            self._join_site(md)
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
        if self._context is None:
            md.preprocessors.register(
                _SourceKeeper(md, self),
                "qmsdocs_source",
                35,  # before normalize_whitespace (30) and html_block (20) change the lines
            )
        md.treeprocessors.register(
            ExplicitReferenceTreeprocessor(md, context),
            ExplicitReferenceTreeprocessor.name,
            4.8,  # before relpath (0), which would leave "term:" links alone as URLs
        )
        md.treeprocessors.register(
            HeadingAnchorTreeprocessor(md, context),
            HeadingAnchorTreeprocessor.name,
            4.5,  # after toc (5): headings have their ids
        )
        md.treeprocessors.register(
            ProseLinkTreeprocessor(md, context),
            ProseLinkTreeprocessor.name,
            4,  # after toc (5), so headings have ids for sections; before unescape (0)
        )
        md.treeprocessors.register(
            LinkTargetTreeprocessor(md, context),
            LinkTargetTreeprocessor.name,
            -0.5,  # after MkDocs' relpath (0), which leaves `qmsdocs:` links alone
        )
        if self._site is not None:
            md.treeprocessors.register(
                _TreeDone(md, self),
                "qmsdocs_tree_done",
                -100,  # the last: what the postprocessors see next is the whole page
            )
            md.postprocessors.register(
                _SitePostprocessor(md, self),
                "qmsdocs_site",
                10,  # after raw_html (30): the page's HTML is whole
            )

    def _join_site(self, md: Markdown) -> None:
        """Without the plugin: take the site's settings from its mkdocs.yml when there is one
        (Zensical reads the same file, and hands each page over with its path)."""
        from qmsdocs.standalone import find_config, site_for

        zensical = _rendering_context(md)
        self._page = getattr(zensical, "page", None)
        config_file: Path | None = None
        if self.getConfig("config_file"):
            config_file = Path(self.getConfig("config_file"))
        elif zensical is not None:
            root = getattr(zensical, "config", {}).get("root_dir")
            config_file = find_config(Path(root)) if root else None
        if config_file is None:
            return
        try:
            site = site_for(config_file)
        except QMSDataError as error:
            if not any(f.code == "plugin-not-enabled" for f in error.findings):
                _say_once(error)
            return  # the extension's own options apply
        if site is None:
            return
        self._site = site
        # Each page gets a context of its own; the loaded data is shared.
        self._standalone = dataclasses.replace(site.build.context, current=None)

    def reset(self) -> None:
        if self._context is None and self._standalone is not None:
            self._standalone.current = None

    @property
    def record(self) -> PageRecord | None:
        """Standalone use: what the last conversion recorded (anchors, terms)."""
        context = self._context or self._standalone
        return context.current.record if context and context.current else None

    @property
    def assessment(self) -> PageAssessment | None:
        """Standalone use: the last converted page as the gate reads it (citations, headings,
        findings), with its sections' anchors."""
        record = self.record
        if record is None or self._source is None:
            return None
        page = self._read_source(record.page, self._source)
        attach_sections(page, record.headings)
        return page

    def _read_source(self, path: str, source: str) -> PageAssessment:
        if self._site is not None:
            return self._site.build.assess(path, lambda: source)
        context = self._build_context()
        catalogue = context.recognizer.default
        assessor = Assessor(
            Editions(catalogue), recognizer=context.recognizer, vocabulary=context.vocabulary
        )
        return assessor.page(path, source)

    @property
    def findings(self) -> list[Finding]:
        """Standalone use: the last converted page's findings, its source's and rendering's."""
        record = self.record
        assessment = self.assessment
        return [
            *(assessment.findings if assessment else []),
            *(record.findings if record else []),
        ]


def heading_text(heading: etree.Element, md: Markdown) -> str:
    """The heading as a reader sees it (plain text: "Approval & monitoring" for `Approval
    &amp; monitoring`), without the permalink symbol `toc` may append."""
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
    # Entities and inline HTML are stashed until the page is serialised; a reader sees them
    # as characters, and the stash's placeholders must never leak into a title.
    if "\x02" in text:
        blocks = md.htmlStash.rawHtmlBlocks

        def unstash(match: re.Match[str]) -> str:
            index = int(match.group(1))
            return strip_tags(str(blocks[index])) if index < len(blocks) else ""

        text = HTML_PLACEHOLDER_RE.sub(unstash, text)
    return " ".join(html.unescape(text).split())


class _Noop(Treeprocessor):
    def run(self, root: etree.Element) -> None:
        return None


class _SourceKeeper(Preprocessor):
    """Without the plugin: keeps the page's source as written, for `QMSExtension.assessment`."""

    def __init__(self, md: Markdown, extension: QMSExtension) -> None:
        super().__init__(md)
        self.extension = extension

    def run(self, lines: list[str]) -> list[str]:
        self.extension._source = "\n".join(lines)
        return lines


class _StandalonePage(Treeprocessor):
    """Without the plugin, each conversion is a page of its own, named by `page_path`."""

    def __init__(self, md: Markdown, extension: QMSExtension) -> None:
        super().__init__(md)
        self.extension = extension

    def run(self, root: etree.Element) -> None:
        extension = self.extension
        context = extension._build_context()
        page = extension._page
        path = str(getattr(page, "path", None) or extension.getConfig("page_path"))
        if extension._site is not None:
            context.current = _site_page(extension, extension._site, path)
            return
        mode = extension.getConfig("link_terms")
        # What the page is about is read from its source, as under the plugin.
        source = extension._source
        context.current = PageContext(
            path,
            link_terms=mode if mode in LINK_TERMS_MODES else "first",
            binding=extension._read_source(path, source).binding if source else None,
        )


def _site_page(extension: QMSExtension, site: Standalone, path: str) -> PageContext:
    """A page of a site read without the plugin, as the plugin would render it."""
    build = site.build
    if build.generated.is_generated(path):
        extension._assessed = None
        return build.generated_context(path)
    # The source as written, front matter included (a site generator may hand over less).
    try:
        source = (site.docs_dir / path).read_text("utf-8-sig")
    except (OSError, UnicodeDecodeError):
        source = extension._source or ""
    assessed = build.assess(path, lambda: source)
    extension._assessed = assessed
    meta = getattr(extension._page, "meta", None)
    return build.page_context(assessed, meta=meta if isinstance(meta, dict) else {}, resolve=None)


_SAID: set[str] = set()


def _say_once(error: QMSDataError) -> None:
    """A site generator renders page after page: a problem with the site is said once, in
    words (an exception would end every page's rendering in a traceback)."""
    message = "\n".join(f"  {finding}" for finding in error.findings)
    if message not in _SAID:
        _SAID.add(message)
        print(
            "qmsdocs: error: cannot read the site's settings, so the pages are linked with "
            f"the extension's defaults (`qmsdocs check` says the same):\n{message}",
            file=sys.stderr,
        )


def _rendering_context(md: Markdown) -> Any:
    """Zensical's rendering context (the page and the site's settings), if Zensical converts."""
    for processor in md.preprocessors:
        if getattr(processor, "name", None) == "rendering_context" and hasattr(processor, "page"):
            return processor
    return None


class _TreeDone(Treeprocessor):
    """Marks the end of the tree's processing: `toc` runs the postprocessors on each
    heading's text before that, and a panel must never land in a heading."""

    def __init__(self, md: Markdown, extension: QMSExtension) -> None:
        super().__init__(md)
        self.extension = extension

    def run(self, root: etree.Element) -> None:
        self.extension._whole = True


class _SitePostprocessor(Postprocessor):
    """Without the plugin, on a site with the plugin's options: what the plugin adds to a page
    once it is rendered, added here. The placeholders the macros wrote are filled (from the
    manual's verdict, drawn once), and a controlled page gets its document control panel and
    revision history."""

    def __init__(self, md: Markdown, extension: QMSExtension) -> None:
        super().__init__(md)
        self.extension = extension

    def run(self, text: str) -> str:
        extension = self.extension
        site = extension._site
        context = extension._standalone
        page = context.current if context is not None else None
        if site is None or page is None or page.generated or not extension._whole:
            return text
        extension._whole = False
        from qmsdocs.pages import PLACEHOLDER_MARK
        from qmsdocs.panels import document_panels, insert_panels

        if PLACEHOLDER_MARK in text:
            text, _ids = site.fill(page.src_path, text)
        assessed = extension._assessed
        if assessed is not None and assessed.document and site.build.options.document_header:
            title = getattr(extension._page, "title", None) or assessed.title or ""
            url = getattr(extension._page, "url", None) or ""
            _view, header, history = document_panels(
                site.build, assessed.document, str(title), str(url)
            )
            text = insert_panels(text, header, history)
        return text


def makeExtension(**kwargs: Any) -> QMSExtension:
    return QMSExtension(**kwargs)
