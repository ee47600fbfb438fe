"""Writing the suggested front matter into the pages (`qmsdocs scan --write`).

Writing keeps every byte of the page apart from the added front matter lines: the encoding
(UTF-8 with or without a byte order mark; other encodings are reported, since MkDocs reads
UTF-8 only), the line endings (LF, CRLF) and the presence or absence of a final newline.
Existing front matter is merged, not rewritten: new keys go before its closing line, and an
existing `clauses:` entry is replaced by the merged list; one that holds comments keeps them
and every byte of its own, and the new clauses are added at the end of its list (an entry
that is not a list is then left as it is, and the report says what to add). Each file is
written as `qmsdocs.sourcefiles.write_atomically` writes (through links, never half-written).
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from qmsdocs.scan.model import ScanResult, Suggestion
from qmsdocs.sourcefiles import FRONT_MATTER_RE, PageSource, write_atomically

__all__ = ["FrontMatterError", "add_front_matter", "write_suggestions"]

_COMMENT = "# Clauses suggested by `qmsdocs scan`: check them, then edit as you see fit."
# MultiMarkdown meta data, which MkDocs reads when a page has no YAML front matter.
_MMD_META_RE = re.compile(r"^[ ]{0,3}[A-Za-z0-9_-]+:\s*\S")
_CLAUSES_KEY_RE = re.compile(r"clauses[ \t]*:")
# A YAML comment starts with '#' at the start of a line or after a blank.
_COMMENT_RE = re.compile(r"(?:^|[ \t])#")
_MERGE_FAILED = "its clauses: entry could not be merged; edit it by hand"


class FrontMatterError(ValueError):
    """The page's front matter cannot be merged safely."""


def _new_block(original: str, newline: str, entries: list[str]) -> str:
    """The page with a front matter block of its own in front."""
    first = original.split("\n", 1)[0]
    if _MMD_META_RE.match(first) and not first.lstrip().startswith(("#", "|", "-", "<")):
        # A YAML block in front would turn MkDocs' meta data into text.
        raise FrontMatterError(
            "it starts with MultiMarkdown meta data; turn it into YAML front matter first"
        )
    return newline.join(["---", _COMMENT, *entries, "---"]) + newline + original


def _clauses_entry(lines: list[str]) -> tuple[int, int]:
    """Where the `clauses:` entry of front matter `lines` is: (first line, line after it)."""
    start = next((i for i, line in enumerate(lines) if _CLAUSES_KEY_RE.match(line)), None)
    if start is None:
        # A quoted key or a flow mapping: the YAML has the key, no line starts with it.
        raise FrontMatterError(_MERGE_FAILED)
    end = start + 1
    while end < len(lines) and (
        lines[end][:1] in (" ", "\t")
        or (lines[end].startswith("-") and not lines[end].startswith("---"))
        or not lines[end].strip()
    ):
        end += 1
    # Blank lines after the entry separate it from the next key: keep them.
    while end > start + 1 and not lines[end - 1].strip():
        end -= 1
    return start, end


def _replace_clauses_entry(lines: list[str], entry: str, newline: str) -> None:
    """Replace the `clauses:` entry of front matter `lines` (its list items too) by `entry`."""
    start, end = _clauses_entry(lines)
    ending = lines[end - 1][len(lines[end - 1].rstrip("\r\n")) :] or newline
    lines[start:end] = [entry + ending]


def _has_comments(lines: list[str]) -> bool:
    """Whether the `clauses:` entry of front matter `lines` holds a comment."""
    start, end = _clauses_entry(lines)
    return any(_COMMENT_RE.search(line) for line in lines[start:end])


def _extend_clauses(front_matter: str, existing: Any, wanted: tuple[str, ...], newline: str) -> str:
    """The front matter with the clauses of `wanted` beyond `existing` added at the end of its
    `clauses:` list, every other byte (the author's comments) as it was.

    The list is found by the YAML parser's own positions, so a comment that holds a bracket or
    a dash cannot mislead it; what cannot be extended so is left for the author.
    """
    # A single clause may be given as a text (`clauses: "4.1"`): it counts as one.
    declared = existing if isinstance(existing, list) else [existing] if existing else []
    added = wanted[len(declared) :]
    by_hand = FrontMatterError(
        "its clauses: entry has comments, which qmsdocs keeps by leaving it alone; add "
        + ", ".join(added)
        + " to it by hand"
    )
    node = _clauses_node(front_matter)
    if not isinstance(node, yaml.SequenceNode) or not isinstance(existing, list):
        raise by_hand
    quoted = [f'"{clause}"' for clause in added]
    if node.flow_style:
        # Right after the last item, or inside the "]" of an empty list.
        at = node.value[-1].end_mark.index if node.value else node.end_mark.index - 1
        text = (", " if node.value else "") + ", ".join(quoted)
        extended = front_matter[:at] + text + front_matter[at:]
    else:
        # After the line of the last item (and its comment), at the items' indentation.
        line_end = front_matter.find("\n", node.value[-1].end_mark.index)
        at = len(front_matter) if line_end < 0 else line_end + 1
        lead = "" if front_matter[:at].endswith("\n") else newline
        items = "".join(f"{' ' * node.start_mark.column}- {q}{newline}" for q in quoted)
        extended = front_matter[:at] + lead + items + front_matter[at:]
    after = yaml.safe_load(extended)
    if not isinstance(after, dict) or [str(c) for c in after.get("clauses") or []] != list(wanted):
        raise by_hand
    return extended


def _clauses_node(front_matter: str) -> yaml.Node | None:
    """The YAML node of the front matter's `clauses:` value."""
    root = yaml.compose(front_matter, Loader=yaml.SafeLoader)
    if not isinstance(root, yaml.MappingNode):
        return None
    for key, value in root.value:
        if isinstance(key, yaml.ScalarNode) and key.value == "clauses":
            node: yaml.Node = value
            return node
    return None


def _merge(
    original: str, match: re.Match[str], data: Any, suggestion: Suggestion, newline: str
) -> str:
    """The page with the suggestion's entries merged into its own front matter."""
    entries = suggestion.entries()
    front_matter = match.group("yaml")
    lines = front_matter.splitlines(keepends=True)
    if suggestion.clauses is not None and isinstance(data, dict) and "clauses" in data:
        if _has_comments(lines):
            extended = _extend_clauses(front_matter, data["clauses"], suggestion.clauses, newline)
            lines = extended.splitlines(keepends=True)
        else:
            _replace_clauses_entry(lines, entries[0], newline)
        entries = entries[1:]
    if lines and not lines[-1].endswith(("\n", "\r")):
        lines[-1] += newline
    lines += [entry + newline for entry in entries]
    return original[: match.start("yaml")] + "".join(lines) + original[match.start("close") :]


def add_front_matter(source: PageSource, suggestion: Suggestion) -> str:
    """The page's text with the suggested front matter added; every other byte as it was.

    Raises:
        FrontMatterError: The page's front matter is not valid YAML, or the page starts with
            MultiMarkdown meta data (which YAML front matter would turn into text).
    """
    original = source.original
    if not suggestion.changes:
        return original
    match = FRONT_MATTER_RE.match(original)
    data: Any = None
    if match is not None:
        try:
            data = yaml.safe_load(match.group("yaml"))
        except yaml.YAMLError as error:
            raise FrontMatterError(f"its front matter is not valid YAML ({error})") from None
    if match is None or not (data is None or isinstance(data, dict)):
        result = _new_block(original, source.newline, suggestion.entries())
    else:
        result = _merge(original, match, data, suggestion, source.newline)
    _verify(result, data if isinstance(data, dict) else {}, suggestion)
    return result


def _verify(text: str, before: dict[Any, Any], suggestion: Suggestion) -> None:
    """The merged front matter parses, keeps every other key, and says what was meant."""
    match = FRONT_MATTER_RE.match(text)
    try:
        after = yaml.safe_load(match.group("yaml")) if match else None
    except yaml.YAMLError as error:
        raise FrontMatterError(f"merging would break its front matter ({error})") from None
    if not isinstance(after, dict):
        raise FrontMatterError("merging would break its front matter")
    for key, value in before.items():
        if key not in ("clauses", "qmsdocs") and after.get(key) != value:
            raise FrontMatterError(f"merging would change its front matter key {key!r}")
    if suggestion.clauses is not None and [str(c) for c in after.get("clauses") or []] != list(
        suggestion.clauses
    ):
        raise FrontMatterError(_MERGE_FAILED)


def write_suggestions(result: ScanResult) -> ScanResult:
    """Add each page's suggested front matter to its file (`qmsdocs scan --write`).

    Pages that need no change are not touched; pages whose front matter cannot be merged are
    left alone and listed in `result.skipped` with the reason.
    """
    if result.docs_dir is None:
        raise ValueError("the result of scan_sources has no files; use scan_manual")
    for scan in result.pages:
        if not scan.suggestion.changes:
            continue
        source = result.sources[scan.page]
        try:
            text = add_front_matter(source, scan.suggestion)
        except FrontMatterError as error:
            result.skipped[scan.page] = str(error)
            continue
        try:
            data = source.encode(text)
        except UnicodeEncodeError:
            result.skipped[scan.page] = f"cannot be written back as {source.encoding}"
            continue
        try:
            write_atomically(result.docs_dir / scan.page, data)
        except OSError as error:
            result.skipped[scan.page] = f"cannot be written: {error.strerror or error}"
            continue
        result.written.append(scan.page)
    return result
