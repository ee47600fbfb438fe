"""The authoring macros' core: what each macro of `plugins/macros.py` writes into a page.

The mkdocs-macros module is a thin adapter: it finds the running qmsdocs plugin and the page
being rendered, and calls `PageMacros`, which works on the plugin's own objects (catalogue,
layout, vocabulary) and never imports MkDocs. Every macro returns Markdown that the rest of the
build processes like the author's own text:

- Links use the Markdown-native reference syntax of the qmsdocs extension,
  `[text](clause:8.4)` and `[text](term:name)`. The extension resolves them while the page
  renders into relative `.md#anchor` links (`Layout.href`, the glossary anchor) with the
  tooltip and the `qms-clause`/`qms-term` class, before MkDocs' own link processor, which
  rewrites them for either `use_directory_urls` and validates them. They are also recorded like
  the author's own references: the clause pages list the page under "Referenced by", the
  glossary under "Used on". The macro checks the name first, so the extension only ever sees
  names that exist.
- What depends on the whole manual (which pages cover a clause, the coverage summary) is a
  placeholder (`qmsdocs.pages.placeholder`) that the plugin fills in once every page has
  rendered.
- A name that does not exist is reported as a finding (file, line of the call, a did-you-mean
  hint) and the macro writes the given text as plain text: the page never shows a traceback
  and never silently loses words.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

from qmsdocs.findings import Finding, Severity
from qmsdocs.pages import placeholder
from qmsdocs.principles import Principle, PrincipleSet
from qmsdocs.records import Reference
from qmsdocs.standards import Catalogue, Clause
from qmsdocs.terms import TermMatcher
from qmsdocs.vocabulary import Term, Vocabulary

__all__ = [
    "CallLocator",
    "PageMacros",
    "SiteMacros",
    "markdown_text",
    "resolve_term",
    "suggest_term",
]

PRINCIPLES_NOTE = (
    "Which clauses and terms a principle shows in most is our editorial reading: neither "
    "ISO 9000 nor ISO 9001 maps the principles to clauses or terms."
)

_MARKDOWN_SPECIALS = re.compile(r"([\\`*_\[\]])")


def markdown_text(text: str) -> str:
    """Text that renders as itself in Markdown (catalogue titles, names, unknown input)."""
    escaped = _MARKDOWN_SPECIALS.sub(r"\\\1", " ".join(str(text).split()))
    return escaped.replace("&", "&amp;").replace("<", "&lt;")


def _link_text(text: str) -> str:
    """The author's own link text: Markdown is kept, only brackets would break the link."""
    return re.sub(r"([\[\]])", r"\\\1", " ".join(str(text).split()))


def suggest_term(vocabulary: Vocabulary | None, name: str) -> str | None:
    """A did-you-mean hint for a name that is no term of the vocabulary."""
    return vocabulary.suggest(name) if vocabulary is not None else None


def resolve_term(
    vocabulary: Vocabulary | None, matcher: TermMatcher | None, name: str
) -> Term | None:
    """The term a name means: a preferred or admitted term, or one of its inflected forms
    ("nonconformities"), as the prose matcher would read it."""
    if vocabulary is None:
        return None
    term = vocabulary.lookup(name)
    if term is not None or matcher is None:
        return term
    wanted = " ".join(name.split())
    matches = matcher.find_all(wanted)
    if len(matches) == 1 and matches[0].start == 0 and matches[0].end == len(wanted):
        return vocabulary.get(matches[0].key)
    return None


class CallLocator:
    """Finds the line of a macro call in a page's source, for findings.

    Jinja renders a page from top to bottom, so successive look-ups of the same call find
    successive occurrences (the same approach as `qmsdocs.records.LineLocator`).

    Arguments:
        source: The page's whole source, front matter included, so lines are the file's.
    """

    def __init__(self, source: str) -> None:
        self.source = source
        self._next: dict[tuple[str, str], int] = {}

    def line(self, macro: str, argument: object) -> int | None:
        text = re.escape(str(argument))
        pattern = re.compile(
            rf"(?<![\w.]){re.escape(macro)}\s*\(\s*(?:\w+\s*=\s*)?"
            rf"(?:(?P<q>['\"]){text}(?P=q)|{text}(?![\w.]))"
        )
        key = (macro, str(argument))
        found = pattern.search(self.source, self._next.get(key, 0))
        if found is None and self._next.get(key):
            found = pattern.search(self.source)
        if found is None:
            return None
        self._next[key] = found.end()
        return self.source.count("\n", 0, found.start()) + 1


@dataclass(frozen=True)
class SiteMacros:
    """What the macros need from one build: the objects of the running qmsdocs plugin.

    Attributes:
        catalogue: The catalogue the manual is written against.
        vocabulary: The site's vocabulary, None without one.
        matcher: The plugin's prose term matcher (inflected forms), None if term linking is
            off (`term_matcher` then builds one).
        glossary_page: Docs path of the glossary page; None: terms are not linked.
        principles: The quality management principles.
        report: Adds a finding to the build's report (the plugin's `add_finding`).
        page_exists: Whether a docs-relative page exists in the build.
        cite: Records that a page cites a clause through a macro (for "referenced by": the
            sources hold the macro call, not the citation).
    """

    catalogue: Catalogue
    vocabulary: Vocabulary | None
    matcher: TermMatcher | None
    glossary_page: str | None
    principles: PrincipleSet
    report: Callable[[Finding], None]
    page_exists: Callable[[str], bool]
    cite: Callable[[Reference], None] = lambda _reference: None

    def page(self, src_uri: str, source: str) -> PageMacros:
        return PageMacros(self, src_uri, source)

    @cached_property
    def term_matcher(self) -> TermMatcher | None:
        """The plugin's matcher, or (term linking off) one of our own, built when first needed."""
        if self.matcher is not None or self.vocabulary is None:
            return self.matcher
        return TermMatcher(self.vocabulary)


class PageMacros:
    """The macros, as seen from one page.

    Arguments:
        site: See `SiteMacros`.
        page: Docs-relative path of the page (`src_uri`).
        source: The page's source, front matter included (for the lines of findings).
    """

    def __init__(self, site: SiteMacros, page: str, source: str) -> None:
        self.site = site
        self.page = page
        self.calls = CallLocator(source)

    # Clauses ---------------------------------------------------------------------------------

    def _clause(self, macro: str, clause_id: object) -> Clause | None:
        catalogue = self.site.catalogue
        if isinstance(clause_id, float):
            # Jinja reads clause(7.10) as the number 7.1: the written id is lost.
            self._report(
                "bad-clause-id",
                f"{macro}({clause_id!r}): a clause number must be quoted text",
                macro,
                clause_id,
                f'write {macro}("{clause_id}"): without quotes "7.10" would become 7.1',
            )
            return None
        clause = catalogue.get(str(clause_id).strip())
        if clause is None:
            self._report(
                "unknown-clause",
                f"{macro}({clause_id!r}): {catalogue.label} has no clause {clause_id}",
                macro,
                clause_id,
                catalogue.suggest(str(clause_id).strip()),
            )
        return clause

    def clause(self, clause_id: str, text: str | None = None) -> str:
        """A link to the clause on its clause page: "8.4 Control of externally provided ..."."""
        clause = self._clause("clause", clause_id)
        if clause is None:
            return _link_text(text) if text else markdown_text(str(clause_id))
        label = _link_text(text) if text else markdown_text(self._label(clause))
        return self._cited(clause, label)

    def _cited(self, clause: Clause, label: str) -> str:
        """An explicit link to a clause, recorded as this page's reference to it."""
        href = f"clause:{clause.id}"
        self.site.cite(Reference(self.site.catalogue.id, clause.id, self.page, None, href))
        return f"[{label}]({href})"

    def _label(self, clause: Clause) -> str:
        """Number and title; a paragraph without a heading keeps its number alone."""
        return f"{clause.id} {clause.title}" if clause.title else clause.id

    def clause_title(self, clause_id: str) -> str:
        """The clause's title alone; for a numbered paragraph without one, where it belongs."""
        clause = self._clause("clause_title", clause_id)
        if clause is None:
            return markdown_text(str(clause_id))
        return markdown_text(self.site.catalogue.context_title(clause.id))

    def pages_covering(self, clause_id: str) -> str:
        """The pages that address a clause (filled in once coverage is known)."""
        clause = self._clause("pages_covering", clause_id)
        if clause is None:
            return markdown_text(f"{clause_id} (no such clause in {self.site.catalogue.label})")
        return placeholder("pages-covering", self.site.catalogue.id, clause.id)

    def page_clauses(self) -> str:
        """The clauses this page addresses (filled in once coverage is known)."""
        return placeholder("page-clauses", self.page)

    def coverage_summary(self) -> str:
        """Coverage overall and per top-level clause, with bars (filled in later)."""
        return placeholder("coverage-summary", self.site.catalogue.id)

    # Terms -----------------------------------------------------------------------------------

    def term(self, name: str, text: str | None = None) -> str:
        """A link to a term's glossary entry, its explanation as the tooltip."""
        term = resolve_term(self.site.vocabulary, self.site.term_matcher, str(name))
        if term is None:
            self._report(
                "unknown-term",
                f"term({name!r}) names no term of the glossary",
                "term",
                name,
                suggest_term(self.site.vocabulary, str(name)),
            )
            return _link_text(text) if text else markdown_text(str(name))
        label = _link_text(text) if text else markdown_text(str(name))
        if self.site.glossary_page is None:
            return label  # the site has no glossary page to link to
        return f"[{label}]({_term_href(term)})"

    # Principles ------------------------------------------------------------------------------

    def _principle(self, macro: str, key: str | int) -> Principle | None:
        principles = self.site.principles
        principle = principles.get(key)
        if principle is None:
            self._report(
                "unknown-principle",
                f"{macro}({key!r}) names no principle of {principles.standard}",
                macro,
                key,
                principles.suggest(key),
            )
        return principle

    def principle_card(self, key: str | int, link: str | None = None) -> str:
        """One principle as a Material card (in a grid of its own)."""
        principle = self._principle("principle_card", key)
        if principle is None:
            return markdown_text(str(key))
        return _grid([self._card(principle, link)])

    def principles_grid(self) -> str:
        """Every principle as a Material card, in a grid."""
        return _grid([self._card(p, None) for p in self.site.principles])

    def principle_links(self, key: str | int) -> str:
        """The clauses where a principle shows most and the terms it relies on, as lists."""
        principle = self._principle("principle_links", key)
        if principle is None:
            return markdown_text(str(key))
        catalogue = self.site.catalogue
        standard = catalogue.label if catalogue.id == self.site.principles.catalogue else None
        lines = [f"**Where it shows most in {standard or self.site.principles.catalogue}**", ""]
        lines += [f"- {self._principle_clause(c, full=True)}" for c in principle.clauses]
        lines += ["", "**Terms it relies on**", ""]
        lines += [f"- {self._principle_term(t)}" for t in principle.terms]
        lines += ["", f"*{markdown_text(PRINCIPLES_NOTE)}*"]
        return "\n".join(lines)

    def _card(self, principle: Principle, link: str | None) -> list[str]:
        """A card: the name (linked to the explainer page, if there is one), our summary, the
        clauses where the principle shows most and the principle's number in its standard."""
        name = markdown_text(principle.name)
        target = link if link is not None else self._explainer(principle)
        clauses = ", ".join(self._principle_clause(c, full=False) for c in principle.clauses)
        lines = [
            f"**[{name}]({target})**" if target else f"**{name}**",
            "",
            "---",
            "",
            markdown_text(principle.summary),
            "",
        ]
        if clauses:
            lines += [f"Shows most in: {clauses}", ""]
        lines += [f"*{markdown_text(self.site.principles.citation(principle))}*", ""]
        return lines

    def _explainer(self, principle: Principle) -> str | None:
        """The explainer page of a principle: `<slug>.md` beside this page, or in principles/."""
        here = posixpath.dirname(self.page)
        for candidate in (
            posixpath.join(here, f"{principle.slug}.md"),
            f"principles/{principle.slug}.md",
        ):
            if candidate == self.page:
                return None  # the card sits on its own explainer
            if self.site.page_exists(candidate):
                return posixpath.relpath(candidate, here or ".")
        return None

    def _principle_clause(self, clause_id: str, *, full: bool) -> str:
        catalogue = self.site.catalogue
        clause = catalogue.get(clause_id)
        if clause is None or self.site.principles.catalogue != catalogue.id:
            # The site is written against another standard: name the clause, link nothing.
            return markdown_text(f"{self.site.principles.catalogue} {clause_id}")
        label = self._label(clause) if full else clause.id
        return self._cited(clause, markdown_text(label))

    def _principle_term(self, name: str) -> str:
        term = resolve_term(self.site.vocabulary, self.site.term_matcher, name)
        if term is None or self.site.glossary_page is None:
            return markdown_text(name)  # the site left the ISO 9000 terms out (`iso_terms`)
        return f"[{markdown_text(term.term)}]({_term_href(term)})"

    # Findings --------------------------------------------------------------------------------

    def _report(
        self, code: str, message: str, macro: str, argument: object, hint: str | None
    ) -> None:
        self.site.report(
            Finding(
                code,
                message,
                self.page,
                self.calls.line(macro, argument),
                hint,
                Severity.WARNING,
            )
        )


def _term_href(term: Term) -> str:
    """The extension's reference syntax for a term; angle brackets allow spaces in names."""
    return f"<term:{term.term}>"


def _grid(cards: list[list[str]]) -> str:
    """Material's grid cards: a list in a `grid cards` block (needs md_in_html, attr_list)."""
    lines = ['<div class="grid cards qms-principles" markdown>', ""]
    for card in cards:
        first, *rest = card
        lines.append(f"-   {first}")
        lines += [f"    {line}" if line else "" for line in rest]
    lines += ["</div>"]
    return "\n".join(lines)
