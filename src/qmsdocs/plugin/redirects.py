"""Letting mkdocs-redirects redirect to the pages qmsdocs generates.

mkdocs-redirects notes the site's pages in its `on_files` (at the default priority) and looks
redirect targets up there after the build. qmsdocs adds its pages later (at -110, after
mkdocs-static-i18n has arranged the language versions, which it cannot do with files that
have no source on disk), so a redirect to `coverage.md` would be "not found". Once the
generated pages exist, they are added to what mkdocs-redirects knows; nothing else of its
state is touched.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from mkdocs.structure.files import Files

__all__ = ["announce_to_redirects"]


def announce_to_redirects(plugins: Mapping[str, Any], files: Files) -> None:
    """Add the site's pages mkdocs-redirects has not seen to its targets (a no-op without it,
    or with a version that keeps its targets otherwise)."""
    redirects = plugins.get("redirects")
    targets = getattr(redirects, "doc_pages", None)
    if not isinstance(targets, dict):
        return
    for file in files.documentation_pages():
        targets.setdefault(file.src_uri, file)
