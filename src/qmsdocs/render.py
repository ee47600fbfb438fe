"""HTML fragments for the generated pages, from Jinja templates a site can override.

The fragments live in `qmsdocs/templates/qmsdocs/*.html`. They are looked up through the
theme's own loader first, so a site overrides one by putting a file of the same name under
`qmsdocs/` in its `custom_dir`. Output is autoescaped: text from front matter, catalogues and
glossaries can never inject markup.

Templates receive plain view data (dicts and lists) built here from the core's results, with
every URL already made relative to the page the fragment lands on. Their words come from the
site's labels (`qmsdocs.labels`): `{{ t("column.clause") }}`, `{{ t("more_pages", n) }}`. `t`
escapes the label's text and the values of its fields, and keeps a field that is already markup
(a link, `<strong>`) as it is; a site's own template may also use `labels` (the `Labels`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import jinja2
from markupsafe import Markup, escape

from qmsdocs.coverage import STATUS_LABELS, ClauseVerdict, Coverage
from qmsdocs.documents import DocumentControl, review_state
from qmsdocs.glossary import TermUse, anchor, letters
from qmsdocs.labels import ENGLISH, Labels, compose, load_labels
from qmsdocs.layout import Layout
from qmsdocs.manual import Declaration
from qmsdocs.records import DRAFT_STATUSES, Reference
from qmsdocs.standards import Catalogue, Clause
from qmsdocs.vocabulary import Term, Vocabulary

__all__ = [
    "GlossaryViews",
    "Renderer",
    "UrlFor",
    "Views",
    "capped",
    "context_title",
    "document_view",
    "render_clause_status",
    "template_labels",
    "titled_ancestor",
]

# url_for(docs-relative page path, anchor or None) -> URL relative to the page being filled,
# and title_for(page path, anchor or None) -> (page title, section title or None).
UrlFor = Callable[[str, str | None], str]
TitleFor = Callable[[str, str | None], tuple[str, str | None]]


class CompiledTemplates(jinja2.BytecodeCache):
    """The fragments' templates as compiled code, kept in memory: compiling the twenty of them
    takes 60 ms, once per environment, and a build makes two (one for the panels, one for the
    generated pages), `mkdocs serve` two more per rebuild. Jinja checks each entry against
    its template's source, so a changed template (a site's override too) is compiled anew."""

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}

    def codes(self) -> dict[str, bytes]:
        """Every compiled template kept, by Jinja's key (its name and file)."""
        return dict(self._code)

    def add(self, codes: dict[str, bytes]) -> None:
        """Keep templates compiled elsewhere, by an environment of the same settings
        (`Renderer.adopt`); one compiled here already is kept as it is."""
        for key, code in codes.items():
            self._code.setdefault(key, code)

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = self._code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()


class Renderer:
    """Renders the fragments with the theme's Jinja environment (or a plain one in tests), in
    the words of `labels` (default: English); `compiled` keeps the compiled templates."""

    def __init__(
        self,
        env: jinja2.Environment | None = None,
        labels: Labels | None = None,
        compiled: CompiledTemplates | None = None,
    ) -> None:
        self.labels = labels if labels is not None else load_labels(ENGLISH)
        self.compiled = compiled if compiled is not None else CompiledTemplates()
        package = self._package = jinja2.PackageLoader("qmsdocs", "templates")
        if env is None:
            self.env = jinja2.Environment(
                loader=package, autoescape=True, bytecode_cache=self.compiled
            )
        else:
            loaders: list[jinja2.BaseLoader] = [package]
            if env.loader is not None:
                loaders.insert(0, env.loader)
            self.env = env.overlay(
                loader=jinja2.ChoiceLoader(loaders), autoescape=True, bytecode_cache=self.compiled
            )
        # An overlay shares its globals with the theme's environment: ours go in a copy, so
        # that the theme's own templates never see them (nor a previous build's language).
        self.env.globals = {
            **self.env.globals,
            "t": template_labels(self.labels),
            "labels": self.labels,
            "status_labels": {s: self.labels(f"status.{s}") for s in STATUS_LABELS},
        }

    def render(self, name: str, **context: Any) -> str:
        return self.env.get_template(f"qmsdocs/{name}").render(**context).strip()

    def compile_all(self) -> tuple[tuple[object, ...], dict[str, bytes]]:
        """Compile every fragment's template (a site's override where it has one); returns
        the settings they were compiled with and the compiled code, for `adopt`."""
        for name in self._package.list_templates():
            if name.startswith("qmsdocs/") and name.endswith(".html"):
                self.env.get_template(name)
        return compile_settings(self.env), self.compiled.codes()

    def adopt(self, compiled: tuple[tuple[object, ...], dict[str, bytes]]) -> bool:
        """Use templates `compile_all` compiled elsewhere (in a copy of this process) if they
        were compiled with this environment's settings; whether they were."""
        settings, codes = compiled
        if settings != compile_settings(self.env):
            return False
        self.compiled.add(codes)
        return True


def compile_settings(env: jinja2.Environment) -> tuple[object, ...]:
    """What compiled template code depends on besides the template's source (which Jinja
    checks itself): code compiled under the same settings can be used in either environment."""
    return (
        type(env).__qualname__,
        env.autoescape if isinstance(env.autoescape, bool) else id(env.autoescape),
        env.optimized,
        env.is_async,
        env.finalize is None,
        tuple(sorted(env.extensions)),
        env.block_start_string,
        env.block_end_string,
        env.variable_start_string,
        env.variable_end_string,
        env.comment_start_string,
        env.comment_end_string,
        env.line_statement_prefix,
        env.line_comment_prefix,
        env.trim_blocks,
        env.lstrip_blocks,
        env.newline_sequence,
        env.keep_trailing_newline,
    )


def template_labels(labels: Labels) -> Callable[..., Markup]:
    """The templates' `t(key, count, **fields)`: the label as markup, its text and the values
    of its fields escaped (a value that is markup already, such as a link, is kept)."""

    def t(key: str, count: int | None = None, /, **fields: Any) -> Markup:
        values: dict[str, Any] = {} if count is None else {"count": count}
        values.update(fields)
        escaped = {name: escape(value) for name, value in values.items()}
        return Markup(compose(labels.text(key, count), escaped, _escape_text))

    return t


def _escape_text(text: str) -> str:
    """A label's own text for HTML: safe in content and in double-quoted attributes, its
    apostrophes ("the standard's", "l'article") left as they are."""
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&#34;")
    )


def context_title(catalogue: Catalogue, clause_id: str, labels: Labels) -> str:
    """`Catalogue.context_title` in the site's words: the clause's title (in the site's
    language where the catalogue has it), or for a numbered paragraph without one, the clause
    it is part of ("part of 7.1.5 Monitoring and ...")."""
    title = catalogue.display_title(clause_id, labels.language)
    if title:
        return title
    parent = titled_ancestor(catalogue, clause_id, labels)
    return labels("clause.part_of", clause=parent) if parent else ""


def titled_ancestor(catalogue: Catalogue, clause_id: str, labels: Labels | None = None) -> str:
    """The nearest enclosing clause with a title, as a heading reads ("7.1.5 Monitoring ..."),
    in the site's language where the catalogue has it."""
    language = labels.language if labels is not None else None
    for ancestor in catalogue.ancestors(clause_id):
        if ancestor.title:
            return catalogue.heading(ancestor.id, language)
    return ""


class Views:
    """Builds the view data of the fragments for one page being filled in.

    Arguments:
        coverage: The verdicts (None while coverage is not computed, e.g. a foreign catalogue).
        layout: Where clauses live.
        url_for: See `UrlFor`.
        title_for: See `TitleFor`.
        from_page: Docs-relative path of the page the fragments land on.
        backlinks_limit: Most pages listed as "referenced by" (0: all); see `capped`.
        labels: The site's words (default: English).
    """

    def __init__(
        self,
        coverage: Coverage,
        layout: Layout,
        url_for: UrlFor,
        title_for: TitleFor,
        from_page: str,
        *,
        backlinks_limit: int = 0,
        labels: Labels | None = None,
    ) -> None:
        self.labels = labels if labels is not None else load_labels(ENGLISH)
        self.coverage = coverage
        self.catalogue = coverage.catalogue
        self.layout = layout
        self.url_for = url_for
        self.title_for = title_for
        self.from_page = from_page
        self.backlinks_limit = backlinks_limit
        self._clause_links: dict[str, dict[str, str]] = {}

    def clause_link(self, clause: Clause) -> dict[str, str]:
        link = self._clause_links.get(clause.id)
        if link is None:
            page, anchor = self.layout.target(self.catalogue.id, clause)
            link = self._clause_links[clause.id] = {
                "id": clause.id,
                "title": self.catalogue.display_title(clause.id, self.labels.language) or "",
                "context": context_title(self.catalogue, clause.id, self.labels),
                "url": self.url_for(page, anchor),
            }
        return dict(link)  # callers add keys of their own

    def location(self, page: str, anchor: str | None) -> dict[str, str]:
        title, section = self.title_for(page, anchor)
        return {
            "url": self.url_for(page, anchor if section else None),
            "title": title,
            "section": section or "",
        }

    def declarations(self, declarations: list[Declaration]) -> list[dict[str, str]]:
        seen: set[tuple[str, str | None]] = set()
        result = []
        for declaration in sorted(declarations, key=lambda d: (d.page, d.line or 0)):
            key = (declaration.page, declaration.section)
            if key not in seen:
                seen.add(key)
                location = self.location(declaration.page, declaration.section)
                # Coverage from a document that is not yet approved is shown as such.
                if declaration.document_status in DRAFT_STATUSES:
                    location["draft"] = self.labels(f"mark.{declaration.document_status}")
                elif declaration.prompted:
                    location["draft"] = self.labels("mark.to-do")
                result.append(location)
        return result

    def references(self, references: list[Reference]) -> tuple[list[dict[str, str]], int]:
        """The pages citing a clause (first citation per page), capped; and how many more."""
        first: dict[str, Reference] = {}
        for reference in references:
            first.setdefault(reference.page, reference)
        pages = sorted(first)
        shown, more = capped(pages, self.backlinks_limit)
        return [self.location(page, first[page].section) for page in shown], more

    def verdict(self, verdict: ClauseVerdict) -> dict[str, Any]:
        exclusion = verdict.exclusion
        through = self.catalogue.get(verdict.through) if verdict.through else None
        return {
            "clause": self.clause_link(verdict.clause),
            "status": verdict.status,
            "label": verdict.labelled(self.labels(f"status.{verdict.status}")),
            "how": how_covered(verdict, self.labels),
            "thin": verdict.thin,
            "gated": verdict.gated,
            "depth": verdict.clause.depth,
            "addressed_by": self.declarations(verdict.addressed_by),
            "inherited": self.declarations(verdict.inherited),
            "through": self.clause_link(through) if through else None,
            "exclusion": (
                {
                    "justification": exclusion.justification,
                    **self.location(exclusion.page, None),
                    # A subclause of an excluded clause points to the clause's justification
                    # rather than repeat it (8.3.1-8.3.6: "justified under 8.3").
                    "with": self._declared_on(exclusion.clause, verdict.clause.id),
                }
                if exclusion
                else None
            ),
        }

    def _declared_on(self, declared: str, clause_id: str) -> dict[str, str] | None:
        """The enclosing clause an exclusion is declared on; None if on the clause itself."""
        clause = self.catalogue.get(declared)
        return self.clause_link(clause) if clause and declared != clause_id else None

    def summaries(self) -> list[dict[str, Any]]:
        rows = []
        for summary in self.coverage.summaries():
            rows.append(
                {
                    "clause": self.clause_link(summary.clause) if summary.clause else None,
                    "required": summary.required,
                    "covered": summary.covered,
                    "drafted": summary.drafted,
                    "not_applicable": summary.not_applicable,
                    "missing": summary.missing,
                    "percent": summary.percent,
                }
            )
        return rows

    def pages(self) -> list[dict[str, Any]]:
        rows = []
        for page, declarations in self.coverage.pages().items():
            title, _ = self.title_for(page, None)
            clauses = []
            for declaration in declarations:
                clause = self.catalogue[declaration.clause]
                clauses.append(
                    {
                        **self.clause_link(clause),
                        "where": self.location(page, declaration.section),
                    }
                )
            rows.append({"url": self.url_for(page, None), "title": title, "clauses": clauses})
        return rows


def how_covered(verdict: ClauseVerdict, labels: Labels | None = None) -> str:
    """How strongly a clause is covered, in a few words for the matrix and the clause page."""
    labels = labels if labels is not None else load_labels(ENGLISH)
    kind = verdict.kind
    if kind == "front-matter":
        how = labels("how.front_matter")
    elif kind == "heading":
        words = verdict.words
        how = labels("how.heading") if words is None else labels("how.heading_words", words)
    elif kind == "parent":
        sources = {d.source for d in verdict.inherited}
        key = "how.through_front_matter" if sources == {"front-matter"} else "how.through_heading"
        how = labels(key, clause=verdict.through)
    else:
        return ""
    return labels("how.thin", how=how) if verdict.thin else how


def render_clause_status(
    renderer: Renderer, views: Views | None, clause: Clause, references: list[Reference]
) -> str:
    """What the manual says about one clause, under its heading on the clause page."""
    verdict = views.coverage.verdicts.get(clause.id) if views else None
    referenced_by, more = views.references(references) if views else ([], 0)
    return renderer.render(
        "clause-status.html",
        clause=clause,
        verdict=views.verdict(verdict) if views and verdict else None,
        referenced_by=referenced_by,
        referenced_more=more,
    )


def capped(items: list[Any], limit: int) -> tuple[list[Any], int]:
    """The first `limit` items (all if `limit` is 0) and how many were left out.

    Backlink lists grow with the manual: a term used on 300 pages would list 300 links under
    its glossary entry, which nobody reads and every page view downloads. The count keeps what
    is left out visible.
    """
    if limit <= 0 or len(items) <= limit:
        return items, 0
    return items[:limit], len(items) - limit


class GlossaryViews:
    """View data of the glossary page's fragments.

    Arguments:
        vocabulary: All terms.
        uses: Term key -> the pages that use it (first use per page), in page order.
        url_for: See `UrlFor` (relative to the glossary page).
        title_for: See `TitleFor`.
        listed: The terms the page lists (all, or only the used ones).
        backlinks_limit: Most pages listed as "used on" (0: all); see `capped`.
        unlinked: Keys of the terms not linked in prose on this site (`qmsdocs.senses`).
        labels: The site's words (default: English).
    """

    def __init__(
        self,
        vocabulary: Vocabulary,
        uses: dict[str, list[TermUse]],
        url_for: UrlFor,
        title_for: TitleFor,
        listed: list[Term],
        *,
        backlinks_limit: int = 0,
        unlinked: frozenset[str] = frozenset(),
        labels: Labels | None = None,
    ) -> None:
        self.labels = labels if labels is not None else load_labels(ENGLISH)
        self.unlinked = unlinked
        self.vocabulary = vocabulary
        self.uses = uses
        self.url_for = url_for
        self.title_for = title_for
        self.listed = listed
        self.backlinks_limit = backlinks_limit
        self._listed_keys = {t.key for t in listed}

    def _term_link(self, term: Term) -> dict[str, str]:
        return {"term": term.term, "anchor": anchor(term), "key": term.key}

    def entry(self, term: Term) -> dict[str, Any]:
        see = [self.vocabulary.get(key) for key in term.see]
        # Sorted by page title; only the links shown are built.
        uses = sorted(
            self.uses.get(term.key, []),
            key=lambda u: (self.title_for(u.page, None)[0].casefold(), u.page),
        )
        shown, more = capped(uses, self.backlinks_limit)
        used_on = []
        for use in shown:
            title, section = self.title_for(use.page, use.section)
            used_on.append(
                {
                    "url": self.url_for(use.page, use.section if section else None),
                    "title": title,
                    "section": section or "",
                }
            )
        return {
            **self._term_link(term),
            "reference": term.reference,
            "admitted": list(term.admitted),
            "explanation": term.explanation,
            "origin": term.origin.value,
            "see": [
                self._term_link(t) for t in see if t is not None and t.key in self._listed_keys
            ],
            "used_on": used_on,
            "used_more": more,
            "not_linked": (
                (term.link_note or self.labels("glossary.not_linked_default"))
                if term.key in self.unlinked
                else ""
            ),
        }

    def letters(self) -> list[dict[str, Any]]:
        return [
            {
                "letter": letter,
                "id": "letter-" + ("0" if letter == "#" else letter.lower()),
                "terms": [self._term_link(t) for t in terms],
            }
            for letter, terms in letters(self.listed)
        ]


def document_view(
    document: DocumentControl,
    title: str,
    url: str,
    on: dt.date,
    warn_days: int,
    last_changed: dt.date | None = None,
    labels: Labels | None = None,
) -> dict[str, Any]:
    """View data of one controlled document (panel, history, register row).

    `status_label` is in the words of `labels`; without them, in English (the register's rows
    are also its exports, data that stays English).
    """

    def iso(value: dt.date | None) -> str:
        return value.isoformat() if value else ""

    return {
        "id": document.id,
        "title": document.title or title,
        "url": url,
        "page": document.page,
        "revision": document.revision,
        "status": document.status,
        "status_label": (
            labels(f"document.status.{document.status}") if labels else document.status_label
        ),
        "owner": document.owner,
        "approved_by": document.approved_by,
        "approved_on": iso(document.approved_on),
        "effective": iso(document.effective),
        "next_review": iso(document.next_review),
        "review_state": review_state(document, on, warn_days),
        "last_changed": iso(last_changed),
        "history": [
            {"revision": r.revision, "date": iso(r.date), "author": r.author, "change": r.change}
            for r in document.history
        ],
    }
