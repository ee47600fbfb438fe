"""What the sections of a page hold: words of prose, and template prompts still to replace.

Coverage asks two questions of a section that addresses a clause: is there anything in it
(a heading over an empty section addresses nothing an auditor can read), and is it finished (a
section that still holds a skeleton's "To do" prompt is drafted, not written). A section runs
from its heading to the next heading of the same or a higher level, so it includes its
subsections. The words of a prompt (the admonition and the lines indented under it) are not
counted: they are the template's, not the author's.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import accumulate

from qmsdocs.prompts import TODO_RE

__all__ = ["Extent", "Sections"]

_WORD_RE = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
_INDENT_RE = re.compile(r"^[ \t]*")


@dataclass(frozen=True, slots=True)
class Extent:
    """What a stretch of a page holds: its own words of prose, and its prompts."""

    words: int
    prompts: int

    @property
    def prompted(self) -> bool:
        return self.prompts > 0


class Sections:
    """The extent of each section of one page.

    Arguments:
        prose: The page body's prose (`qmsdocs.prose.prose_text`: code, HTML and headings
            hidden), so that only text readers read as prose is counted.
        first_line: The line of the page's source where the body starts.
        headings: (line, level) of the page's headings, in order.
    """

    def __init__(self, prose: str, first_line: int, headings: Sequence[tuple[int, int]]) -> None:
        words: list[int] = []
        prompts: list[int] = []
        prompt_indent: int | None = None  # inside a prompt admonition opened at this indent
        for line in prose.split("\n"):
            stripped = line.strip()
            indent = len(_INDENT_RE.match(line).group(0))  # type: ignore[union-attr]
            if prompt_indent is not None and (not stripped or indent > prompt_indent):
                words.append(0)
                prompts.append(0)
                continue
            prompt_indent = None
            found = (
                len(TODO_RE.findall(line)) if ("!!!" in line or "???" in line or "[" in line) else 0
            )
            if found and stripped[:3] in ("!!!", "???"):
                prompt_indent = indent
            prompts.append(found)
            words.append(0 if found else len(_WORD_RE.findall(line)))
        self._first_line = first_line
        self._words = [0, *accumulate(words)]
        self._prompts = [0, *accumulate(prompts)]
        self._headings = list(headings)
        self.page = self._extent(0, len(words))

    def _extent(self, start: int, stop: int) -> Extent:
        """Lines `start` to `stop` (indexes in the body, `stop` excluded)."""
        return Extent(
            self._words[stop] - self._words[start], self._prompts[stop] - self._prompts[start]
        )

    def under(self, line: int) -> Extent:
        """The section under the heading at source line `line` (its subsections included)."""
        for index, (heading_line, level) in enumerate(self._headings):
            if heading_line != line:
                continue
            end = next(
                (other for other, depth in self._headings[index + 1 :] if depth <= level),
                None,
            )
            stop = len(self._words) - 1 if end is None else end - self._first_line
            return self._extent(line - self._first_line + 1, stop)
        raise KeyError(line)
