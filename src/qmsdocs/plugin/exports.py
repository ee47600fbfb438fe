"""Writing the exports (coverage and document register, JSON and CSV) into the built site."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from qmsdocs.exports import coverage_csv, coverage_json, documents_csv, documents_json, generator

if TYPE_CHECKING:
    from qmsdocs.coverage import Coverage
    from qmsdocs.plugin.build import Build
    from qmsdocs.plugin.generated import Export, ExportKind
    from qmsdocs.plugin.sitepages import SitePages

__all__ = ["write_exports"]

Writer = Callable[["Build", "SitePages", "Export"], str]


def _coverage(build: Build, export: Export) -> Coverage:
    return build.verdict.coverages[export.catalogue or build.editions.primary.id]


def _documents(build: Build) -> list[dict[str, Any]]:
    return [{k: v for k, v in row.items() if k != "last_changed"} for row in build.register]


def _coverage_json(build: Build, site: SitePages, export: Export) -> str:
    coverage = _coverage(build, export)
    return coverage_json(coverage, site.info, generator(), build.verdict.unlinked)


def _coverage_csv(build: Build, site: SitePages, export: Export) -> str:
    return coverage_csv(_coverage(build, export), site.info)


def _documents_json(build: Build, _site: SitePages, _export: Export) -> str:
    return documents_json(_documents(build), build.today.isoformat(), generator())


def _documents_csv(build: Build, _site: SitePages, _export: Export) -> str:
    return documents_csv(_documents(build))


WRITERS: dict[ExportKind, Writer] = {
    "coverage-json": _coverage_json,
    "coverage-csv": _coverage_csv,
    "documents-json": _documents_json,
    "documents-csv": _documents_csv,
}


def write_exports(build: Build, site: SitePages) -> None:
    """Give each export file added in on_files its content, now that the verdict is known."""
    for src_uri, export in build.generated.exports.items():
        file = site.file(src_uri)
        if file is not None:
            file.content_string = WRITERS[export.kind](build, site, export)
