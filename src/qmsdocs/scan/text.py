"""Small text helpers the scan's readers share: normalised titles, short quotes, clause kinship,
and which standards a piece of text names."""

from __future__ import annotations

import re

from qmsdocs.references import Recognizer
from qmsdocs.standards import Catalogue

__all__ = [
    "MARKUP_RE",
    "family",
    "norm",
    "parent",
    "shorten",
    "split_items",
    "standards_named",
    "without_designations",
]

# Standards' designations, to tell which standards a page or a table names. The recogniser
# binds each citation itself; this only answers "which standards does this text name?".
_DESIGNATION_RE = re.compile(
    r"""
    (?<![\w/-])
    (?:(?:DIN|BS|NF|UNE|ÖNORM|SN|NEN|UNI|SS|CSA|JIS|ANSI|AS/NZS)\s+)?
    (?:EN\s+)?
    (?:ISO/IEC|ISO/TS|ISO/TR|ISO|IEC|EN|IATF|AS|API|ASME|SAE|IPC)\s?-?\d{3,5}(?:-\d{1,3})*
    (?::\s?\d{4})?
    (?:\s*[/+]\s*Amd\.?\s*\d{1,2}(?::\s?\d{4})?)*
    (?![\w-])
    """,
    re.VERBOSE,
)
# "ISO-9001" is an informal spelling of "ISO 9001".
_INFORMAL_DASH_RE = re.compile(r"(?<=[A-Z])-(?=\d)")
MARKUP_RE = re.compile(r"[*_`\\]+")
_PUNCTUATION_RE = re.compile(r"[_\-–—/,.:()]+")
# Several items in one table cell: "0010<br>0020", "0010; 0020".
_ITEM_SEPARATOR_RE = re.compile(r"<br\s*/?>|;", re.IGNORECASE)


def shorten(text: str, limit: int = 110) -> str:
    """The text on one line, cut to `limit` characters with an ellipsis."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def norm(text: str) -> str:
    """The text without markup and punctuation, case-folded: for comparing titles and names."""
    text = MARKUP_RE.sub("", text)
    text = _PUNCTUATION_RE.sub(" ", text)
    return " ".join(text.casefold().split())


def split_items(cell: str) -> list[str]:
    """The items of a table cell that lists several (separated by `<br>` or `;`)."""
    return _ITEM_SEPARATOR_RE.split(cell)


def standards_named(
    text: str, recognizer: Recognizer, catalogue: Catalogue
) -> tuple[bool, list[str]]:
    """(whether `text` names the manual's standard, the other standards it names)."""
    ours = False
    others: dict[str, None] = {}
    for match in _DESIGNATION_RE.finditer(text):
        bound = recognizer.bind(_INFORMAL_DASH_RE.sub(" ", match.group(0)))
        if bound is catalogue:
            ours = True
        else:
            others[" ".join(match.group(0).split())] = None
    return ours, list(others)


def without_designations(text: str) -> str:
    """The text with every standard's designation taken out ("ISO 9001:2015 reference:" ->
    " reference:"): what is left of a label says what kind of label it is."""
    return _DESIGNATION_RE.sub(" ", text)


def family(a: str, b: str) -> bool:
    """Whether one clause is the other, or above or below it."""
    return a == b or a.startswith(b + ".") or b.startswith(a + ".")


def parent(clause: str) -> str:
    """The clause directly above `clause` ("" for a top-level clause)."""
    return clause.rsplit(".", 1)[0] if "." in clause else ""
