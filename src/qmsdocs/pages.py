"""The generated pages, as Markdown with placeholders.

Generated pages go through MkDocs' normal rendering (so they get the theme, the table of
contents and search like any page). What depends on the whole manual (which pages cite or
cover a clause) is not known while pages render, so the Markdown holds placeholders, HTML
comments that survive rendering untouched, and the plugin replaces them once every page has
been rendered (see `qmsdocs.plugin.QMSPlugin.on_env`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from qmsdocs.glossary import ORGANISATION_SECTION, GlossarySection
from qmsdocs.layout import ClausePage, Layout, relative_href
from qmsdocs.standards import Catalogue, Clause

__all__ = [
    "PLACEHOLDER_MARK",
    "PLACEHOLDER_RE",
    "clause_page_markdown",
    "coverage_page_markdown",
    "glossary_page_markdown",
    "placeholder",
    "register_page_markdown",
    "transition_page_markdown",
]

PLACEHOLDER_MARK = "<!-- qmsdocs:"
PLACEHOLDER_RE = re.compile(r"<!-- qmsdocs:(?P<kind>[a-z-]+) (?P<args>[^>]*?) -->")


def placeholder(kind: str, *args: str) -> str:
    return f"<!-- qmsdocs:{kind} {' '.join(args)} -->"


def _front_matter(title: str) -> str:
    # Quoted for YAML; titles are the standard's headings and may contain colons.
    safe = title.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")
    return f'---\ntitle: "{safe}"\nqmsdocs_generated: clause-page\n---\n\n'


def _heading(catalogue: Catalogue, clause: Clause, level: int) -> str:
    # A catalogue is data a user may supply: its titles must render as text, not markup.
    return f"{'#' * min(level, 6)} {_md_text(catalogue.heading(clause.id))}"


def _clause_block(catalogue: Catalogue, clause: Clause, level: int) -> list[str]:
    lines = [_heading(catalogue, clause, level), ""]
    if not clause.title:
        # A numbered paragraph without a heading: say where it belongs rather than invent.
        lines += [placeholder("clause-context", catalogue.id, clause.id), ""]
    if catalogue.provisional and clause.confidence:
        lines += [placeholder("clause-confidence", catalogue.id, clause.id), ""]
    lines += [placeholder("clause", catalogue.id, clause.id), ""]
    return lines


def clause_page_markdown(page: ClausePage, layout: Layout) -> str:
    """The Markdown of one generated clause page."""
    catalogue = page.catalogue
    if page.top is None:
        return _index_markdown(page, layout)
    top = page.top
    lines = [_front_matter(catalogue.heading(top.id)).rstrip("\n"), ""]
    lines += _clause_block(catalogue, top, 1)
    lines += [placeholder("clause-notice", catalogue.id), ""]
    if catalogue.provisional:
        lines += [placeholder("provisional-notice", catalogue.id), ""]
    for clause in catalogue.descendants(top.id):
        lines += _clause_block(catalogue, clause, clause.depth)
    return "\n".join(lines).rstrip() + "\n"


def _index_markdown(page: ClausePage, layout: Layout) -> str:
    catalogue = page.catalogue
    lines = [_front_matter("Clause index").rstrip("\n"), ""]
    lines += [f"# {_md_text(catalogue.title)}", ""]
    if catalogue.provisional:
        lines += [placeholder("provisional-notice", catalogue.id), ""]
    lines += [
        f"The clauses of {_md_text(catalogue.label)}, each with the pages of this manual that "
        "refer to it. Clauses that carry requirements have a page each:",
        "",
        "| Clause | Heading | Subclauses |",
        "|---|---|---|",
    ]
    for clause_page in layout.pages(catalogue.id):
        if clause_page.top is None:
            continue
        top = clause_page.top
        link = relative_href(page.src_uri, clause_page.src_uri)
        count = len(catalogue.descendants(top.id))
        lines.append(f"| [{top.id}]({link}) | [{_cell(top.title or '')}]({link}) | {count} |")
    lines += ["", placeholder("clause-notice", catalogue.id), ""]
    on_index = [c for c in catalogue if layout.page_of(catalogue.id, c.id) == page.src_uri]
    for clause in on_index:
        lines += _clause_block(catalogue, clause, clause.depth + 1)
    return "\n".join(lines).rstrip() + "\n"


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


_MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()#+!|~^=-])")


def _md_text(text: str) -> str:
    """Text for a Markdown heading that renders as itself (names may hold * _ ` < &)."""
    return _escape(_MARKDOWN_SPECIALS.sub(r"\\\1", text))


def _cell(text: str) -> str:
    return _escape(text).replace("|", "\\|")


def coverage_page_markdown(
    catalogue: Catalogue,
    json_name: str,
    csv_name: str,
    others: Sequence[tuple[Catalogue, str, str]] = (),
) -> str:
    """The Markdown of the generated coverage page: headings, placeholders, export links.

    With other editions loaded (a transition), each edition gets a section of its own.
    """
    title = "Clause coverage" if others else f"Clause coverage: {_md_text(catalogue.label)}"
    lines = [
        '---\ntitle: "Clause coverage"\nqmsdocs_generated: coverage\n---',
        "",
        f"# {title}",
        "",
    ]
    editions = [(catalogue, json_name, csv_name), *others]
    for edition, _json, _csv in editions:
        level = "##"
        if others:
            provisional = " (provisional)" if edition.provisional else ""
            lines += [f"## {_md_text(edition.label)}{provisional}", ""]
            level = "###"
        lines += [
            placeholder("coverage-status", edition.id),
            "",
            f"{level} Summary",
            "",
            placeholder("coverage-summary", edition.id),
            "",
            f"{level} Clause by clause",
            "",
            f"Every clause of {_md_text(edition.label)} that carries requirements, in the "
            "standard's order. The build checks the lowest-level clauses; a clause with "
            "subclauses shows how its subclauses fare.",
            "",
            placeholder("coverage-matrix", edition.id),
            "",
        ]
    lines += [
        "## Pages and the clauses they address",
        "",
        placeholder("coverage-pages", catalogue.id),
        "",
        "## Exports",
        "",
    ]
    for edition, json_file, csv_file in editions:
        which = f" ({_md_text(edition.label)})" if others else ""
        lines += [
            f"- [{json_file}]({json_file}){which}: the same data for tools, with a JSON Schema "
            "in the qmsdocs package (`qmsdocs/schemas/coverage.schema.json`).",
            f"- [{csv_file}]({csv_file}){which}: one row per clause, for a spreadsheet.",
        ]
    return "\n".join([*lines, ""])


def transition_page_markdown(correspondence: Any) -> str:
    """The Markdown of the generated transition page (a `qmsdocs.transition.Correspondence`)."""
    source, target = correspondence.source, correspondence.target
    return "\n".join(
        [
            '---\ntitle: "Transition"\nqmsdocs_generated: transition\n---',
            "",
            f"# Transition from {_md_text(source.label)} to {_md_text(target.label)}",
            "",
            placeholder("transition", source.id, target.id),
            "",
        ]
    )


def glossary_page_markdown(
    sections: list[GlossarySection], title: str
) -> tuple[str, dict[str, str]]:
    """The Markdown of the glossary page, and the ids its headings must get (text -> id).

    Groups are Markdown headings (they make the page's table of contents); the entries are
    filled in as HTML once the manual is rendered, since which pages use a term (and, with
    `glossary_list: used`, which terms are listed) is only known then.
    """
    heading_ids: dict[str, str] = {}
    lines = [
        '---\ntitle: "Glossary"\nqmsdocs_generated: glossary\n---',
        "",
        f"# {_md_text(title)}",
        "",
        placeholder("glossary-notice", "all"),
        "",
        placeholder("glossary-letters", "all"),
        "",
    ]
    for section in sections:
        if section.id == ORGANISATION_SECTION:
            heading = section.title
        else:
            heading = f"{section.id} {section.title}"
        heading_ids[heading] = f"group-{section.id.replace('.', '-')}"
        lines += [f"## {_md_text(heading)}", "", placeholder("glossary-group", section.id), ""]
    heading_ids["A to Z"] = "a-to-z"
    lines += ["## A to Z", "", placeholder("glossary-index", "all"), ""]
    return "\n".join(lines), heading_ids


def register_page_markdown(json_name: str, csv_name: str) -> str:
    """The Markdown of the generated document register."""
    return "\n".join(
        [
            '---\ntitle: "Document register"\nqmsdocs_generated: register\n---',
            "",
            "# Document register",
            "",
            "Every controlled document of this manual (every page with a `document:` block), by "
            "document number, with its status and when it is next due for review.",
            "",
            placeholder("document-register", "all"),
            "",
            "## Exports",
            "",
            f"- [{json_name}]({json_name}) and [{csv_name}]({csv_name}): the register for "
            "tools and spreadsheets.",
            "",
        ]
    )
