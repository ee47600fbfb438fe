"""The document control panel and revision history of a controlled page (`on_page_content`).

They are put into the page's HTML as soon as it is rendered: later would be too late for the
search index and the table of contents. Rendered from the same overridable templates as the
generated pages.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from qmsdocs.plugin.search import document_search_html
from qmsdocs.render import document_view

if TYPE_CHECKING:
    from mkdocs.structure.pages import Page

    from qmsdocs.documents import DocumentControl
    from qmsdocs.plugin.build import Build

__all__ = ["add_document_panels"]

_H1_END_RE = re.compile(r"</h1>")


def add_document_panels(build: Build, html: str, page: Page, document: DocumentControl) -> str:
    """The panel after the page's title (or at the top), the revision history at the end."""
    view = document_view(
        document,
        str(page.title or ""),
        page.file.url,
        build.today,
        build.options.review_warning_days,
        build.git_dates.get(page.file.src_uri),
        build.labels,
    )
    header = build.renderer.render("document-header.html", doc=view)
    history = build.renderer.render("document-history.html", doc=view)
    indexed_header, indexed_history = document_search_html(view, history, build.labels)
    build.search_text.swap(page.file.src_uri, header, indexed_header)
    build.search_text.swap(page.file.src_uri, history, indexed_history)
    title_end = _H1_END_RE.search(html)
    if title_end is not None and not html[: title_end.start()].strip().startswith("<p"):
        html = html[: title_end.end()] + "\n" + header + html[title_end.end() :]
    else:
        html = header + "\n" + html
    if page.present_anchor_ids is not None:
        page.present_anchor_ids |= {"document-control", "revision-history"}
    return html + "\n" + history
