"""Change clause ids in a page's front matter, keeping every other byte of the page.

Used by `qmsdocs transition --write` (10.3 becomes 10.1). Only the text of the ids changes:
quoting style, comments, line endings, encoding and everything after the front matter are
kept as they were. Files are replaced atomically (a temporary file, then a rename).
"""

from __future__ import annotations

from collections.abc import Mapping

import yaml

from qmsdocs.sourcefiles import FRONT_MATTER_RE

__all__ = ["rewrite_clause_ids"]

_KEYS = ("clauses", "not_applicable")


def rewrite_clause_ids(
    text: str, changes: Mapping[str, str]
) -> tuple[str, list[tuple[str, str, int]]]:
    """Replace clause ids listed in `changes` (old -> new) under `clauses:` and as keys of
    `not_applicable:`.

    Returns the new text and what changed: (old, new, line). Ids written any other way
    ("ISO 9001:2015 10.3") are left for a person.
    """
    match = FRONT_MATTER_RE.match(text)
    if match is None:
        return text, []
    offset = match.start("yaml")
    try:
        root = yaml.compose(match.group("yaml"), Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return text, []
    if not isinstance(root, yaml.MappingNode):
        return text, []
    spans: list[tuple[int, int, str, str, int]] = []
    for key, value in root.value:
        if not isinstance(key, yaml.ScalarNode) or key.value not in _KEYS:
            continue
        if key.value == "clauses":
            nodes = value.value if isinstance(value, yaml.SequenceNode) else [value]
        else:
            nodes = [k for k, _v in value.value] if isinstance(value, yaml.MappingNode) else []
        for node in nodes:
            if not isinstance(node, yaml.ScalarNode):
                continue
            old = node.value.strip().rstrip(".")
            new = changes.get(old)
            if new is None:
                continue
            quote = {"'": "'", '"': '"'}.get(node.style or "", "")
            spans.append(
                (
                    offset + node.start_mark.index,
                    offset + node.end_mark.index,
                    f"{quote}{new}{quote}",
                    old,
                    node.start_mark.line + 2,  # the front matter starts on line 2
                )
            )
    changed = []
    for start, end, replacement, old, line in sorted(spans, reverse=True):
        text = text[:start] + replacement + text[end:]
        changed.append((old, changes[old], line))
    return text, sorted(changed, key=lambda c: c[2])
