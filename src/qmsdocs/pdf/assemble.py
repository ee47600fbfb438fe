"""One HTML document of the whole manual, in the order an auditor reads it.

1. the cover and the contents (`qmsdocs.pdf.front`);
2. the document register, from the build's register data;
3. every page of the navigation that is the manual's own, in navigation order, each with its
   document control panel; a navigation section opens with its title;
4. the coverage matrix, then the clause pages of the manual's edition (the targets of its
   clause links);
5. the glossary (the target of its term links), unless left out.

Each part is a `<section>` whose `data-running` attribute is the running header of its pages:
the page's document id and revision, or the manual's for pages without a `document:` block.
Other generated pages (other editions' clause pages, the transition page) are not reprinted;
links to them lead to the published site, or nowhere (see `qmsdocs.pdf.links`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from html import escape
from importlib import resources
from pathlib import Path
from urllib.parse import urlsplit

from qmsdocs.pdf.article import article_html
from qmsdocs.pdf.facts import Manual, manual_facts, running_header
from qmsdocs.pdf.front import (
    CONTENTS_ANCHOR,
    COVER_ANCHOR,
    REGISTER_ANCHOR,
    ContentsEntry,
    contents_html,
    cover_html,
    register_html,
)
from qmsdocs.pdf.links import Links, page_anchor
from qmsdocs.pdf.site import BuiltPage, BuiltSite
from qmsdocs.pdf.svgstyle import svg_rules

__all__ = ["Assembled", "Part", "assemble", "stylesheet"]

_INTERNAL_HREF = re.compile(r'href="#([^"]+)"')


def stylesheet() -> str:
    """The copy's print stylesheet (package data)."""
    return (resources.files("qmsdocs") / "assets" / "pdf.css").read_text(encoding="utf-8")


@dataclass(frozen=True)
class Part:
    """A reprinted page: where it is in the PDF and in the outline.

    Attributes:
        src_uri: Its docs path.
        anchor: Its anchor in the PDF.
        depth: Its `h1`'s level in the outline.
        outline: The deepest heading level of it that gets an outline entry (1: `h1` only).
        kickers: Navigation sections that open with this page: (title, depth).
    """

    src_uri: str
    anchor: str
    depth: int
    outline: int = 3
    kickers: tuple[tuple[str, int], ...] = ()


@dataclass(frozen=True)
class Assembled:
    """The document, with what the command reports about it."""

    html: str
    manual: Manual
    pages: int  # of the site, reprinted


def _plan(site: BuiltSite, glossary: bool) -> tuple[list[Part], list[Part]]:
    """The manual's pages (navigation order) and the generated parts after them."""
    generated = site.generated
    skipped = {generated.coverage, generated.register, generated.glossary, *generated.clauses}
    skipped |= generated.others
    taken = {COVER_ANCHOR, CONTENTS_ANCHOR, REGISTER_ANCHOR}
    manual: list[Part] = []
    kickers: list[tuple[str, int]] = []
    seen: set[str] = set()
    for entry in site.nav:
        # A section still waiting at this depth or deeper had no page of the copy (only links
        # or generated pages): it opens nothing.
        kickers = [(title, depth) for title, depth in kickers if depth < entry.depth]
        if entry.src_uri is None:
            kickers.append((entry.title, entry.depth))
            continue
        if entry.src_uri in skipped or entry.src_uri in seen:
            continue
        seen.add(entry.src_uri)
        anchor = page_anchor(entry.src_uri, taken)
        manual.append(Part(entry.src_uri, anchor, entry.depth, 3, tuple(kickers)))
        kickers = []
    tail: list[Part] = []
    if generated.coverage in site.pages:
        tail.append(Part(generated.coverage, page_anchor(generated.coverage, taken), 1, 3))
    clauses = [src for src in generated.clauses if src in site.pages]
    for index, src in enumerate(clauses):
        # The edition's index page heads the clause pages; its own h2s (introduction,
        # annexes) stay out of the outline.
        depth, outline = (1, 1) if index == 0 else (2, 2)
        tail.append(Part(src, page_anchor(src, taken), depth, outline))
    if glossary and generated.glossary in site.pages:
        tail.append(Part(generated.glossary, page_anchor(generated.glossary, taken), 1, 2))
    return manual, tail


def _kicker(title: str, depth: int) -> str:
    return f'<p class="qms-pdf-kicker" style="bookmark-level: {depth}">{escape(title)}</p>'


def _running(page: BuiltPage, rows: dict[str, str], manual: Manual) -> str:
    return rows.get(page.src_uri) or manual.running


def assemble(
    site: BuiltSite,
    *,
    controlled: bool,
    glossary: bool,
    progress: Callable[[str], None] = lambda _stage: None,
) -> Assembled:
    """The whole copy as one HTML document, its links inside it."""
    manual = manual_facts(site, controlled)
    pages, tail = _plan(site, glossary)
    anchors = {part.src_uri: part.anchor for part in (*pages, *tail)}
    if site.generated.register:
        anchors[site.generated.register] = REGISTER_ANCHOR
    links = Links(site.pages, anchors, site.site_dir, site.site_url)
    documents = {str(row["page"]): running_header(row) for row in site.register}
    ids = {COVER_ANCHOR, CONTENTS_ANCHOR, REGISTER_ANCHOR}
    contents = [ContentsEntry("Document register", 1, REGISTER_ANCHOR)]
    sections = []
    svg_css = _svg_css(_site_stylesheets(site))
    parts = [*pages, *tail]
    for number, part in enumerate(parts, 1):
        page = site.pages[part.src_uri]
        progress(f"page {number} of {len(parts)}: {part.src_uri}")
        article = article_html(page, part.anchor, links, part.depth, part.outline, svg_css)
        ids |= article.ids | {part.anchor}
        kickers = "".join(_kicker(title, depth) for title, depth in part.kickers)
        contents += [ContentsEntry(title, depth, None) for title, depth in part.kickers]
        contents.append(ContentsEntry(_title(page), part.depth, part.anchor))
        running = escape(_running(page, documents, manual))
        kind = "manual" if part in pages else "generated"
        sections.append(
            f'<section class="qms-pdf-page qms-pdf-page--{kind}" id="{part.anchor}" '
            f'data-running="{running}">\n{kickers}\n{article.html}\n</section>'
        )
    body = "\n".join(
        (
            cover_html(manual),
            contents_html(contents, manual.running),
            register_html(site.register, anchors, manual.running, manual.date.isoformat()),
            *sections,
        )
    )
    # A link to a heading the target page does not have leads to the page itself.
    body = _INTERNAL_HREF.sub(lambda m: _existing(m.group(1), ids), body)
    return Assembled(_document(site, manual, body), manual, len(parts))


def _title(page: BuiltPage) -> str:
    return page.title


def _existing(target: str, ids: set[str]) -> str:
    if target in ids:
        return f'href="#{target}"'
    return f'href="#{target.split("--", 1)[0]}"'


def _site_stylesheets(site: BuiltSite) -> list[Path]:
    """The site's own `extra_css` (a process map's colours, print rules), to follow the
    copy's stylesheet; stylesheets on other hosts are left out (nothing is fetched from them)."""
    paths = []
    for css in site.extra_css:
        parts = urlsplit(css)
        if parts.scheme or parts.netloc:
            continue
        path = site.site_dir / parts.path.lstrip("/")
        if path.is_file():
            paths.append(path)
    return paths


def _svg_css(stylesheets: list[Path]) -> str:
    return svg_rules(path.read_text(encoding="utf-8", errors="replace") for path in stylesheets)


def _document(site: BuiltSite, manual: Manual, body: str) -> str:
    paper = "letter" if site.options.paper == "letter" else "A4"
    title = manual.title if not manual.organisation else f"{manual.organisation}: {manual.title}"
    document = manual.document or {}
    revision = f"Revision {document['revision']}" if document else ""
    status = "controlled" if manual.controlled else "uncontrolled"
    links = "\n".join(
        f'<link rel="stylesheet" href="{escape(path.as_uri())}">'
        for path in _site_stylesheets(site)
    )
    return f"""<!DOCTYPE html>
<html lang="{escape(site.language)}">
<head>
<meta charset="utf-8">
<title>{escape(title)}</title>
<meta name="author" content="{escape(manual.organisation or "")}">
<meta name="description" content="{escape(f"{manual.copy_label}. {revision}".strip(" ."))}">
<meta name="generator" content="qmsdocs">
<meta name="dcterms.created" content="{manual.date.isoformat()}">
<style>
{stylesheet()}
@page {{ size: {paper}; }}
</style>
{links}
</head>
<body data-copy="{escape(manual.copy_label)}" data-manual="{escape(title)}" \
data-date="{manual.date.isoformat()}" class="qms-pdf-{status}">
{body}
</body>
</html>
"""
