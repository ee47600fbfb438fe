"""What `qmsdocs generate` wrote into a docs folder, and how it is told from the manual's own.

Generated pages carry `qmsdocs_generated:` in their front matter (as the plugin's virtual pages
always have); the exports and the stylesheet cannot, so the folder also holds a manifest,
`.qmsdocs-generated.json`, listing every file written (a dot file: neither MkDocs nor Zensical
publishes it). With both, a later `generate` knows which files it may replace or remove, the
plugin and `qmsdocs check` leave generated pages out of the manual, and a page of the manual
is never overwritten.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["MANIFEST", "Manifest", "generated_paths", "is_marked", "is_marked_text"]

MANIFEST = ".qmsdocs-generated.json"
# `qmsdocs_generated:` as a key of the front matter, which starts the file.
_MARK_RE = re.compile(r"\A(?:\ufeff)?---[ \t]*\r?\n(?:.*\r?\n)*?qmsdocs_generated:", re.MULTILINE)
_HEAD = 4096  # the front matter of a generated page is a few lines


def is_marked_text(text: str) -> bool:
    """Whether a page's text is one qmsdocs generated (its front matter says so)."""
    head = text[:_HEAD]
    match = _MARK_RE.match(head)
    if match is None:
        return False
    # The key must stand before the front matter closes.
    closing = re.search(r"^(?:---|\.\.\.)[ \t]*$", head[4 : match.end()], re.MULTILINE)
    return closing is None


def is_marked(path: str | Path) -> bool:
    """Whether the Markdown file at `path` is a page qmsdocs generated."""
    path = Path(path)
    if path.suffix != ".md":
        return False
    try:
        with path.open("r", encoding="utf-8", errors="replace") as handle:
            return is_marked_text(handle.read(_HEAD))
    except OSError:
        return False


@dataclass
class Manifest:
    """The manifest of one docs folder.

    Attributes:
        prefix: The docs-relative folder the files were generated under ("" for the paths
            the plugin uses).
        files: Docs-relative paths of every file written, sorted.
        sources: A digest of the manual the files were generated from (to tell when they
            are out of date).
        generator: What wrote them ("qmsdocs 0.1.0").
    """

    prefix: str = ""
    files: list[str] = field(default_factory=list)
    sources: str = ""
    generator: str = ""

    @classmethod
    def read(cls, docs_dir: Path) -> Manifest | None:
        """The manifest of `docs_dir`; None if there is none or it cannot be read (then only
        the marks of the pages tell what was generated)."""
        try:
            data = json.loads((docs_dir / MANIFEST).read_text("utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(data, dict):
            return None
        files = data.get("files")
        return cls(
            prefix=str(data.get("prefix") or ""),
            files=[str(f) for f in files] if isinstance(files, list) else [],
            sources=str(data.get("sources") or ""),
            generator=str(data.get("generator") or ""),
        )

    def text(self) -> str:
        data = {
            "generator": self.generator,
            "prefix": self.prefix,
            "sources": self.sources,
            "files": sorted(self.files),
        }
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def generated_paths(docs_dir: Path) -> frozenset[str]:
    """The docs paths `qmsdocs generate` wrote into `docs_dir` (from its manifest)."""
    manifest = Manifest.read(docs_dir)
    return frozenset(manifest.files) if manifest is not None else frozenset()
