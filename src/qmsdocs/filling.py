"""Filling the placeholders of the generated pages, once the manual's verdict is drawn.

A placeholder (`<!-- qmsdocs:coverage-matrix iso9001-2015 -->`, see `qmsdocs.pages`) names a
kind and its arguments; each kind has one filler here, registered with `@filler(kind)`, that
turns the build's verdict into HTML through the overridable templates (`qmsdocs.render`).
Generated pages hold them, and so do manual pages that call the macros.

Every site generator fills with these: the MkDocs plugin fills the rendered pages in `on_env`
(`qmsdocs.plugin.fillers`), `qmsdocs generate` fills the Markdown it writes, the Markdown
extension without the plugin fills a page as it renders. What differs is only how a page's
links are written (`url_for`) and where titles come from (`title_for`, `info`).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from qmsdocs.exports import PageInfo
from qmsdocs.glossary import sections
from qmsdocs.pages import PLACEHOLDER_RE
from qmsdocs.records import Reference, TermUse
from qmsdocs.render import (
    GlossaryViews,
    Renderer,
    TitleFor,
    UrlFor,
    Views,
    context_title,
    document_view,
    render_clause_status,
    titled_ancestor,
)
from qmsdocs.sitebuild import SiteBuild
from qmsdocs.standards import Catalogue
from qmsdocs.transition import CHANGE_LABELS, transition_report

__all__ = [
    "FILLERS",
    "Fill",
    "PageInfo",
    "fill_placeholders",
    "filler",
    "references_by_clause",
    "register_rows",
]

_ID_RE = re.compile(r'\bid="([^"]+)"')


@dataclass
class Fill:
    """What the fillers of one page share: the build, the page, and look-ups made once.

    Attributes:
        build: The build, its verdict drawn.
        renderer: Renders the fragments.
        page: Docs path of the page being filled.
        url_for: Links from this page (see `qmsdocs.render.UrlFor`).
        title_for: Titles of pages and sections (see `qmsdocs.render.TitleFor`).
        references: The manual's references by (catalogue, clause) (`references_by_clause`).
    """

    build: SiteBuild
    renderer: Renderer
    page: str
    url_for: UrlFor
    title_for: TitleFor
    references: dict[tuple[str, str], list[Reference]]
    _views: dict[str, Views] = field(default_factory=dict)

    def views(self, catalogue_id: str | None = None) -> Views:
        """View data for this page, over one edition's coverage (default: the manual's)."""
        assessment = self.build.verdict
        catalogue_id = catalogue_id or assessment.editions.primary.id
        if catalogue_id not in self._views:
            self._views[catalogue_id] = Views(
                assessment.coverages[catalogue_id],
                self.build.generated.layout,
                self.url_for,
                self.title_for,
                self.page,
                backlinks_limit=self.build.options.backlinks_limit,
                labels=self.build.labels,
            )
        return self._views[catalogue_id]

    def edition(self, args: list[str]) -> tuple[Views, list[str]]:
        """The edition a placeholder names first (most do), and the arguments after it."""
        if args and args[0] in self.build.verdict.coverages:
            return self.views(args[0]), args[1:]
        return self.views(), args

    def catalogue(self, args: list[str]) -> Catalogue:
        """The loaded edition a placeholder names first (the manual's own if none)."""
        primary = self.build.editions.primary
        editions = {c.id: c for c in self.build.editions.catalogues}
        return editions.get(args[0], primary) if args else primary

    @cached_property
    def glossary(self) -> GlossaryViews:
        return _glossary_views(self)


Filler = Callable[[Fill, list[str]], str]
FILLERS: dict[str, Filler] = {}


def filler(kind: str) -> Callable[[Filler], Filler]:
    """Register the filler of a placeholder kind."""

    def register(function: Filler) -> Filler:
        FILLERS[kind] = function
        return function

    return register


def references_by_clause(build: SiteBuild) -> dict[tuple[str, str], list[Reference]]:
    """The manual's references to each clause, (catalogue id, clause id) -> references."""
    references: dict[tuple[str, str], list[Reference]] = defaultdict(list)
    for reference in build.verdict.references:
        references[reference.catalogue, reference.clause].append(reference)
    return references


def fill_placeholders(text: str, fill: Fill) -> tuple[str, set[str]]:
    """`text` (a page's HTML, or Markdown) with each placeholder replaced by its fragment,
    and the ids the fragments added (a site generator that checks anchors must know them)."""
    added: set[str] = set()

    def replace(match: re.Match[str]) -> str:
        function = FILLERS.get(match.group("kind"))
        html = function(fill, match.group("args").split()) if function else ""
        added.update(_ID_RE.findall(html))
        return html

    return PLACEHOLDER_RE.sub(replace, text), added


# Clause pages and coverage ---------------------------------------------------------------------


@filler("clause")
def _clause(fill: Fill, args: list[str]) -> str:
    views, rest = fill.edition(args)
    catalogue = views.catalogue
    return render_clause_status(
        fill.renderer,
        views,
        catalogue[rest[-1]],
        fill.references.get((catalogue.id, catalogue[rest[-1]].id), []),
    )


@filler("coverage-status")
def _coverage_status(fill: Fill, args: list[str]) -> str:
    views, _rest = fill.edition(args)
    coverage = views.coverage
    return fill.renderer.render(
        "coverage-status.html",
        complete=coverage.complete,
        missing=[views.clause_link(c) for c in coverage.missing()],
        summary=views.summaries()[-1],
        publish_drafts=coverage.publish_drafts,
    )


@filler("coverage-summary")
def _coverage_summary(fill: Fill, args: list[str]) -> str:
    views, _rest = fill.edition(args)
    return fill.renderer.render("coverage-summary.html", rows=views.summaries())


@filler("coverage-matrix")
def _coverage_matrix(fill: Fill, args: list[str]) -> str:
    views, _rest = fill.edition(args)
    rows = [views.verdict(v) for v in views.coverage.verdicts.values()]
    # Ids stay unique when several editions' matrices share the page.
    primary = fill.build.verdict.editions.primary
    prefix = "coverage-" if views.catalogue is primary else f"coverage-{views.catalogue.id}-"
    return fill.renderer.render("coverage-matrix.html", rows=rows, prefix=prefix)


@filler("coverage-side-by-side")
def _coverage_side_by_side(fill: Fill, args: list[str]) -> str:
    """Each top-level clause's coverage in every standard the manual claims, in columns."""
    standards = [fill.views(i) for i in args if i in fill.build.verdict.coverages]
    rows: dict[str | None, dict[str, Any]] = {}
    for column, views in enumerate(standards):
        for summary in views.summaries():
            clause = summary["clause"]
            row = rows.setdefault(
                clause["id"] if clause else None,
                {"clause": clause, "titles": [], "cells": [None] * len(standards)},
            )
            row["cells"][column] = summary
            title = clause["title"] if clause else None
            if column and title and row["clause"] and title != row["clause"]["title"]:
                row["titles"].append((views.catalogue.label, title))
    ordered = sorted(rows.values(), key=lambda r: _top_key(r["clause"]))
    return fill.renderer.render(
        "coverage-side-by-side.html",
        standards=[{"label": v.catalogue.label, "id": v.catalogue.id} for v in standards],
        rows=ordered,
    )


def _top_key(clause: dict[str, Any] | None) -> tuple[int, str]:
    """Top-level clauses by number, the overall row last."""
    if clause is None:
        return (1_000, "")
    number = clause["id"]
    return (int(number), "") if number.isdigit() else (999, number)


@filler("coverage-pages")
def _coverage_pages(fill: Fill, args: list[str]) -> str:
    views, _rest = fill.edition(args)
    return fill.renderer.render("coverage-pages.html", rows=views.pages())


@filler("pages-covering")
def _pages_covering(fill: Fill, args: list[str]) -> str:
    views, rest = fill.edition(args)
    clause = views.catalogue.get(rest[-1]) if rest else None
    verdict = views.coverage.verdicts.get(clause.id) if clause else None
    return fill.renderer.render(
        "pages-covering.html", verdict=views.verdict(verdict) if verdict else None
    )


@filler("page-clauses")
def _page_clauses(fill: Fill, args: list[str]) -> str:
    views = fill.views()
    declarations = views.coverage.pages().get(" ".join(args), [])
    return fill.renderer.render(
        "page-clauses.html",
        clauses=[
            {
                **views.clause_link(views.catalogue[d.clause]),
                "where": views.location(d.page, d.section),
            }
            for d in declarations
        ],
    )


@filler("transition")
def _transition(fill: Fill, args: list[str]) -> str:
    views, rest = fill.edition(args)
    correspondence = fill.build.verdict.editions.transition()
    if correspondence is None:
        return ""
    report = transition_report(correspondence, fill.build.verdict.declarations)
    source, target = correspondence.source, correspondence.target
    labels = {change: fill.build.labels(f"change.{change}") for change in CHANGE_LABELS}
    items = [
        {
            "change": item.entry.change,
            "label": labels[item.entry.change],
            "note": item.entry.note,
            "source": _clause_view(views, source, item.entry.source),
            "target": _clause_view(views, target, item.entry.target),
            "review": views.declarations(list(item.addressed_by)),
            "move": [
                {**views.location(d.page, d.section), "heading": d.source == "heading"}
                for d in item.must_move
            ],
            "open": item.open,
        }
        for item in report.items
    ]
    return fill.renderer.render(
        "transition.html",
        part=rest[1] if len(rest) > 1 else "all",
        source=source.label,
        target=target.label,
        provisional=correspondence.provisional,
        items=items,
        counts={change: report.count(change) for change in CHANGE_LABELS},
        labels=labels,
        open=[i for i in items if i["open"]],
        moves=[i for i in items if i["move"]],
        review=[i for i in items if i["review"]],
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
        "title": context_title(catalogue, clause.id, views.labels),
        "url": views.url_for(page, anchor),
    }


# Notices on the generated pages ----------------------------------------------------------------


@filler("clause-notice")
def _clause_notice(fill: Fill, args: list[str]) -> str:
    return fill.renderer.render("clause-notice.html", label=fill.catalogue(args).label)


@filler("provisional-notice")
def _provisional_notice(fill: Fill, _args: list[str]) -> str:
    return fill.renderer.render("provisional-notice.html")


@filler("clause-context")
def _clause_context(fill: Fill, args: list[str]) -> str:
    parent = titled_ancestor(fill.catalogue(args), args[-1], fill.build.labels)
    return fill.renderer.render("clause-context.html", parent=parent)


@filler("clause-confidence")
def _clause_confidence(fill: Fill, args: list[str]) -> str:
    clause = fill.catalogue(args)[args[-1]]
    return fill.renderer.render("clause-confidence.html", confidence=clause.confidence)


@filler("glossary-notice")
def _glossary_notice(fill: Fill, _args: list[str]) -> str:
    return fill.renderer.render("glossary-notice.html")


# The glossary ----------------------------------------------------------------------------------


def _glossary_views(fill: Fill) -> GlossaryViews:
    """Entries, "used on" backlinks and the A to Z index of the terms the glossary lists."""
    build = fill.build
    uses: dict[str, list[TermUse]] = defaultdict(list)
    seen: set[tuple[str, str]] = set()  # (term, page): one "used on" link per page
    for record in sorted(build.records.values(), key=lambda r: r.page):
        for use in record.terms:
            if (use.key, use.page) not in seen:
                seen.add((use.key, use.page))
                uses[use.key].append(use)
    listed = [
        t for t in build.vocabulary if build.options.glossary_list == "all" or uses.get(t.key)
    ]
    return GlossaryViews(
        build.vocabulary,
        uses,
        fill.url_for,
        fill.title_for,
        listed,
        backlinks_limit=build.options.backlinks_limit,
        unlinked=build.context.senses.off if build.context.senses else frozenset(),
        labels=build.labels,
    )


@filler("glossary-group")
def _glossary_group(fill: Fill, args: list[str]) -> str:
    views = fill.glossary
    groups = {s.id: s for s in sections(fill.build.vocabulary, views.listed)}
    section = groups.get(" ".join(args))
    entries = [views.entry(t) for t in section.terms] if section else []
    return fill.renderer.render("glossary-group.html", entries=entries)


@filler("glossary-letters")
def _glossary_letters(fill: Fill, _args: list[str]) -> str:
    return fill.renderer.render("glossary-letters.html", letters=fill.glossary.letters())


@filler("glossary-index")
def _glossary_index(fill: Fill, _args: list[str]) -> str:
    return fill.renderer.render("glossary-index.html", letters=fill.glossary.letters())


# The document register ------------------------------------------------------------------------


def register_rows(build: SiteBuild, info: PageInfo) -> list[dict[str, Any]]:
    """The register's rows: every controlled document, by id (then page). They are also the
    register's exports: their `status_label` is English (the page shows the site's words)."""
    rows = []
    for document in sorted(build.verdict.documents, key=lambda d: (d.id.casefold(), d.page)):
        url, title = info(document.page)
        rows.append(
            document_view(
                document,
                title,
                url or document.page,
                build.today,
                build.options.review_warning_days,
                build.git_dates.get(document.page),
            )
        )
    return rows


@filler("document-register")
def _document_register(fill: Fill, _args: list[str]) -> str:
    url_for = fill.url_for
    labels = fill.build.labels
    rows = [
        {
            **row,
            "url": url_for(row["page"], None),
            "status_label": labels(f"document.status.{row['status']}"),
        }
        for row in fill.build.register
    ]
    return fill.renderer.render(
        "document-register.html",
        documents=rows,
        today=fill.build.today.isoformat(),
        counts={
            "overdue": sum(r["review_state"] == "overdue" for r in rows),
            "due_soon": sum(r["review_state"] == "due-soon" for r in rows),
        },
        warn_days=fill.build.options.review_warning_days,
    )
