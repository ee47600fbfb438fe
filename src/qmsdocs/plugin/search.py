"""What the search plugin indexes of a page: its text, without qmsdocs' markup around it.

MkDocs' and Material's search plugins feed each page's HTML to an `HTMLParser` and keep its
text; tags they do not keep are parsed and dropped, and the text of neighbouring elements is
joined without a space. Two things qmsdocs adds to a page suffer from that:

- its forty-odd term and clause links per page: parsing them cost Material's search about as
  much as indexing the plain page, for nothing (the index holds their text either way);
- the document control panel and revision history, whose labels and values ran together in
  the index ("DocumentQM-0041 Revision6"), so that a search for a document id could miss;
- the backlink lists of the generated pages ("Used on", "Addressed by", "Referenced by"),
  marked `data-search-exclude`: other pages' titles, which made a search for a page also
  find every glossary entry and clause that lists it. Material skips them after parsing them;
  MkDocs' own search did not skip them at all.

So the plugin's index is handed the page in a form made for it (`SearchText`): the links
unwrapped, the panel and history as plain sentences, the backlink lists left out. The page
itself keeps what readers see.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from html import escape
from typing import Any

from qmsdocs.labels import ENGLISH, Labels, load_labels

__all__ = ["SearchText", "document_search_html", "index_with", "unlinked"]

# The links the Markdown extension writes: no markup inside (their text is atomic).
_LINK_RE = re.compile(r'<a class="qms-(?:term|clause)"[^>]*>([^<]*)</a>')
_HEADING_RE = re.compile(r"\s*<h[1-6][^>]*>.*?</h[1-6]>", re.DOTALL)
# qmsdocs' own paragraphs that search leaves out, as its templates write them (a paragraph
# holds no paragraph); an author's `data-search-exclude` is left to the search plugin.
_EXCLUDED_RE = re.compile(r'<p class="qms-[^"]*" data-search-exclude>.*?</p>', re.DOTALL)
_MARK = "_qmsdocs_search_text"


def unlinked(html: str) -> str:
    """The HTML with qmsdocs' term and clause links replaced by their text."""
    return _LINK_RE.sub(r"\1", html) if 'class="qms-' in html else html


class SearchText:
    """The HTML of each page as the search index should read it.

    `swap` registers a fragment qmsdocs put on a page and the HTML the index reads instead.
    """

    def __init__(self) -> None:
        self._swaps: dict[str, list[tuple[str, str]]] = {}

    def swap(self, page: str, shown: str, indexed: str) -> None:
        self._swaps.setdefault(page, []).append((shown, indexed))

    def __call__(self, page: str, html: str) -> str:
        if "data-search-exclude" in html:
            html = _EXCLUDED_RE.sub("", html)
        html = unlinked(html)
        # A page is indexed once per build; its fragments need not be kept after that.
        for shown, indexed in self._swaps.pop(page, ()):
            # Another plugin may have changed the fragment since; then it is indexed as shown.
            html = html.replace(shown, indexed, 1)
        return html


def document_search_html(
    view: dict[str, Any], history_html: str, labels: Labels | None = None
) -> tuple[str, str]:
    """The search index's form of a document's panel and of its revision history.

    The history keeps its rendered heading (a section of the index, and a site may have
    renamed it in its own template); its rows become sentences. The panel's field names are
    those of `labels` (default: English).
    """
    fields = [
        ("document.field.document", view["id"]),
        ("document.field.revision", view["revision"]),
        ("document.field.status", view["status_label"]),
        ("document.field.owner", view["owner"]),
        ("document.field.approved_by", view["approved_by"]),
        ("document.field.approved_on", view["approved_on"]),
        ("document.field.effective", view["effective"]),
        ("document.field.next_review", view["next_review"]),
        ("document.field.last_changed", view["last_changed"]),
    ]
    if labels is None:
        labels = load_labels(ENGLISH)
    panel = "; ".join(
        f"{escape(labels(key))}: {escape(str(value))}" for key, value in fields if value
    )
    heading = _HEADING_RE.match(history_html)
    rows = [
        ", ".join(escape(str(entry[key])) for key in ("revision", "date", "author", "change"))
        for entry in view["history"]
    ]
    history = (heading.group(0).strip() if heading else "") + "".join(
        f"<p>{row}</p>" for row in rows
    )
    return f"<p>{panel}</p>", history


def index_with(plugins: Iterable[Any], search_html: Callable[[str, str], str]) -> int:
    """Have the search indexes of `plugins` read `search_html(page path, html)`; return how
    many were wrapped now (each index once).

    Any plugin whose `search_index` has `add_entry_from_context(page)` qualifies: MkDocs'
    built-in search and Material's.
    """
    wrapped = 0
    for plugin in plugins:
        index: Any = getattr(plugin, "search_index", None)
        add = getattr(index, "add_entry_from_context", None)
        if add is None or getattr(add, _MARK, False):
            continue
        index.add_entry_from_context = _reading(add, search_html)
        wrapped += 1
    return wrapped


def _reading(add: Callable[[Any], Any], search_html: Callable[[str, str], str]) -> Any:
    def add_entry_from_context(page: Any) -> Any:
        content = page.content
        if not content:
            return add(page)
        page.content = search_html(page.file.src_uri, content)
        try:
            return add(page)
        finally:
            page.content = content

    setattr(add_entry_from_context, _MARK, True)
    return add_entry_from_context
