"""What every `qmsdocs` command does the same way: refuse input it cannot use, and find the
`mkdocs.yml` it was given."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import NoReturn

import click

__all__ = ["EXIT_UNUSABLE", "config_path", "unusable"]

# Exit status for input a command cannot use at all (a problem in the manual itself is 1).
EXIT_UNUSABLE = 2


def unusable(message: str) -> NoReturn:
    """Say what cannot be used, on standard error, and stop with `EXIT_UNUSABLE`."""
    click.echo(f"qmsdocs: {message}", err=True)
    sys.exit(EXIT_UNUSABLE)


def config_path(config_file: str) -> Path:
    """The mkdocs.yml a command was given, as a file or its folder; unusable if there is none."""
    path = Path(config_file)
    if path.is_dir():
        path = path / "mkdocs.yml"
    if not path.is_file():
        unusable(f"{path}: no such file (give the path of mkdocs.yml or of its folder)")
    return path
