"""The generated pages, as Markdown with placeholders.

Generated pages go through MkDocs' normal rendering (so they get the theme, the table of
contents and search like any page). What depends on the whole manual (which pages cite or
cover a clause) is not known while pages render, so the Markdown holds placeholders, HTML
comments that survive rendering untouched, and the plugin replaces them once every page has
been rendered (see `qmsdocs.plugin.QMSPlugin.on_env`).

Their words are the site's labels (`qmsdocs.labels`). A heading's anchor must not change with
the site's language (other pages, bookmarks and the coverage page's readers link to
`coverage/#summary`), so the functions that write headings also return the ids those headings
get, by heading text: the id the English heading gets from MkDocs' default `toc`
(`Summary` -> `summary`). The Markdown extension gives the headings these ids
(`ClauseAnchorTreeprocessor`); a heading text that repeats on a page gets `_1`, `_2`, ... as
`toc` would.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from typing import Any

from markdown.extensions.toc import slugify

from qmsdocs.glossary import ORGANISATION_SECTION, GlossarySection
from qmsdocs.labels import Labels, compose
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


def _front_matter(title: str, kind: str = "clause-page") -> str:
    # A page's title is HTML to MkDocs and the themes (a heading "Q & A" gives "Q &amp; A"),
    # and ours come from data a user may supply: escaped, they reach the navigation and
    # <title> as text. Quoted for YAML; the standard's headings may contain colons.
    text = html.escape(title, quote=False)
    safe = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")
    return f'---\ntitle: "{safe}"\nqmsdocs_generated: {kind}\n---\n\n'


def _say(labels: Labels, key: str, count: int | None = None, /, **markdown: str) -> str:
    """A label as Markdown: its text escaped, its fields (Markdown already) as given."""
    values: dict[str, object] = {} if count is None else {"count": count}
    values.update(markdown)
    return compose(labels.text(key, count), values, _md_text)


class _Headings:
    """The headings a generated page writes, and the stable id each gets (see the module's
    docstring)."""

    def __init__(self) -> None:
        self.ids: dict[str, str] = {}

    def __call__(self, level: str, text: str, anchor: str) -> str:
        """A Markdown heading of `text` (escaped) whose id is `anchor`."""
        self.ids.setdefault(text, anchor)
        return f"{level} {_md_text(text)}"


def _heading(catalogue: Catalogue, clause: Clause, level: int, labels: Labels) -> str:
    # A catalogue is data a user may supply: its titles must render as text, not markup.
    text = catalogue.heading(clause.id, labels.language)
    return f"{'#' * min(level, 6)} {_md_text(text)}"


def _clause_block(catalogue: Catalogue, clause: Clause, level: int, labels: Labels) -> list[str]:
    lines = [_heading(catalogue, clause, level, labels), ""]
    if not clause.title:
        # A numbered paragraph without a heading: say where it belongs rather than invent.
        lines += [placeholder("clause-context", catalogue.id, clause.id), ""]
    if catalogue.provisional and clause.confidence:
        lines += [placeholder("clause-confidence", catalogue.id, clause.id), ""]
    lines += [placeholder("clause", catalogue.id, clause.id), ""]
    return lines


def clause_page_markdown(page: ClausePage, layout: Layout, labels: Labels) -> str:
    """The Markdown of one generated clause page (its headings are the catalogue's, their ids
    the clauses' own anchors)."""
    catalogue = page.catalogue
    if page.top is None:
        return _index_markdown(page, layout, labels)
    top = page.top
    lines = [_front_matter(catalogue.heading(top.id, labels.language)).rstrip("\n"), ""]
    lines += _clause_block(catalogue, top, 1, labels)
    lines += [placeholder("clause-notice", catalogue.id), ""]
    if catalogue.provisional:
        lines += [placeholder("provisional-notice", catalogue.id), ""]
    for clause in catalogue.descendants(top.id):
        lines += _clause_block(catalogue, clause, clause.depth, labels)
    return "\n".join(lines).rstrip() + "\n"


def _index_markdown(page: ClausePage, layout: Layout, labels: Labels) -> str:
    catalogue = page.catalogue
    lines = [_front_matter(labels("clause_index.title")).rstrip("\n"), ""]
    lines += [f"# {_md_text(catalogue.title)}", ""]
    if catalogue.provisional:
        lines += [placeholder("provisional-notice", catalogue.id), ""]
    columns = [labels("column.clause"), labels("column.heading"), labels("column.subclauses")]
    lines += [
        _say(labels, "clause_index.intro", standard=_md_text(catalogue.label)),
        "",
        "| " + " | ".join(_cell(column) for column in columns) + " |",
        "|---|---|---|",
    ]
    for clause_page in layout.pages(catalogue.id):
        if clause_page.top is None:
            continue
        top = clause_page.top
        link = relative_href(page.src_uri, clause_page.src_uri)
        count = len(catalogue.descendants(top.id))
        title = catalogue.display_title(top.id, labels.language) or ""
        lines.append(f"| [{top.id}]({link}) | [{_cell(title)}]({link}) | {count} |")
    lines += ["", placeholder("clause-notice", catalogue.id), ""]
    on_index = [c for c in catalogue if layout.page_of(catalogue.id, c.id) == page.src_uri]
    for clause in on_index:
        lines += _clause_block(catalogue, clause, clause.depth + 1, labels)
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
    labels: Labels,
    others: Sequence[tuple[Catalogue, str, str]] = (),
    standards: Sequence[Catalogue] = (),
) -> tuple[str, dict[str, str]]:
    """The Markdown of the generated coverage page (headings, placeholders, export links), and
    the ids its headings must get (text -> id).

    With other editions loaded (a transition), each edition gets a section of its own. A
    manual that claims several `standards` first shows them side by side.
    """
    heading = _Headings()
    label = _md_text(catalogue.label)
    title = labels("coverage.title")
    lines = [
        _front_matter(title, "coverage").rstrip("\n"),
        "",
        f"# {_md_text(title) if others else _say(labels, 'coverage.title_of', standard=label)}",
        "",
    ]
    if len(standards) > 1:
        lines += [
            heading("##", labels("coverage.side_by_side_heading"), "side-by-side"),
            "",
            _say(labels, "coverage.side_by_side_intro"),
            "",
            placeholder("coverage-side-by-side", *(c.id for c in standards)),
            "",
        ]
    editions = [(catalogue, json_name, csv_name), *others]
    for edition, _json, _csv in editions:
        level = "##"
        if others:
            name, english = edition.label, edition.label
            if edition.provisional:
                name = labels("edition.provisional", standard=edition.label)
                english = f"{edition.label} (provisional)"
            lines += [heading("##", name, slugify(english, "-")), ""]
            level = "###"
        lines += [
            placeholder("coverage-status", edition.id),
            "",
            heading(level, labels("coverage.summary_heading"), "summary"),
            "",
            placeholder("coverage-summary", edition.id),
            "",
            heading(level, labels("coverage.clauses_heading"), "clause-by-clause"),
            "",
            _say(labels, "coverage.clauses_intro", standard=_md_text(edition.label)),
            "",
            placeholder("coverage-matrix", edition.id),
            "",
        ]
    lines += [
        heading("##", labels("coverage.pages_heading"), "pages-and-the-clauses-they-address"),
        "",
        placeholder("coverage-pages", catalogue.id),
        "",
        heading("##", labels("exports.heading"), "exports"),
        "",
    ]
    schema = "`qmsdocs/schemas/coverage.schema.json`"
    for edition, json_file, csv_file in editions:
        which = f" ({_md_text(edition.label)})" if others else ""
        lines += [
            "- "
            + _say(
                labels,
                "coverage.export_json",
                file=f"[{json_file}]({json_file}){which}",
                schema=schema,
            ),
            "- " + _say(labels, "coverage.export_csv", file=f"[{csv_file}]({csv_file}){which}"),
        ]
    return "\n".join([*lines, ""]), heading.ids


def transition_page_markdown(correspondence: Any, labels: Labels) -> tuple[str, dict[str, str]]:
    """The Markdown of the generated transition page (a `qmsdocs.transition.Correspondence`),
    and the ids its headings must get (text -> id).

    Its sections are Markdown headings, so that they make the page's table of contents and
    get permalinks; what they list is filled in once the manual is assessed. A section with
    nothing to list says so, rather than vanish: "nothing must move" is an auditor's answer.
    """
    source, target = correspondence.source, correspondence.target
    heading = _Headings()
    title = _say(
        labels,
        "transition.heading",
        source=_md_text(source.label),
        target=_md_text(target.label),
    )
    lines = [
        _front_matter(labels("transition.title"), "transition").rstrip("\n"),
        "",
        f"# {title}",
        "",
        placeholder("transition", source.id, target.id, "notice"),
        "",
    ]
    for key, anchor, part in (
        ("transition.summary", "summary", "summary"),
        ("transition.open_title", "new-requirements", "open"),
        ("transition.moves_title", "declarations-to-move", "moves"),
        ("transition.changes_title", "changes", "changes"),
    ):
        lines += [
            heading("##", labels(key), anchor),
            "",
            placeholder("transition", source.id, target.id, part),
            "",
        ]
    return "\n".join(lines), heading.ids


def glossary_page_markdown(
    sections: list[GlossarySection], labels: Labels
) -> tuple[str, dict[str, str]]:
    """The Markdown of the glossary page, and the ids its headings must get (text -> id).

    Groups are Markdown headings (they make the page's table of contents); the entries are
    filled in as HTML once the manual is rendered, since which pages use a term (and, with
    `glossary_list: used`, which terms are listed) is only known then.
    """
    heading = _Headings()
    title = labels("glossary.title")
    lines = [
        _front_matter(title, "glossary").rstrip("\n"),
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
            text = labels("glossary.organisation")
        else:
            text = f"{section.id} {section.title}"
        anchor = f"group-{section.id.replace('.', '-')}"
        lines += [heading("##", text, anchor), "", placeholder("glossary-group", section.id), ""]
    lines += [
        heading("##", labels("glossary.a_to_z"), "a-to-z"),
        "",
        placeholder("glossary-index", "all"),
        "",
    ]
    return "\n".join(lines), heading.ids


def register_page_markdown(
    json_name: str, csv_name: str, labels: Labels
) -> tuple[str, dict[str, str]]:
    """The Markdown of the generated document register, and the ids of its headings."""
    heading = _Headings()
    title = labels("register.title")
    lines = [
        _front_matter(title, "register").rstrip("\n"),
        "",
        f"# {_md_text(title)}",
        "",
        _say(labels, "register.intro", block="`document:`"),
        "",
        placeholder("document-register", "all"),
        "",
        heading("##", labels("exports.heading"), "exports"),
        "",
        "- "
        + _say(
            labels,
            "register.exports",
            json=f"[{json_name}]({json_name})",
            csv=f"[{csv_name}]({csv_name})",
        ),
        "",
    ]
    return "\n".join(lines), heading.ids
