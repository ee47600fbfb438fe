"""Writing the exports (coverage and document register, JSON and CSV) into the built site."""

from __future__ import annotations

from typing import TYPE_CHECKING

from qmsdocs.exports import export_text

if TYPE_CHECKING:
    from qmsdocs.plugin.build import Build
    from qmsdocs.plugin.sitepages import SitePages

__all__ = ["write_exports"]


def write_exports(build: Build, site: SitePages) -> None:
    """Give each export file added in on_files its content, now that the verdict is known."""
    for src_uri, export in build.generated.exports.items():
        file = site.file(src_uri)
        if file is not None:
            file.content_string = export_text(build, export, site.info)
