"""`qmsdocs generate`: the generated pages as files, for site generators that run no plugin.

What is written is what the MkDocs plugin generates (`qmsdocs.standalone` makes it with the
plugin's own parts): the clause pages, coverage page, document register, glossary and
transition page as Markdown whose content is filled in as HTML blocks, the exports beside them
and the stylesheet. They go into the docs folder, at the paths the plugin's options give
(under `prefix`, if one is given), and are listed in the folder's manifest (`qmsdocs.written`).

Writing is safe to repeat: a file whose content is unchanged is not touched (its modification
time stays), a changed one is replaced in one step (`write_atomically`), a file generated
earlier that is no longer generated (a catalogue no longer loaded) is removed, and a file of the
manual's own where a generated one would go is never overwritten: nothing is written then.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from qmsdocs.exports import generator
from qmsdocs.sourcefiles import write_atomically
from qmsdocs.standalone import Standalone
from qmsdocs.written import MANIFEST, Manifest, is_marked

__all__ = ["GenerateError", "Generated", "generate"]


class GenerateError(Exception):
    """Nothing could be generated; the message names the file and says what to do."""


@dataclass
class Generated:
    """What one `generate` did, by docs path."""

    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # stale, but a page of the manual now


def generate(site: Standalone) -> Generated:
    """Write the generated files of `site` into its docs folder.

    Raises:
        GenerateError: A file of the manual's own (or a link, or a folder) is where a
            generated file would go; nothing was written.
    """
    docs_dir = site.docs_dir
    files = site.outputs()
    previous = Manifest.read(docs_dir)
    before = set(previous.files) if previous is not None else set()
    _refuse_conflicts(site, docs_dir, files, before)
    done = Generated()
    for src in sorted(files):
        data = files[src].encode("utf-8")
        if _write(docs_dir / src, data):
            done.written.append(src)
        else:
            done.unchanged.append(src)
    for src in sorted(before - set(files)):
        _remove_stale(docs_dir, src, done)
    manifest = Manifest(
        prefix=site.build.generated.prefix,
        files=sorted(files),
        sources=site.digest(),
        generator=generator(),
    )
    _write(docs_dir / MANIFEST, manifest.text().encode("utf-8"))
    return done


def _refuse_conflicts(
    site: Standalone, docs_dir: Path, files: dict[str, str], before: set[str]
) -> None:
    """Stop before writing anything if some target path holds what qmsdocs did not write."""
    what = site.build.generated.paths()
    problems = []
    for src in sorted(files):
        target = docs_dir / src
        if target.is_symlink() or (target.exists() and not target.is_file()):
            kind = "a link" if target.is_symlink() else "a folder"
            problems.append(f"  - {target}: {kind} where qmsdocs generates a file of its own")
            continue
        if not target.exists() or src in before or is_marked(target):
            continue
        kind, option = what.get(src, ("stylesheet", ""))
        where = f", or set the plugin option '{option}' to another path" if option else ""
        problems.append(
            f"  - {target}: a file of your own where qmsdocs generates the {kind}: rename or "
            f"move it{where}"
        )
    if problems:
        raise GenerateError(
            "nothing was generated, so that no file of yours is overwritten:\n"
            + "\n".join(problems)
        )


def _write(path: Path, data: bytes) -> bool:
    """Write `data` to `path` unless it holds it already; whether it was written."""
    try:
        if path.is_file() and path.read_bytes() == data:
            return False
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(path, data)
    except OSError as error:
        raise GenerateError(f"{path}: cannot write it ({error.strerror or error})") from None
    return True


def _remove_stale(docs_dir: Path, src: str, done: Generated) -> None:
    """Remove a file an earlier `generate` wrote that is generated no more, and the folders
    that leaves empty; a page that has become the manual's own (no mark) is kept."""
    path = docs_dir / src
    if path.is_symlink() or not path.is_file():
        return
    if path.suffix == ".md" and not is_marked(path):
        done.kept.append(src)
        return
    try:
        path.unlink()
    except OSError as error:
        raise GenerateError(f"{path}: cannot remove it ({error.strerror or error})") from None
    done.removed.append(src)
    folder = path.parent
    root = docs_dir.resolve()
    while folder.resolve() != root and root in folder.resolve().parents:
        try:
            folder.rmdir()  # only an empty folder
        except OSError:
            break
        folder = folder.parent
