"""The blocks of a page's prose, as the renderer sees them: paragraphs, list items, table cells.

A standard named in a paragraph binds the clause numbers of that paragraph (`qmsdocs.references`),
so the source reader must cut a page's prose where the rendered page has block boundaries: at
blank lines, list items, admonitions, headings and table cells. Each block knows the heading it
is under, and a table cell its column's header and the cells before it in its row, which is
what `qmsdocs.scopes` binds it in.

The cut follows the Markdown block rules only as far as binding needs them; offsets are those
of the prose text (`qmsdocs.prose.prose_text`), so citations keep their lines.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import accumulate

__all__ = ["Block", "prose_blocks", "split_cells"]

# A run of lines that are not blank (a line of spaces or hidden text is blank): what the
# renderer may make one block of. Anchored at line starts, so that it stays linear.
_PARAGRAPH_RE = re.compile(
    r"^[ \t\ufffc]*[^\s\ufffc][^\n]*(?:\n[ \t\ufffc]*[^\s\ufffc][^\n]*)*", re.MULTILINE
)
# A line that starts a block of its own in a list, an admonition or details block (whose
# title line is a block too), or among footnotes.
_STARTS_BLOCK_RE = re.compile(
    r"^[ \t>]*(?:[-*+][ \t]|\d{1,9}[.)][ \t]|(?P<title>!!!|\?\?\?)|\[\^[^\]\n]*\]:)",
    re.MULTILINE,
)
# The delimiter row under a table's header: "|---|:---:|", "--- | ---".
_DELIMITER_RE = re.compile(r"^[ \t]*\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)+\|?[ \t]*$")
_CELL_SPLIT_RE = re.compile(r"(?<!\\)\|")


@dataclass(frozen=True, slots=True)
class Block:
    """A span of prose the renderer makes one block of.

    Attributes:
        start: Offset of its first character in the prose.
        end: Offset just past its last character.
        section: Index of the heading it is under; None above the first heading.
        header: For a table cell, its column's header text.
        before: For a table cell, the text of the cells before it in its row.
    """

    start: int
    end: int
    section: int | None
    header: str | None = None
    before: str = ""


def split_cells(line: str) -> list[tuple[int, int]]:
    """(start, end) of each cell of a table row, outer pipes left out."""
    bounds = [-1, *(m.start() for m in _CELL_SPLIT_RE.finditer(line)), len(line)]
    cells = [(bounds[i] + 1, bounds[i + 1]) for i in range(len(bounds) - 1)]
    if cells and not line[cells[0][0] : cells[0][1]].strip():
        cells = cells[1:]
    if cells and not line[cells[-1][0] : cells[-1][1]].strip():
        cells = cells[:-1]
    return cells


def prose_blocks(prose: str, heading_lines: Sequence[int]) -> list[Block]:
    """The blocks of `prose` (lines hidden whole, such as headings and code, end blocks).

    Arguments:
        prose: The page's body as `prose_text` returns it.
        heading_lines: Indexes of the lines (in `prose`) that hold the headings, in order.

    The work is done by a few regular expressions over the whole text, not line by line:
    this runs on every page of every build.
    """
    heading_starts: list[int] = []
    if heading_lines:
        # Line starts, added up in C: a Python loop over every line costs more than the rest.
        line_starts = [0, *accumulate(map((1).__add__, map(len, prose.split("\n"))))]
        lines = sorted(set(heading_lines))
        heading_starts = [line_starts[i] for i in lines if i < len(line_starts)]
    blocks: list[Block] = []
    for paragraph in _PARAGRAPH_RE.finditer(prose):
        start, end = paragraph.span()
        section = bisect.bisect_right(heading_starts, start) - 1
        where = section if section >= 0 else None
        first_end = prose.find("\n", start, end)
        if first_end >= 0 and prose.find("|", start, first_end) >= 0:
            second_end = prose.find("\n", first_end + 1, end)
            second = prose[first_end + 1 : end if second_end < 0 else second_end]
            if _DELIMITER_RE.match(second):
                _table(prose, start, end, where, blocks)
                continue
        cut = start
        # Python-Markdown starts a list or an admonition only after a blank line: "Steps:\n1.
        # Define" is one paragraph. Inside a list, each item is a block of its own.
        opening = _STARTS_BLOCK_RE.match(prose, start, end)
        if opening is None:
            blocks.append(Block(start, end, where))
            continue
        for line in _STARTS_BLOCK_RE.finditer(prose, start, end):
            if line.start() > cut:
                blocks.append(Block(cut, line.start() - 1, where))
                cut = line.start()
            if line.group("title"):  # an admonition's title line is a block of its own
                title_end = prose.find("\n", cut, end)
                if title_end < 0:
                    break
                blocks.append(Block(cut, title_end, where))
                cut = title_end + 1
        if cut < end:
            blocks.append(Block(cut, end, where))
    return blocks


def _table(prose: str, start: int, end: int, section: int | None, blocks: list[Block]) -> None:
    """Add the cells of the table that fills `prose[start:end]`."""
    rows = prose[start:end].split("\n")
    header_line = rows[0]
    header_cells = split_cells(header_line)
    headers = [header_line[a:b].strip() for a, b in header_cells]
    blocks += [Block(start + a, start + b, section) for a, b in header_cells]
    offset = start + len(rows[0]) + 1 + len(rows[1]) + 1
    for line in rows[2:]:
        before: list[str] = []
        for column, (a, b) in enumerate(split_cells(line)):
            header = headers[column] if column < len(headers) else None
            blocks.append(Block(offset + a, offset + b, section, header, " | ".join(before)))
            before.append(line[a:b])
        offset += len(line) + 1
