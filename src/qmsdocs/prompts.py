"""Template prompts: the "To do" blocks a skeleton (`qmsdocs init`) leaves for authors.

A page that still holds one has not been written yet; `qmsdocs check` lists such pages.
"""

from __future__ import annotations

import re

from qmsdocs.sourcefiles import code_lines

__all__ = ["TODO_RE", "count_prompts", "may_hold_prompt"]

# An admonition titled "To do" (English, German) or of type `todo`, or a "[TODO" marker.
TODO_RE = re.compile(
    r"""^[ \t]*(?:!!!|\?\?\?\+?)[ \t]+(?:todo\b|[\w-]+(?:[ \t]+inline(?:[ \t]+end)?)?[ \t]+
        "(?:to[ \t-]?do|zu[ \t]erledigen|offen)")
      | \[TODO\b""",
    re.IGNORECASE | re.VERBOSE | re.MULTILINE,
)


def may_hold_prompt(text: str) -> bool:
    """False for text that cannot hold a prompt (most text): `TODO_RE` need not run on it."""
    return "!!!" in text or "???" in text or ("[" in text and "[todo" in text.lower())


def count_prompts(body: str) -> int:
    """How many prompts a page's Markdown holds outside code."""
    return sum(
        len(TODO_RE.findall(line))
        for _index, line, is_code in code_lines(body.split("\n"))
        if not is_code and may_hold_prompt(line)
    )
