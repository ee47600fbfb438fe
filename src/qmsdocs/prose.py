"""The prose of a page's Markdown source, as the renderer reads it.

The rendered page links clause citations only in prose: never in code, in an existing link, in a
heading, in raw HTML, in a macro call. `qmsdocs check` and the build's gate read the Markdown
source instead of the rendered tree (so that both decide on the same text, with line numbers),
and this module hides from that source what the renderer would not read as prose. Hidden text
becomes `OPAQUE`, character for character: offsets and lines stay those of the source, and no
recogniser matches across the gap.
"""

from __future__ import annotations

import re
from collections.abc import Collection

from qmsdocs.sourcefiles import code_lines

__all__ = ["OPAQUE", "prose_text"]

# The character that stands for hidden text (the same as in the rendered tree's runs).
OPAQUE = "\ufffc"

# Lines that are not prose as a whole: link reference and abbreviation definitions (footnotes
# are prose), attribute lists.
_DEFINITION_RE = re.compile(r"^[ ]{0,3}(?:\*\[[^\]]+\]:|\[(?!\^)[^\]]+\]:)")
_ATTR_LINE_RE = re.compile(r"^[ ]{0,3}\{:?[^}]*\}[ \t]*$")
# Block-level raw HTML: Python-Markdown stashes the whole block, up to a blank line.
_HTML_BLOCK_RE = re.compile(
    r"^[ ]{0,3}<(?:/?(?:address|article|aside|blockquote|details|dialog|div|dl|fieldset"
    r"|figcaption|figure|footer|form|h[1-6]|header|hr|iframe|main|nav|noscript|ol|p|pre"
    r"|script|section|style|summary|table|tbody|td|tfoot|th|thead|tr|ul|video|audio|canvas"
    r"|center|object|svg|math|textarea)\b)",
    re.IGNORECASE,
)
_SPECIAL_STARTS = ("<", "[", "*", "{")
_MARKDOWN_ATTR_RE = re.compile(r"""\bmarkdown\s*=\s*["']?(?:1|block|span)""", re.IGNORECASE)
# Inline constructs the renderer does not read as prose.
_HIDDEN_INLINE_RE = re.compile(
    r"""
      <!--.*?-->                                   # comments, over lines too
    | \{\{.*?\}\} | \{%.*?%\} | \{\#.*?\#\}        # macro calls and template tags
    | !?\[(?:[^\[\]\n]|\[[^\[\]\n]*\])*\]           # a link's or image's text, then its target:
      (?:\([^()\s]*(?:\([^()\s]*\)[^()\s]*)*(?:[ \t]+(?:"[^"\n]*"|'[^'\n]*'))?[ \t]*\)
        | \[[^\]\n]*\])
    | <(?:https?|ftp|mailto):[^>\s]*>              # autolinks
    | </?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>     # inline HTML tags (the text between stays)
    | \{:?[ \t]*[.#][^}\n]*\}                       # attribute lists after inline elements
    """,
    re.VERBOSE | re.DOTALL,
)


# Bare addresses (magiclink makes them links); looked for only where "://" occurs.
_ADDRESS_RE = re.compile(r"(?:https?|ftp)://[^\s<>()]+")


def _hide(match: re.Match[str]) -> str:
    return re.sub(r"[^\n]", OPAQUE, match.group(0))


def prose_text(body: str, hidden_lines: Collection[int] = ()) -> str:
    """`body` (Markdown, without front matter) with everything but its prose hidden.

    Fenced code, inline code, HTML blocks and comments, links (text and target), images,
    autolinks and addresses, macro calls, inline HTML tags, definitions and the lines listed in
    `hidden_lines` (indexes in `body`: the headings, which are read on their own) become
    `OPAQUE`; line breaks stay. Indented code blocks stay prose: in a list they are not code,
    and telling the two apart needs the whole block parser.
    """
    out: list[str] = []
    in_html_block = False
    for index, line, is_code in code_lines(body.split("\n")):
        if in_html_block:
            in_html_block = bool(line.strip())
        hide = is_code or in_html_block or index in hidden_lines
        # Most lines are plain prose: only one that opens with "<", "[", "*" or "{" can start
        # an HTML block or be a definition or an attribute list.
        if not hide and line.lstrip(" ")[:1] in _SPECIAL_STARTS:
            if _HTML_BLOCK_RE.match(line) and not _MARKDOWN_ATTR_RE.search(line):
                in_html_block = hide = True
            else:
                hide = bool(_DEFINITION_RE.match(line) or _ATTR_LINE_RE.match(line))
        out.append(OPAQUE * len(line) if hide else line)
    text = "\n".join(out)
    if "`" in text:
        text = _INLINE_CODE_RE.sub(_hide, text)
    if "://" in text:
        text = _ADDRESS_RE.sub(_hide, text)
    return _HIDDEN_INLINE_RE.sub(_hide, text)


_INLINE_CODE_RE = re.compile(r"(`+)(?!`).+?(?<!`)\1(?!`)", re.DOTALL)
