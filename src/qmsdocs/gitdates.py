"""Last-changed dates of pages from git, for the document control panel (optional).

One `git log` call for the whole docs folder, not one per page. Without git, or outside a
repository, the answer is simply empty: a manual builds the same with or without git.
"""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

__all__ = ["git_last_changed"]


def git_last_changed(docs_dir: Path, timeout: float = 30) -> dict[str, dt.date]:
    """Docs-relative path -> date of the last commit that changed it."""
    try:
        top = subprocess.run(
            ["git", "rev-parse", "--show-toplevel"],
            cwd=docs_dir,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=True,
        ).stdout.strip()
        log = subprocess.run(
            # quotepath off: names with non-ASCII letters come back as they are, not escaped.
            [
                "git",
                "-c",
                "core.quotepath=off",
                "log",
                "--format=%x00%cs",
                "--name-only",
                "--",
                ".",
            ],
            cwd=docs_dir,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=True,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return {}
    root = Path(top)
    docs = docs_dir.resolve()
    dates: dict[str, dt.date] = {}
    current: dt.date | None = None
    for line in log.splitlines():
        if line.startswith("\x00"):
            try:
                current = dt.date.fromisoformat(line[1:].strip())
            except ValueError:
                current = None
            continue
        if not line.strip() or current is None:
            continue
        path = (root / line.strip()).resolve()
        if path.is_relative_to(docs):
            # The log runs newest first: the first date seen for a file is its last change.
            dates.setdefault(path.relative_to(docs).as_posix(), current)
    return dates
