"""URLs and titles of a built site's pages, for filling the generated pages in `on_env`.

The generated pages hold thousands of links on a large manual (every page that addresses or
cites a clause, every page that uses a term). Each target's URL, relative to the page being
filled, and each section's title are looked up once, not once per link: MkDocs' own
`get_file_from_path` normalises the path on every call, and a page's table of contents is a
tree to walk.
"""

from __future__ import annotations

import html
import posixpath
from collections.abc import Callable

from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

__all__ = ["SitePages"]


class SitePages:
    """Cached look-ups over the files of one build."""

    def __init__(self, files: Files) -> None:
        self._files = files.src_uris  # docs paths are already normalised: a plain dict look-up
        self._sections: dict[str, dict[str, str]] = {}

    def file(self, src_uri: str) -> File | None:
        return self._files.get(src_uri)

    def page(self, src_uri: str) -> Page | None:
        file = self._files.get(src_uri)
        return file.page if file is not None and isinstance(file.page, Page) else None

    def resolver(self, from_file: File) -> Callable[[str], str | None]:
        """resolve(docs path) -> its URL relative to `from_file`'s page (None: no such page),
        each target worked out once."""
        urls: dict[str, str | None] = {}

        def resolve(src_uri: str) -> str | None:
            if src_uri not in urls:
                target = self._files.get(src_uri)
                urls[src_uri] = target.url_relative_to(from_file) if target is not None else None
            return urls[src_uri]

        return resolve

    def url_maker(self, from_file: File) -> Callable[[str, str | None], str]:
        """url_for(docs path, anchor) -> the URL relative to `from_file`'s page (the docs path
        itself if there is no such page)."""
        resolve = self.resolver(from_file)

        def url_for(src_uri: str, anchor: str | None) -> str:
            url = resolve(src_uri) or src_uri
            return f"{url}#{anchor}" if anchor else url

        return url_for

    def title_for(self, src_uri: str, anchor: str | None) -> tuple[str, str | None]:
        """(page title, section title or None); a section that is the page's title is None."""
        page = self.page(src_uri)
        if page is None:
            return posixpath.basename(src_uri), None
        title = _text(page.title) or posixpath.basename(src_uri)
        if not anchor:
            return title, None
        section = self._section_titles(src_uri, page).get(anchor)
        return title, section if section != title else None

    def info(self, src_uri: str) -> tuple[str | None, str]:
        """(site URL or None, title) of a page, for the exports and the register."""
        file = self._files.get(src_uri)
        if file is None:
            return None, posixpath.basename(src_uri)
        page = file.page
        title = page.title if isinstance(page, Page) and page.title else None
        return file.url, _text(title) or posixpath.basename(src_uri)

    def _section_titles(self, src_uri: str, page: Page) -> dict[str, str]:
        titles = self._sections.get(src_uri)
        if titles is None:
            titles = self._sections[src_uri] = {}
            stack = list(page.toc)
            while stack:  # ids are unique on a page (`toc` makes them so)
                item = stack.pop()
                titles[item.id] = _text(item.title)
                stack.extend(item.children)
        return titles


def _text(title: object) -> str:
    """A title as MkDocs gives it (HTML: "Health &amp; safety") as plain text, which the
    templates escape once and the exports keep as it reads."""
    return html.unescape(str(title)) if title else ""
