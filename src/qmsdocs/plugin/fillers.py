"""Filling the placeholders of MkDocs' rendered pages, once every page is rendered (`on_env`).

The fillers are the core's (`qmsdocs.filling`), shared with `qmsdocs generate`; this module
hands them MkDocs' pages: the links relative to each page's URL, the titles from MkDocs' pages
and tables of contents, and the anchors the fragments add.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import jinja2
from mkdocs.structure.pages import Page

from qmsdocs.filling import FILLERS, Fill, fill_placeholders, filler, references_by_clause
from qmsdocs.filling import register_rows as core_register_rows
from qmsdocs.render import Renderer

if TYPE_CHECKING:
    from qmsdocs.plugin.build import Build
    from qmsdocs.plugin.sitepages import SitePages

__all__ = ["FILLERS", "Fill", "fill_pages", "filler", "register_rows"]


def fill_pages(build: Build, env: jinja2.Environment, site: SitePages, pages: list[str]) -> None:
    """Fill the placeholders of `pages` (docs paths), and tell MkDocs about the anchors added.

    MkDocs collects a page's anchors while rendering it and checks links against them after
    on_env; fragments added here would otherwise count as missing anchors.
    """
    renderer = Renderer(env, build.labels, build.renderer.compiled)
    if build.compiled_ahead is not None:
        renderer.adopt(build.compiled_ahead)
    references = references_by_clause(build)
    for src_uri in pages:
        file = site.file(src_uri)
        if file is None or not isinstance(file.page, Page) or file.page.content is None:
            continue
        fill = Fill(build, renderer, src_uri, site.url_maker(file), site.title_for, references)
        file.page.content, added = fill_placeholders(file.page.content, fill)
        if file.page.present_anchor_ids is not None:
            file.page.present_anchor_ids |= added


def register_rows(build: Build, site: SitePages) -> list[dict[str, Any]]:
    """The register's rows, with the pages' URLs and titles as MkDocs has them."""
    return core_register_rows(build, site.info)
