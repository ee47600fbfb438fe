"""What the sections of a page hold: words of prose, and template prompts still to replace.

Coverage asks two questions of a section that addresses a clause: is there anything in it
(a heading over an empty section addresses nothing an auditor can read), and is it finished (a
section that still holds a skeleton's "To do" prompt is drafted, not written). A section runs
from its heading to the next heading of the same or a higher level, so it includes its
subsections. The words of a prompt (the admonition and the lines indented under it) are not
counted: they are the template's, not the author's.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from qmsdocs.prompts import TODO_RE, may_hold_prompt
from qmsdocs.prose import OPAQUE

__all__ = ["Extent", "Sections"]


# Words are what stands between spaces once hidden text (code, HTML, link targets) is gone: a
# count made in C, for it runs over every page of the manual. Markdown punctuation standing
# alone ("|" in a table, "-" of a list) counts too; the threshold it feeds is a rough one.
def _words(text: str) -> int:
    return len(text.replace(OPAQUE, " ").split())


@dataclass(frozen=True, slots=True)
class Extent:
    """What a stretch of a page holds: its own words of prose, and its prompts."""

    words: int
    prompts: int

    @property
    def prompted(self) -> bool:
        return self.prompts > 0


class Sections:
    """The extent of each section of one page, counted when asked for.

    Arguments:
        prose: The page body's prose (`qmsdocs.prose.prose_text`: code, HTML and headings
            hidden), so that only text readers read as prose is counted.
        first_line: The line of the page's source where the body starts.
        headings: (line, level) of the page's headings, in order.
    """

    def __init__(self, prose: str, first_line: int, headings: Sequence[tuple[int, int]]) -> None:
        self._lines = prose.split("\n")
        self._first_line = first_line
        self._headings = list(headings)
        # Most pages hold no prompt: one search says so, and their words are counted a whole
        # stretch at a time.
        self._prompts: dict[int, int] = {}  # line index -> prompts opened on it
        self._prompt_text: set[int] = set()  # line indexes whose words are a prompt's
        if may_hold_prompt(prose) and TODO_RE.search(prose):
            self._find_prompts()
        self.page = self._extent(0, len(self._lines))

    def _find_prompts(self) -> None:
        prompt_indent: int | None = None  # inside a prompt admonition opened at this indent
        for index, line in enumerate(self._lines):
            stripped = line.strip()
            indent = len(line) - len(line.lstrip(" \t"))
            if prompt_indent is not None and (not stripped or indent > prompt_indent):
                self._prompt_text.add(index)
                continue
            prompt_indent = None
            found = len(TODO_RE.findall(line)) if may_hold_prompt(line) else 0
            if found:
                self._prompts[index] = found
                self._prompt_text.add(index)
                if stripped[:3] in ("!!!", "???"):
                    prompt_indent = indent

    def _extent(self, start: int, stop: int) -> Extent:
        """Lines `start` to `stop` (indexes in the body, `stop` excluded)."""
        if not self._prompt_text:
            return Extent(_words("\n".join(self._lines[start:stop])), 0)
        kept = [i for i in range(start, stop) if i not in self._prompt_text]
        text = "\n".join(self._lines[i] for i in kept)
        prompts = sum(count for index, count in self._prompts.items() if start <= index < stop)
        return Extent(_words(text), prompts)

    def under(self, line: int) -> Extent:
        """The section under the heading at source line `line` (its subsections included)."""
        for index, (heading_line, level) in enumerate(self._headings):
            if heading_line != line:
                continue
            end = next(
                (other for other, depth in self._headings[index + 1 :] if depth <= level),
                None,
            )
            stop = len(self._lines) if end is None else end - self._first_line
            return self._extent(line - self._first_line + 1, stop)
        raise KeyError(line)
