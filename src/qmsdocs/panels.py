"""The document control panel and revision history of a controlled page.

Rendered from the overridable templates (`document-header.html`, `document-history.html`)
and put into the page's HTML as soon as it is rendered: by the MkDocs plugin
(`qmsdocs.plugin.panels`), or by the Markdown extension itself when no plugin runs (Zensical).
"""

from __future__ import annotations

import re
from typing import Any

from qmsdocs.documents import DocumentControl
from qmsdocs.render import document_view
from qmsdocs.sitebuild import SiteBuild

__all__ = ["PANEL_IDS", "document_panels", "insert_panels"]

PANEL_IDS = frozenset({"document-control", "revision-history"})
_H1_END_RE = re.compile(r"</h1>")


def document_panels(
    build: SiteBuild, document: DocumentControl, title: str, url: str
) -> tuple[dict[str, Any], str, str]:
    """(view data, panel HTML, revision history HTML) of a controlled page."""
    view = document_view(
        document,
        title,
        url,
        build.today,
        build.options.review_warning_days,
        build.git_dates.get(document.page),
        build.labels,
    )
    header = build.renderer.render("document-header.html", doc=view)
    history = build.renderer.render("document-history.html", doc=view)
    return view, header, history


def insert_panels(html: str, header: str, history: str) -> str:
    """The panel after the page's title (or at the top), the revision history at the end."""
    title_end = _H1_END_RE.search(html)
    if title_end is not None and not html[: title_end.start()].strip().startswith("<p"):
        html = html[: title_end.end()] + "\n" + header + html[title_end.end() :]
    else:
        html = header + "\n" + html
    return html + "\n" + history
