"""Template prompts: the "To do" blocks a skeleton (`qmsdocs init`) leaves for authors.

A section that still holds one has not been written yet: it does not address its clause, it
only says that it should (`qmsdocs.coverage`: "drafted").
"""

from __future__ import annotations

import re
from collections.abc import Iterable

__all__ = ["TODO_RE", "count_prompts"]

# An admonition titled "To do" (English, German) or of type `todo`, or a "[TODO" marker.
TODO_RE = re.compile(
    r"""^[ \t]*(?:!!!|\?\?\?\+?)[ \t]+(?:todo\b|[\w-]+(?:[ \t]+inline(?:[ \t]+end)?)?[ \t]+
        "(?:to[ \t-]?do|zu[ \t]erledigen|offen)")
      | \[TODO\b""",
    re.IGNORECASE | re.VERBOSE | re.MULTILINE,
)


def count_prompts(lines: Iterable[str]) -> int:
    """How many prompts the lines hold (code excluded by the caller)."""
    return sum(
        len(TODO_RE.findall(line))
        for line in lines
        if "!!!" in line or "???" in line or "[" in line
    )
