"""Where a link of the built site leads in the PDF.

Every reprinted page gets an anchor of its own, and the ids inside it are prefixed with it
(`manual-scope--document-control`), since one document cannot hold the same id twice. A link
to a reprinted page (or to a heading in it) becomes a link to that anchor; a link to anything
else of the site leads to the published site when `site_url` says where that is, and is
otherwise dropped (its text stays): a PDF has no site folder beside it. Links to other hosts
stay as they are.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from qmsdocs.pdf.site import BuiltPage

__all__ = ["Links", "inner_id", "page_anchor"]

# A host no site has: relative links are resolved against it, and anything that still names
# another host afterwards was absolute to begin with.
_HOST = "qmsdocs-pdf.invalid"
_NOT_ID = re.compile(r"[^A-Za-z0-9]+")


def page_anchor(src_uri: str, taken: set[str]) -> str:
    """A readable anchor for a page ("manual/scope.md" -> "manual-scope"), unique in `taken`
    (which it joins)."""
    stem = src_uri.rsplit(".", 1)[0]
    base = _NOT_ID.sub("-", stem).strip("-").lower() or "page"
    anchor, number = base, 1
    while anchor in taken:
        number += 1
        anchor = f"{base}-{number}"
    taken.add(anchor)
    return anchor


def inner_id(anchor: str, element_id: str) -> str:
    """The id in the PDF of an element of the page at `anchor`."""
    return f"{anchor}--{element_id}"


class Links:
    """Resolves the links and image sources of built pages.

    Arguments:
        pages: Every built page of the site, by docs path.
        anchors: The anchor of each page in the PDF, by docs path (a page the PDF replaces
            with one of its own, like the register, maps to that).
        site_dir: The built site, for images.
        site_url: The published site (mkdocs.yml's `site_url`), if known.
    """

    def __init__(
        self,
        pages: Mapping[str, BuiltPage],
        anchors: Mapping[str, str],
        site_dir: Path,
        site_url: str | None,
    ) -> None:
        self._by_file = {page.dest_uri: src for src, page in pages.items()}
        self._anchors = anchors
        self._site_dir = site_dir
        self._site_url = site_url.rstrip("/") + "/" if site_url else None

    def href(self, href: str, page: BuiltPage) -> str | None:
        """Where `href` on `page` leads in the PDF; None: nowhere (drop the link)."""
        parts = urlsplit(href)
        if parts.scheme or parts.netloc:
            return href
        if not parts.path and not parts.query:  # "#x": this page
            return self._anchor(page.src_uri, unquote(parts.fragment))
        joined = urlsplit(urljoin(f"http://{_HOST}/{page.url}", href))
        path = unquote(joined.path).lstrip("/")
        target = self._page_at(path)
        if target is not None and target in self._anchors:
            return self._anchor(target, unquote(joined.fragment))
        if self._site_url is not None:
            return urljoin(self._site_url, joined.path.lstrip("/")) + (
                f"#{joined.fragment}" if joined.fragment else ""
            )
        return None

    def image(self, src: str, page: BuiltPage) -> str:
        """An image's address: a file of the built site, or left for the renderer to refuse."""
        parts = urlsplit(src)
        if parts.scheme or parts.netloc:
            return src
        joined = urlsplit(urljoin(f"http://{_HOST}/{page.url}", src))
        return (self._site_dir / unquote(joined.path).lstrip("/")).as_uri()

    def _page_at(self, path: str) -> str | None:
        if path == "" or path.endswith("/"):
            path += "index.html"
        return self._by_file.get(path) or self._by_file.get(f"{path}/index.html")

    def _anchor(self, src_uri: str, fragment: str) -> str:
        anchor = self._anchors[src_uri]
        return f"#{inner_id(anchor, fragment)}" if fragment else f"#{anchor}"
