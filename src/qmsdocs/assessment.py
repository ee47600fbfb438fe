"""One assessment of a manual: from its sources to everything the gate decides on.

`mkdocs build` (through the plugin) and `qmsdocs check` both call this module, so they reach the
same verdict with the same findings, codes, files and lines. It reads each page's Markdown
source, never a rendered tree:

- front matter: declared clauses, exclusions, document control, page options;
- headings that cite a clause (the section under them addresses it), and headings that look
  like a citation of a clause the standard does not have;
- prose citations (in the source with code, links, HTML and macro calls hidden, as the
  renderer reads prose), and the explicit `[text](clause:8.4)` and `[text](term:...)` links;
- across the manual: document control (duplicate ids, reviews due), and the coverage of each
  loaded edition with its findings (missing clauses, contradictions, ...).

Reading is per page (`Assessor.page`), so the plugin reads each page once, as MkDocs hands it
over, and the manual's verdict is drawn once every page is read (`Assessor.manual`). The build
knows one thing more than the sources: the anchor each heading got when it was rendered. It
passes those in, so that coverage links to sections; the verdict does not depend on them.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from qmsdocs.binding import Binding, load_known_standards
from qmsdocs.blocks import Block, prose_blocks
from qmsdocs.coverage import Coverage, compute_coverage
from qmsdocs.documents import DEFAULT_REQUIRED, DocumentControl, check_documents, today
from qmsdocs.editions import Editions
from qmsdocs.findings import Finding, Severity
from qmsdocs.harmonized import same_clause
from qmsdocs.manual import (
    FrontMatter,
    HeadingCitation,
    HeadingMode,
    cite_heading,
    heading_standards,
    iter_source_headings,
    read_front_matter,
    unknown_heading_finding,
)
from qmsdocs.mentions import TitleIndex
from qmsdocs.prose import prose_text
from qmsdocs.records import Declaration, Exclusion, Reference, Unlinked
from qmsdocs.references import Citation, Recognizer, citation_findings
from qmsdocs.scopes import (
    PageScopes,
    cell_binding,
    cite_numbers_cell,
    label_binding,
    page_binding,
)
from qmsdocs.sections import Sections
from qmsdocs.sourcefiles import LineLocator, mask_code, split_front_matter
from qmsdocs.standards import Catalogue
from qmsdocs.transition import carry_declarations, carry_exclusions
from qmsdocs.vocabulary import Vocabulary

__all__ = [
    "Assessment",
    "Assessor",
    "PageAssessment",
    "Rules",
    "assess",
    "attach_sections",
    "make_recognizer",
]

# `[text](clause:8.4)`, `[text](term:nonconforming output)`, `[interested parties](term:)`.
_EXPLICIT_LINK_RE = re.compile(
    r"\[(?P<text>[^\]\n]*)\]\((?P<href>(?P<scheme>term|clause):[^)\n]*)\)"
)


@dataclass(frozen=True, slots=True)
class Rules:
    """The plugin options that decide the verdict (see `qmsdocs.plugin.config` for each)."""

    heading_mode: HeadingMode = "titles"
    parent_covers_children: bool = True
    count_drafts: bool = True
    publish_drafts: bool = False
    document_fields: Sequence[str] = DEFAULT_REQUIRED
    review_warning_days: int = 30
    gate_editions: str = "standard"  # "standard" | "all"
    other_standards: tuple[Any, ...] = ()  # the site's additions to `KnownStandards`


@dataclass(frozen=True, slots=True)
class Heading:
    """A heading of a page's source."""

    text: str
    level: int
    line: int


@dataclass
class PageAssessment:
    """What one page declares, cites and gets wrong, read from its source.

    Attributes:
        path: Docs-relative path.
        front: Its front matter as read (document control, options, exclusions).
        title: The front matter's `title`, else its first level-1 heading.
        headings: Its headings, in order.
        declarations: Clauses it addresses: front matter, then headings (by line).
        references: Clauses its prose cites (never coverage).
        findings: The problems found on the page.
        named: Per standard, subclauses of what it declares that it names by title (looked for
            only on a page that declares a clause with subclauses; `qmsdocs.mentions`).
        binding: What the page as a whole is about (`qmsdocs.scopes.page_binding`); the
            renderer binds the page's numbers from it, as this reading does.
        unlinked: Citations bound to no loaded catalogue (another standard, another
            document, an ambiguous pair), with why: `qmsdocs explain` lists them.
    """

    path: str
    front: FrontMatter
    title: str | None = None
    headings: list[Heading] = field(default_factory=list)
    declarations: list[Declaration] = field(default_factory=list)
    references: list[Reference] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    named: dict[str, frozenset[str]] = field(default_factory=dict)
    binding: Binding | None = None
    unlinked: list[Unlinked] = field(default_factory=list)

    @property
    def document(self) -> DocumentControl | None:
        return self.front.document

    @property
    def status(self) -> str | None:
        return self.front.document.status if self.front.document else None


@dataclass
class Assessment:
    """The manual's verdict: coverage per loaded edition, and every finding about its content.

    `findings` carry the severities of the code (before the site's `checks:` are applied).
    """

    editions: Editions
    pages: dict[str, PageAssessment]
    coverages: dict[str, Coverage]
    findings: list[Finding]

    @property
    def coverage(self) -> Coverage:
        """The coverage of the manual's own edition."""
        return self.coverages[self.editions.primary.id]

    @property
    def declarations(self) -> list[Declaration]:
        return [d for page in self.pages.values() for d in page.declarations]

    @property
    def exclusions(self) -> list[Exclusion]:
        return [e for page in self.pages.values() for e in page.front.exclusions]

    @property
    def references(self) -> list[Reference]:
        return [r for page in self.pages.values() for r in page.references]

    @property
    def unlinked(self) -> list[Unlinked]:
        """Citations bound to no loaded catalogue, page by page (`qmsdocs explain`)."""
        return [u for page in self.pages.values() for u in page.unlinked]

    @property
    def documents(self) -> list[DocumentControl]:
        return [p.document for p in self.pages.values() if p.document is not None]

    def title(self, path: str) -> str:
        page = self.pages.get(path)
        return (page.title if page else None) or path


def make_recognizer(editions: Editions, rules: Rules) -> Recognizer:
    """The clause recogniser for a manual: its editions, the other standards it may name."""
    known = load_known_standards(rules.other_standards)
    standards = [c.id for c in editions.standards]
    return Recognizer(editions.catalogues, editions.correspondences, known, standards)


class Assessor:
    """Reads pages and draws the verdict, for one manual with one set of rules.

    Arguments:
        editions: The manual's edition and those loaded beside it.
        rules: The options that decide the verdict.
        recognizer: The clause recogniser (one per build); made from `editions` if not given.
        vocabulary: The glossary, for `[text](term:...)` links; None reports none of them.
    """

    def __init__(
        self,
        editions: Editions,
        rules: Rules | None = None,
        recognizer: Recognizer | None = None,
        vocabulary: Vocabulary | None = None,
    ) -> None:
        self.editions = editions
        self.rules = rules or Rules()
        self.recognizer = recognizer or make_recognizer(editions, self.rules)
        self.vocabulary = vocabulary
        self._titles = {c.id: TitleIndex(c) for c in editions.standards}

    def page(self, path: str, text: str) -> PageAssessment:
        """Read one page: `path` docs-relative, `text` its whole source."""
        catalogue = self.editions.primary
        front = read_front_matter(
            path, text, catalogue, self.recognizer, document_fields=self.rules.document_fields
        )
        result = PageAssessment(path, front, findings=list(front.findings))
        _raw, body, body_line = split_front_matter(text)
        title = front.data.get("title")
        result.title = title if isinstance(title, str) else None
        result.headings = [Heading(*h) for h in iter_source_headings(body, body_line)]
        prose = prose_text(body, {h.line - body_line for h in result.headings})
        if result.title is None:
            result.title = next((h.text for h in result.headings if h.level == 1), None)
        sections = Sections(prose, body_line, [(h.line, h.level) for h in result.headings])
        blocks = prose_blocks(prose, [h.line - body_line for h in result.headings])
        labels = self._labels(prose, blocks)
        scopes = self._scopes(result, labels, {d.catalogue for d in front.clauses})
        headings = self._heading_declarations(result, sections, scopes)
        if headings and scopes.lead == self.recognizer.site_default:
            # A page that addresses clauses by its headings is about the manual's standard.
            scopes = self._scopes(result, labels, {self.editions.primary.id})
        result.declarations = [
            *(
                replace(d, words=sections.page.words, prompted=sections.page.prompted)
                for d in front.clauses
            ),
            *headings,
        ]
        self._read_prose(result, body, prose, body_line, blocks, scopes)
        parents = {d.catalogue for d in result.declarations if self._has_subclauses(d)}
        if parents:
            text = prose + "\n" + "\n".join(h.text for h in result.headings)
            result.named = {
                standard: frozenset(titles.named_in(text))
                for standard, titles in self._titles.items()
                if standard in parents
            }
        # The front matter's data is kept only while it is read: a large manual has many pages.
        front.data = {}
        return result

    def _labels(self, prose: str, blocks: list[Block]) -> dict[int | None, Binding]:
        """Per section, the binding its first label line about a standard gives."""
        labels: dict[int | None, Binding] = {}
        for block in blocks:
            if (
                block.section not in labels
                and block.header is None
                and not block.before
                and prose.find(":", block.start, block.end) >= 0
            ):
                found = label_binding(self.recognizer, prose[block.start : block.end])
                if found is not None:
                    labels[block.section] = found
        return labels

    def _scopes(
        self, page: PageAssessment, labels: dict[int | None, Binding], declares: set[str]
    ) -> PageScopes:
        """What each part of the page is about (`qmsdocs.scopes`); sets `page.binding`."""
        title = page.front.data.get("title")
        page.binding = page_binding(
            self.recognizer,
            page.front.standard,
            title if isinstance(title, str) else None,
            declares,
        )
        return PageScopes.build(
            self.recognizer, page.binding, [(h.level, h.text) for h in page.headings], labels
        )

    def _has_subclauses(self, declaration: Declaration) -> bool:
        catalogue = next(
            (c for c in self.editions.standards if c.id == declaration.catalogue), None
        )
        clause = declaration.clause
        return catalogue is not None and clause in catalogue and not catalogue.is_leaf(clause)

    def _heading_declarations(
        self, page: PageAssessment, sections: Sections, scopes: PageScopes
    ) -> list[Declaration]:
        """What the page's headings address. An overview heading ("Planning (Clause 6)") is a
        reference to its clauses; on a page that numbers its own sections, bare numbers cite
        nothing (`_numbers_its_own_sections`)."""
        mode = page.front.options.heading_coverage or self.rules.heading_mode
        if mode == "off":
            return []
        catalogue = self.editions.primary
        found = [
            (heading, cite_heading(heading.text, catalogue, self.recognizer, mode, context))
            for heading, context in zip(page.headings, scopes.parents, strict=True)
        ]
        standards = self.editions.standards
        if len(standards) > 1:
            # A manual of several standards: a heading may cite a clause they share, or
            # another standard's own clause by its number and title.
            cited = [
                (heading, heading_standards(heading.text, citation, standards, mode))
                for heading, citation in found
            ]
        else:
            cited = [(h, (c, [c.catalogue or catalogue.id] if c else [])) for h, c in found]
        own_numbers = mode == "titles" and _numbers_its_own_sections(
            [(heading, citation) for heading, (citation, _ids) in cited]
        )
        declarations = []
        for heading, (citation, editions) in cited:
            if citation is None:
                finding = unknown_heading_finding(heading.text, catalogue, page.path, heading.line)
                page.findings += [finding] if finding else []
                continue
            if own_numbers and citation.rule == "title":
                continue
            if citation.overview:
                page.references += [
                    Reference(edition, c, page.path, None, heading.text, heading.line)
                    for edition in editions
                    for c in citation.clauses
                ]
                continue
            extent = sections.under(heading.line)
            declarations += [
                Declaration(
                    edition,
                    clause,
                    page.path,
                    heading.line,
                    None,
                    heading.text,
                    "heading",
                    page.status,
                    words=extent.words,
                    prompted=extent.prompted,
                )
                for edition in editions
                for clause in citation.clauses
            ]
        return declarations

    def _read_prose(
        self,
        page: PageAssessment,
        body: str,
        prose: str,
        body_line: int,
        blocks: list[Block],
        scopes: PageScopes,
    ) -> None:
        """Prose citations and explicit links: references, and findings for unknown ones."""
        locator = LineLocator(prose, body_line)
        recognizer = self.recognizer
        for citation in self._citations(prose, blocks, scopes):
            line = locator.line_at(citation.start)
            binding = citation.binding
            why = binding.why if binding is not None else ""
            if citation.catalogue is None:
                target = binding.target if binding is not None else "unbound"
                known = recognizer.known.get(target) if binding and binding.other else None
                subject = known.subject if known else ""
                page.unlinked.append(Unlinked(page.path, line, citation.text, target, why, subject))
                if binding is not None and binding.ambiguous:
                    page.findings.append(_ambiguous(citation, binding, page.path, line))
                continue
            catalogue = recognizer.catalogue(citation.catalogue)
            if citation.unknown:
                page.findings += citation_findings(citation, catalogue, page.path, line, recognizer)
            page.references += [
                Reference(catalogue.id, clause_id, page.path, None, citation.text, line, why)
                for clause_id in citation.clauses
            ]
        if "](term:" in body or "](clause:" in body:  # rare: most pages have none
            code_free, _fenced = mask_code(body)
            for match in _EXPLICIT_LINK_RE.finditer(code_free):
                self._explicit_link(page, match, locator.line_at(match.start()))

    def _citations(self, prose: str, blocks: list[Block], scopes: PageScopes) -> list[Citation]:
        """The citations of the prose, each read in its block and bound in its context."""
        recognizer = self.recognizer

        def context_of(index: int) -> Binding:
            block = blocks[index]
            context = scopes.at(block.section)
            if block.header is not None or block.before:
                context = cell_binding(recognizer, context, block.header, block.before)
            return context

        found = recognizer.scan_blocks(prose, [(b.start, b.end) for b in blocks], context_of)
        if any(b.header for b in blocks):
            found = self._numbers_cells(prose, blocks, scopes, found)
        return found

    def _numbers_cells(
        self, prose: str, blocks: list[Block], scopes: PageScopes, found: list[Citation]
    ) -> list[Citation]:
        """Add the cells of bare clause numbers under a column that names a standard."""
        starts = [c.start for c in found]
        added = []
        for block in blocks:
            if not block.header or not self.recognizer.may_cite(prose[block.start : block.end]):
                continue
            index = bisect.bisect_left(starts, block.start)
            if index < len(found) and found[index].start < block.end:
                continue  # the cell cites something already
            citation = cite_numbers_cell(
                self.recognizer,
                prose[block.start : block.end],
                scopes.at(block.section),
                block.header,
                block.before,
            )
            if citation is not None:
                added.append(citation.shifted(block.start))
        return sorted([*found, *added], key=lambda c: c.start) if added else found

    def _explicit_link(self, page: PageAssessment, match: re.Match[str], line: int) -> None:
        href, text = match.group("href"), match.group("text")
        target = href.partition(":")[2]
        name = " ".join((target or text).replace("%20", " ").split())
        if match.group("scheme") == "clause":
            catalogue = self.recognizer.default
            if catalogue.get(name) is None:
                page.findings.append(
                    Finding(
                        "unknown-clause",
                        f"'{href}' names no clause of {catalogue.label}",
                        page.path,
                        line,
                        self.recognizer.suggest(catalogue, name),
                        Severity.WARNING,
                    )
                )
            else:
                page.references.append(
                    Reference(catalogue.id, catalogue[name].id, page.path, None, href, line)
                )
        elif self.vocabulary is not None and self.vocabulary.lookup(name) is None:
            page.findings.append(
                Finding(
                    "unknown-term",
                    f"'{href}' names no term of the glossary",
                    page.path,
                    line,
                    self.vocabulary.suggest(name),
                    Severity.WARNING,
                )
            )

    def manual(
        self,
        pages: Iterable[PageAssessment],
        *,
        on: dt.date | None = None,
        anchors: Mapping[str, Sequence[tuple[str, str]]] | None = None,
    ) -> Assessment:
        """The verdict on the pages read.

        Arguments:
            pages: Every page of the manual, read with `page`.
            on: The date reviews are due against (default: today, or SOURCE_DATE_EPOCH).
            anchors: Per page, (heading text, anchor id) of its rendered headings in order,
                so that section declarations and references link to their sections.
        """
        by_path = {page.path: page for page in pages}
        if anchors:
            for page in by_path.values():
                attach_sections(page, anchors.get(page.path, ()))
        # Front matter first, then headings: the order the pages list them under a clause.
        declarations = sorted(
            (d for page in by_path.values() for d in page.declarations),
            key=lambda d: d.source != "front-matter",
        )
        exclusions = [e for page in by_path.values() for e in page.front.exclusions]
        references = [r for page in by_path.values() for r in page.references]
        carried = self.editions.loaded_correspondences()
        claimed = [c.id for c in self.editions.standards]
        # Each edition's coverage: its own declarations, and those of the other editions that
        # the correspondence carries over (a page addressing 2015 10.3 addresses 2026 10.1).
        coverages = {
            edition.id: compute_coverage(
                edition,
                carry_declarations(declarations, edition, carried),
                carry_exclusions(exclusions, edition, carried),
                references,
                parent_covers_children=self.rules.parent_covers_children,
                count_drafts=self.rules.count_drafts,
                publish_drafts=self.rules.publish_drafts,
                mentions=(
                    _mentions(by_path.values(), edition, self.editions.standards)
                    if edition.id in claimed
                    else None
                ),
                qualified=self.editions.several and edition.id in claimed,
            )
            for edition in self.editions.catalogues
        }
        findings = [f for page in by_path.values() for f in page.findings]
        documents = [p.document for p in by_path.values() if p.document is not None]
        findings += check_documents(documents, on or today(), self.rules.review_warning_days)
        # Every standard the manual claims has the same gate; a report lists one standard's
        # clauses after the other's, in the order `standards:` gives them.
        for rank, standard in enumerate(claimed):
            findings += [
                replace(f, order=f.order + rank * _RANK) if rank and not f.path else f
                for f in coverages[standard].findings
            ]
        if self.rules.gate_editions == "all":
            for other in self.editions.others:
                if other.id in claimed:
                    continue
                findings += [
                    replace(f, message=f"{other.label}: {f.message}")
                    for f in coverages[other.id].findings
                    if f.code == "missing-clause"
                ]
        return Assessment(self.editions, by_path, coverages, findings)


# Above any clause's position in its catalogue.
_RANK = 1_000_000


def _ambiguous(citation: Citation, binding: Binding, path: str, line: int) -> Finding:
    return Finding(
        "ambiguous-standard",
        f"'{citation.text}' is not linked: {binding.why}, so it is not clear whose clause it is",
        path,
        line,
        hint="name the standard right before the number ('ISO 9001 clause 6.1')",
        severity=Severity.INFO,
    )


def _mentions(
    pages: Iterable[PageAssessment], catalogue: Catalogue, standards: Sequence[Catalogue] = ()
) -> dict[str, set[str]]:
    """Per page, the clauses of `catalogue` it names: cites, declares or names by title. In a
    manual of several `standards`, naming a clause they share names it in each ("7.5.2" on a
    page that declares "all:7.5")."""
    others = [c for c in standards if c.id != catalogue.id]

    def named(item: Reference | Declaration) -> bool:
        if item.catalogue == catalogue.id:
            return True
        return any(
            item.catalogue == other.id and same_clause(catalogue, other, item.clause)
            for other in others
        )

    return {
        page.path: {
            *page.named.get(catalogue.id, ()),
            *(r.clause for r in page.references if named(r)),
            *(d.clause for d in page.declarations if named(d)),
        }
        for page in pages
    }


# A page numbers its own sections when most of its numbered headings do not carry the title
# of the clause with that number ("2. Agenda", "7.1 Human resources" in review minutes).
_NUMBERED_RE = re.compile(r"^\d{1,2}(?:\.\d{1,2}){0,4}\.?\s")


def _numbers_its_own_sections(cited: list[tuple[Heading, HeadingCitation | None]]) -> bool:
    numbered = [c for h, c in cited if _NUMBERED_RE.match(h.text)]
    titled = [c for c in numbered if c is not None and c.rule == "title"]
    return len(numbered) >= 3 and len(titled) * 2 < len(numbered)


def attach_sections(page: PageAssessment, rendered: Sequence[tuple[str, str]]) -> None:
    """Give heading declarations and prose references the anchors of their sections.

    Rendered headings are matched to source headings by text, in order: the n-th heading
    reading "Purchasing" in the source is the n-th one in the rendered page.
    """
    ids: dict[str, list[str]] = defaultdict(list)
    for text, anchor in rendered:
        ids[text].append(anchor)
    anchor_at: dict[int, str] = {}
    for heading in page.headings:
        found = ids.get(heading.text)
        if found:
            anchor_at[heading.line] = found.pop(0)
    # A heading whose rendered text differs from its source (an icon, a macro) takes the
    # anchor of the rendered heading at the same place, when both have as many headings.
    if len(anchor_at) < len(page.headings) and len(rendered) == len(page.headings):
        for heading, (_text, anchor) in zip(page.headings, rendered, strict=True):
            anchor_at.setdefault(heading.line, anchor)
    page.declarations = [
        replace(d, section=anchor_at.get(d.line)) if d.source == "heading" and d.line else d
        for d in page.declarations
    ]
    lines = sorted(anchor_at)
    page.references = [
        replace(r, section=_section_of(r.line, lines, anchor_at)) for r in page.references
    ]


def _section_of(line: int | None, lines: list[int], anchor_at: dict[int, str]) -> str | None:
    """The anchor of the last heading above `line` (`lines`: the headings' lines, sorted)."""
    index = bisect.bisect_left(lines, line) if line is not None else 0
    return anchor_at[lines[index - 1]] if index else None


def assess(
    sources: Iterable[tuple[str, str]],
    editions: Editions,
    rules: Rules | None = None,
    *,
    vocabulary: Vocabulary | None = None,
    on: dt.date | None = None,
) -> Assessment:
    """The verdict on a manual given as `(docs-relative path, source)` pairs."""
    assessor = Assessor(editions, rules, vocabulary=vocabulary)
    return assessor.manual((assessor.page(path, text) for path, text in sources), on=on)
