"""A site's mkdocs.yml as MkDocs itself reads it, for the commands that read a manual without
building it.

`mkdocs build` decides which configuration applies (`INHERIT`, `!ENV`, the plugins' validated
options) and which files are pages (`exclude_docs`, `draft_docs`, a README.md beside an
index.md). A command that reads the manual must see the same, so it asks MkDocs too. What
MkDocs logs meanwhile is kept, not printed: a configuration that does not load becomes findings
that name the file (never a traceback), and warnings are handed to the caller to show.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import MkDocsException
from mkdocs.structure.files import Files, get_files

from qmsdocs.findings import Finding, QMSDataError
from qmsdocs.plugin import QMSPlugin
from qmsdocs.plugin.config import QMSConfig
from qmsdocs.sources import symlink_loops
from qmsdocs.written import generated_paths

__all__ = ["LoadedSite", "load_site", "mkdocs_log"]


@dataclass(frozen=True)
class LoadedSite:
    """A loaded mkdocs.yml and the files MkDocs found in its docs folder.

    Attributes:
        config_file: The mkdocs.yml, as the caller named it.
        config: The configuration, validated by MkDocs (plugins' options included).
        files: The docs folder's files, with MkDocs' exclusions applied.
        warnings: What MkDocs warned about while loading: "warning: ...".
    """

    config_file: Path
    config: MkDocsConfig
    files: Files
    warnings: tuple[str, ...] = ()

    @property
    def docs_dir(self) -> Path:
        return Path(self.config.docs_dir)

    def plugin_options(self, name: str = "qmsdocs") -> dict[str, Any] | None:
        """The validated options of the plugin `name`, or None when it is not enabled."""
        plugin: Any = self.config.plugins.get(name)
        return None if plugin is None else dict(plugin.config)

    def qmsdocs_options(self) -> QMSConfig | None:
        """The qmsdocs plugin's validated options, or None when it is not enabled."""
        plugin = self.config.plugins.get("qmsdocs")
        return plugin.config if isinstance(plugin, QMSPlugin) else None

    def pages(self) -> list[tuple[str, Path]]:
        """(docs-relative path, file) of each page of the manual the build renders, in
        MkDocs' order; the pages `qmsdocs generate` wrote are not the manual's."""
        written = generated_paths(self.docs_dir)
        return [
            (file.src_uri, Path(file.abs_src_path or self.docs_dir / file.src_uri))
            for file in self.files.documentation_pages()
            if file.src_uri not in written
        ]


class _Kept(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@contextlib.contextmanager
def mkdocs_log(*, silence: bool = False) -> Iterator[list[logging.LogRecord]]:
    """MkDocs' (and its plugins') warnings and errors meanwhile, kept for the caller to
    report; with `silence`, kept instead of printed on stderr as well."""
    kept = _Kept()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(kept)
    propagate = logger.propagate
    if silence:
        logger.propagate = False
    try:
        yield kept.records
    finally:
        logger.removeHandler(kept)
        logger.propagate = propagate


def _unusable(config_file: Path, error: Exception, log: list[logging.LogRecord]) -> QMSDataError:
    # MkDocs logs what is wrong and then aborts with a bare "Aborted with N errors": the
    # logged messages are the useful part.
    messages = [r.getMessage() for r in log if r.levelno >= logging.ERROR] or [str(error)]
    return QMSDataError(
        Finding("bad-config", f"the configuration cannot be used: {message}", str(config_file))
        for message in messages
    )


def load_site(config_file: Path) -> LoadedSite:
    """Load mkdocs.yml and list its docs folder as `mkdocs build` would.

    Raises:
        QMSDataError: The configuration cannot be loaded, or the docs folder holds a symbolic
            link to a folder that contains it (MkDocs would list its files over and over).
    """
    with mkdocs_log() as log:
        try:
            config = load_config(str(config_file))
        except (MkDocsException, OSError) as error:
            raise _unusable(config_file, error, log) from None
        loops = symlink_loops(Path(config.docs_dir))
        if loops:
            raise QMSDataError(loops)
        files = get_files(config)
    warnings = tuple(f"{r.levelname.lower()}: {r.getMessage()}" for r in log)
    return LoadedSite(config_file, config, files, warnings)
