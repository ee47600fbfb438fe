"""Let the search plugin index a page's text without parsing qmsdocs' links again.

MkDocs' and Material's search plugins feed each page's HTML to an `HTMLParser` and keep its
text: a link's tags are parsed and dropped, its text kept. qmsdocs adds some forty links to a
page of a manual, and on a 500-page manual parsing them cost the search plugin about as much as
indexing the whole plain site (two thirds of a second on two cores). The index gains nothing
from them, so the plugin's index is handed the page with qmsdocs' own links unwrapped (their
text stays where it was) and the page keeps its links for everything else. Material's index
is the same either way (the tests compare it); MkDocs' own search, which joins the pieces of
text around a tag with a space, now reads "clause 9.3." where it read "clause 9.3 .".
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

__all__ = ["index_without_links", "unlinked"]

# The links the Markdown extension writes: no markup inside (their text is atomic).
_LINK_RE = re.compile(r'<a class="qms-(?:term|clause)"[^>]*>([^<]*)</a>')
_MARK = "_qmsdocs_unlinked"


def unlinked(html: str) -> str:
    """The HTML with qmsdocs' term and clause links replaced by their text."""
    return _LINK_RE.sub(r"\1", html) if 'class="qms-' in html else html


def index_without_links(plugins: Iterable[Any]) -> int:
    """Wrap the search indexes of `plugins` (once); return how many were wrapped now.

    Any plugin whose `search_index` has `add_entry_from_context(page)` qualifies: MkDocs'
    built-in search and Material's.
    """
    wrapped = 0
    for plugin in plugins:
        index: Any = getattr(plugin, "search_index", None)
        add = getattr(index, "add_entry_from_context", None)
        if add is None or getattr(add, _MARK, False):
            continue
        index.add_entry_from_context = _lean(add)
        wrapped += 1
    return wrapped


def _lean(add: Callable[[Any], Any]) -> Callable[[Any], Any]:
    def add_entry_from_context(page: Any) -> Any:
        content = page.content
        if not content:
            return add(page)
        page.content = unlinked(content)
        try:
            return add(page)
        finally:
            page.content = content

    setattr(add_entry_from_context, _MARK, True)
    return add_entry_from_context
