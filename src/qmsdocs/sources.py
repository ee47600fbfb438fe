"""Problems with a manual's source files that would otherwise crash a build with a traceback.

MkDocs follows symbolic links while listing the docs folder, so a link to a folder that
contains it makes MkDocs list the same files again and again, and finally fail with "too many
levels of symbolic links" while copying. A page that is not UTF-8 makes it fail with a decoding
traceback. Both are found here first and reported as findings naming the file (and line).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from qmsdocs.findings import Finding, QMSDataError
from qmsdocs.yamlio import read_text

__all__ = ["source_problems", "symlink_loops"]


def symlink_loops(folder: Path) -> list[Finding]:
    """Symbolic links under `folder` that point to a folder containing them."""
    findings: list[Finding] = []
    root = folder.resolve()
    for current, dirnames, _files in os.walk(folder, followlinks=False):
        for name in sorted(dirnames):
            path = Path(current) / name
            if not path.is_symlink():
                continue
            try:
                target = path.resolve(strict=True)
            except (OSError, RuntimeError):
                findings.append(
                    Finding(
                        "symlink-loop",
                        "is a symbolic link that cannot be resolved (it points to itself or "
                        "to a missing target)",
                        _display(folder, path),
                        hint="remove the link, or list it under exclude_docs in mkdocs.yml",
                    )
                )
                continue
            parent = path.parent.resolve()
            if parent == target or parent.is_relative_to(target):
                where = "the docs folder" if target == root else f"'{target.name}'"
                findings.append(
                    Finding(
                        "symlink-loop",
                        f"is a symbolic link to {where}, which contains it: the site would "
                        "contain itself over and over",
                        _display(folder, path),
                        hint="remove the link, or list it under exclude_docs in mkdocs.yml",
                    )
                )
    return findings


def _display(folder: Path, path: Path) -> str:
    """The link as the user sees it from the project: "docs/loop"."""
    return (Path(folder.name) / path.relative_to(folder)).as_posix()


def source_problems(pages: Iterable[tuple[str, Path]]) -> list[Finding]:
    """Pages (docs-relative path, file) that cannot be read as UTF-8 text."""
    findings: list[Finding] = []
    for src_uri, path in pages:
        try:
            read_text(path, src_uri)
        except QMSDataError as error:
            findings += error.findings
    return findings
