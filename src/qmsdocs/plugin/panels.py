"""The document control panel and revision history of a controlled page (`on_page_content`).

They are put into the page's HTML as soon as it is rendered: later would be too late for the
search index and the table of contents. What they hold and where they go is the core's
(`qmsdocs.panels`); this module adds what MkDocs needs: the search index's text and the anchors.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from qmsdocs.panels import PANEL_IDS, document_panels, insert_panels
from qmsdocs.plugin.search import document_search_html

if TYPE_CHECKING:
    from mkdocs.structure.pages import Page

    from qmsdocs.documents import DocumentControl
    from qmsdocs.plugin.build import Build

__all__ = ["add_document_panels"]


def add_document_panels(build: Build, html: str, page: Page, document: DocumentControl) -> str:
    """The panel after the page's title (or at the top), the revision history at the end."""
    view, header, history = document_panels(build, document, str(page.title or ""), page.file.url)
    indexed_header, indexed_history = document_search_html(view, history, build.labels)
    build.search_text.swap(page.file.src_uri, header, indexed_header)
    build.search_text.swap(page.file.src_uri, history, indexed_history)
    if page.present_anchor_ids is not None:
        page.present_anchor_ids |= PANEL_IDS
    return insert_panels(html, header, history)
