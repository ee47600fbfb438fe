"""Finding a manual on disk and scanning it: a folder of Markdown pages, or a site's mkdocs.yml
(`scan_manual`).

With a mkdocs.yml, MkDocs itself loads the configuration and lists the pages
(`qmsdocs.plugin.siteconfig`), so the scan reads the pages the build renders, with the plugin's
validated options. A folder without one is read as it is: every `*.md` and `*.markdown` file
below it, hidden folders and files left out, folders behind symbolic links followed as MkDocs
follows them (and a link to a folder that contains it refused, as `check` and the build refuse
it: `qmsdocs.sources.symlink_loops`).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath
from typing import Any

from qmsdocs.findings import Finding, QMSDataError
from qmsdocs.manual import HEADING_MODES, HeadingMode
from qmsdocs.plugin.siteconfig import load_site
from qmsdocs.scan.evidence import scan_sources
from qmsdocs.scan.model import ScanResult
from qmsdocs.sourcefiles import PageSource, read_page
from qmsdocs.sources import symlink_loops
from qmsdocs.standards import resolve_catalogue

__all__ = ["ManualLocation", "locate_manual", "scan_manual"]


@dataclass(frozen=True)
class ManualLocation:
    """Where a manual's pages are, and the qmsdocs options of its mkdocs.yml (if it has one).

    Attributes:
        pages: (docs-relative path, file) of each page, in the order of their paths.
        warnings: What MkDocs warned about while loading mkdocs.yml.
    """

    docs_dir: Path
    config_file: Path | None = None
    options: dict[str, Any] = field(default_factory=dict)
    pages: tuple[tuple[str, Path], ...] = ()
    warnings: tuple[str, ...] = ()


def _config_file(path: Path) -> Path | None:
    """The mkdocs.yml that `path` names or holds; None for a folder of pages without one."""
    if path.is_file() and path.suffix in (".yml", ".yaml"):
        return path
    if path.is_dir():
        config = path / "mkdocs.yml"
        return config if config.is_file() else None
    raise QMSDataError(
        [
            Finding(
                "not-found",
                "no such folder or mkdocs.yml",
                str(path),
                hint="give the folder of the Markdown pages, or mkdocs.yml",
            )
        ]
    )


def _folder_pages(docs_dir: Path) -> tuple[tuple[str, Path], ...]:
    """The pages below `docs_dir`, in the order of their paths.

    Walked as MkDocs walks a docs folder (`mkdocs.structure.files.get_files`: symbolic links
    followed), so that a folder linked into the manual is scanned as `check` and the build read
    it; the links MkDocs would follow for ever are refused first, as `load_site` refuses them.
    """
    loops = symlink_loops(docs_dir)
    if loops:
        raise QMSDataError(loops)
    pages = []
    for folder, dirnames, filenames in os.walk(docs_dir, followlinks=True):
        dirnames[:] = [name for name in dirnames if not name.startswith(".")]
        for name in filenames:
            path = Path(folder) / name
            if name.startswith(".") or path.suffix.lower() not in (".md", ".markdown"):
                continue
            if path.is_file():
                pages.append((PurePosixPath(path.relative_to(docs_dir).as_posix()), path))
    return tuple((page.as_posix(), path) for page, path in sorted(pages, key=lambda p: p[0].parts))


def _as_named(config_file: Path, docs_dir: Path) -> Path:
    """The docs folder relative to mkdocs.yml as the user named it, when it lies below it
    (MkDocs makes it absolute)."""
    try:
        return config_file.parent / docs_dir.relative_to(config_file.parent.absolute())
    except ValueError:
        return docs_dir


def _site_location(config_file: Path) -> ManualLocation:
    try:
        site = load_site(config_file)
    except QMSDataError as error:
        hint = "or give the folder of the pages to scan them without it"
        raise QMSDataError(
            replace(f, hint=hint) if f.code == "bad-config" else f for f in error.findings
        ) from None
    # The order of the paths, as for a folder without mkdocs.yml.
    pages = sorted(site.pages(), key=lambda page: PurePosixPath(page[0]).parts)
    return ManualLocation(
        _as_named(config_file, site.docs_dir),
        config_file,
        site.plugin_options() or {},
        tuple(pages),
        site.warnings,
    )


def locate_manual(path: Path) -> ManualLocation:
    """A folder of pages, a folder with mkdocs.yml, or mkdocs.yml itself, and its pages.

    Raises:
        QMSDataError: The path does not exist, or mkdocs.yml cannot be used.
    """
    config_file = _config_file(path)
    if config_file is None:
        return ManualLocation(path, pages=_folder_pages(path))
    return _site_location(config_file)


def _read_sources(location: ManualLocation) -> dict[str, PageSource]:
    sources: dict[str, PageSource] = {}
    for page, file in location.pages:
        try:
            sources[page] = read_page(file)
        except OSError as error:
            raise QMSDataError(
                [Finding("unreadable-file", f"cannot read the file: {error.strerror}", page)]
            ) from None
    if not sources:
        raise QMSDataError(
            [Finding("no-pages", "no Markdown pages (*.md) found", str(location.docs_dir))]
        )
    return sources


def scan_manual(
    path: Path,
    standard: str | None = None,
    *,
    mapping_tables: bool = True,
) -> ScanResult:
    """Scan the pages of a manual (see `locate_manual`) against a standard.

    Arguments:
        standard: Catalogue id or file; default: the one mkdocs.yml configures, else ISO 9001:2015.

    Raises:
        QMSDataError: The manual or the catalogue cannot be read.
    """
    location = locate_manual(path)
    options = location.options
    spec = standard or str(options.get("standard") or "iso9001-2015")
    base = location.config_file.parent if location.config_file else None
    catalogue = resolve_catalogue(spec, base)
    mode = options.get("heading_coverage")
    heading_mode: HeadingMode = mode if mode in HEADING_MODES else "titles"
    sources = _read_sources(location)
    result = scan_sources(
        [(page, source.text) for page, source in sources.items()],
        catalogue,
        heading_mode=heading_mode,
        parent_covers_children=options.get("parent_covers_children", True) is not False,
        mapping_tables=mapping_tables,
    )
    result.docs_dir = location.docs_dir
    result.config_file = location.config_file
    result.sources = sources
    result.warnings = list(location.warnings)
    for scan in result.pages:
        encoding = sources[scan.page].encoding
        if encoding != "utf-8":
            scan.notes.append(
                f"not UTF-8 (read as {encoding}): MkDocs reads pages as UTF-8 only; convert it"
            )
    return result
