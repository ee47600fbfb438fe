"""A page file of the manual: how it is decoded, split, located in and written back.

Everything that reads or writes a page's source goes through here, so that the build,
`qmsdocs check`, `qmsdocs scan` and `qmsdocs transition --write` agree on where the front matter
ends, which lines are code, and on which line a piece of text stands.
"""

from __future__ import annotations

import bisect
import contextlib
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "FRONT_MATTER_RE",
    "LineLocator",
    "PageSource",
    "code_lines",
    "mask_code",
    "read_page",
    "split_front_matter",
    "write_atomically",
]

# YAML front matter as MkDocs finds it (mkdocs.utils.meta.YAML_RE), on the file's own line
# endings, so that a page written back keeps them.
FRONT_MATTER_RE = re.compile(
    r"\A---[ \t]*(?:\r\n|\n)(?P<yaml>.*?(?:\r\n|\n))(?P<close>(?:\.\.\.|---)[ \t]*(?:\r\n|\n))",
    re.DOTALL,
)
_BOMS = (
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)
# Fenced code as Python-Markdown's fenced_code and pymdownx.superfences open and close it.
_FENCE_RE = re.compile(r"^[ \t]{0,3}(?P<fence>`{3,}|~{3,})")
_INLINE_CODE_RE = re.compile(r"(`+)(?!`).+?(?<!`)\1(?!`)")


@dataclass(frozen=True)
class PageSource:
    """A page as stored: the text exactly as decoded, and how to write it back.

    Attributes:
        original: The decoded text, line endings untouched, without a byte order mark.
        bom: The byte order mark the file starts with (b"" for none).
        encoding: The encoding it was decoded with.
        newline: The line ending it mostly uses.
    """

    original: str
    bom: bytes = b""
    encoding: str = "utf-8"
    newline: str = "\n"

    @property
    def text(self) -> str:
        """The text as MkDocs reads it (universal newlines)."""
        return self.original.replace("\r\n", "\n").replace("\r", "\n")

    def encode(self, text: str) -> bytes:
        return self.bom + text.encode(self.encoding)


def read_page(path: Path) -> PageSource:
    """Read a page's bytes, remembering encoding, byte order mark and line endings.

    UTF-8 is expected; a page that is not UTF-8 is read as Windows-1252 (what Word and most
    Windows editors write) and its `encoding` says so.
    """
    data = path.read_bytes()
    bom = b""
    encoding = "utf-8"
    for mark, name in _BOMS:
        if data.startswith(mark):
            bom, encoding = mark, name
            break
    body = data[len(bom) :]
    try:
        text = body.decode(encoding)
    except UnicodeDecodeError:
        encoding = "cp1252"
        try:
            text = body.decode(encoding)
        except UnicodeDecodeError:
            encoding = "latin-1"
            text = body.decode(encoding)
    crlf = text.count("\r\n")
    lone_lf = text.count("\n") - crlf
    lone_cr = text.count("\r") - crlf
    newline = "\r\n" if crlf > lone_lf and crlf >= lone_cr else "\r" if lone_cr > lone_lf else "\n"
    return PageSource(text, bom, encoding, newline)


# The first line of a YAML mapping: `key:` or `"key": value`, a flow mapping, an explicit key.
_MAPPING_START_RE = re.compile(r"(?:\{|\?\s|[^-\s#].*?:(?:\s|$))")


def split_front_matter(text: str) -> tuple[str | None, str, int]:
    """(front matter YAML or None, body, line of the body) as MkDocs splits a page.

    MkDocs takes the block between two `---` lines for front matter only when it is a YAML
    mapping; otherwise the lines are the page's (two thematic breaks around a paragraph). The
    block's first line tells which, without parsing it twice: a mapping starts with a key.
    """
    match = FRONT_MATTER_RE.match(text)
    if match is None or not _starts_a_mapping(match.group("yaml")):
        return None, text, 1
    rest = text[match.end() :]
    body = rest.lstrip("\n")
    body_line = text.count("\n", 0, match.end()) + 1 + (len(rest) - len(body))
    return match.group("yaml"), body, body_line


def _starts_a_mapping(yaml_text: str) -> bool:
    for line in yaml_text.splitlines():
        stripped = line.strip()
        if stripped and not stripped.startswith("#"):
            return _MAPPING_START_RE.match(stripped) is not None
    return False


def write_atomically(path: Path, data: bytes | str, encoding: str = "utf-8") -> None:
    """Replace the contents of `path` with `data`, so that an interruption never loses a page.

    Text is written exactly (no newline translation) and the file keeps its permissions. A page
    is often a link into a shared folder, and the link must survive: a symbolic link stays a
    link and the file it points to is written; a file with other hard links keeps its inode,
    so every name shows the new text (`_write_in_place`). Any other file is replaced in one
    step: the data reaches the disk in a temporary file beside it, which is then renamed over
    it, so a reader sees the old file or the new, whole.
    """
    payload = data.encode(encoding) if isinstance(data, str) else data
    target = path.resolve(strict=True) if path.is_symlink() else path
    if target.exists() and target.stat().st_nlink > 1:
        _write_in_place(target, payload)
        return
    temporary = _write_beside(target, payload)
    try:
        with contextlib.suppress(OSError):
            shutil.copymode(target, temporary)
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def _write_beside(path: Path, payload: bytes) -> Path:
    """A temporary file in the folder of `path` holding `payload`, on disk."""
    handle = tempfile.NamedTemporaryFile(  # noqa: SIM115 - closed before it is used
        dir=path.parent, prefix=f".{path.name}.", suffix=".tmp", delete=False
    )
    temporary = Path(handle.name)
    try:
        with handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return temporary


def _write_in_place(path: Path, payload: bytes) -> None:
    """Overwrite a hard-linked file in its inode (a rename would give `path` a new one and leave
    the other names with the old text).

    This cannot be one step, so the new text goes to disk beside the file first and is removed
    only once the file holds it: an interruption leaves the file part-written, but the whole
    new text in `.<name>.*.tmp` next to it.
    """
    recovery = _write_beside(path, payload)
    with path.open("r+b") as handle:
        handle.write(payload)
        handle.truncate()
        handle.flush()
        os.fsync(handle.fileno())
    recovery.unlink()


def code_lines(lines: list[str]) -> Iterator[tuple[int, str, bool]]:
    """(index, line, whether it is fenced code, its fences included) for each line."""
    fence: str | None = None
    for index, line in enumerate(lines):
        match = _FENCE_RE.match(line)
        if fence is not None:
            if (
                match
                and match.group("fence")[0] == fence[0]
                and len(match.group("fence")) >= len(fence)
            ):
                fence = None
            yield index, line, True
        elif match:
            fence = match.group("fence")
            yield index, line, True
        else:
            yield index, line, False


def mask_code(body: str) -> tuple[str, set[int]]:
    """The body with fenced code and inline code spans blanked (same length, lines kept), and
    the indexes of the fenced lines."""
    out: list[str] = []
    fenced: set[int] = set()
    for index, line, is_code in code_lines(body.split("\n")):
        if is_code:
            fenced.add(index)
            out.append(" " * len(line))
        else:
            out.append(_INLINE_CODE_RE.sub(lambda m: " " * len(m.group(0)), line))
    return "\n".join(out), fenced


class LineLocator:
    """Finds the line of a piece of text in a page's Markdown source.

    Rendered trees carry no line numbers, so a finding about a citation is placed by looking
    for its text in the source. Look-ups come in document order, so each starts where the
    previous one ended (and only falls back to the start of the page), and lines are counted
    with a binary search over the newline positions: thousands of findings on a huge page stay
    linear.

    Arguments:
        source: The page's Markdown, without front matter.
        first_line: The line of the file on which `source` starts.
    """

    def __init__(self, source: str, first_line: int = 1) -> None:
        self.source = source
        self.first_line = first_line
        self._cursor = 0  # just past the last text found
        self._next: dict[str, int] = {}  # where to look for the next occurrence of a text
        self._newlines: list[int] | None = None

    def line(self, text: str) -> int | None:
        # The same text again: its next occurrence. A new text: from the last find on, since
        # look-ups come in document order; from the top when a new pass over the page starts.
        start = self._next.get(text, self._cursor)
        found = self.source.find(text, start)
        if found < 0 and start:
            found = self.source.find(text)
        if found < 0:
            return None
        self._cursor = self._next[text] = found + len(text)
        return self.line_at(found)

    def line_at(self, offset: int) -> int:
        """The line of the character at `offset` in the source."""
        if self._newlines is None:
            self._newlines = [m.start() for m in re.finditer("\n", self.source)]
        return self.first_line + bisect.bisect_left(self._newlines, offset)
