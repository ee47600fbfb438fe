"""What each part of a page is about: the context a clause number is bound in.

A number that names no standard of its own ("see clause 8.4") belongs to the standard the
nearest enclosing context names (`qmsdocs.references` reads the sentence and the block). Above
the block, from the nearest to the farthest:

1. a table cell's column header ("ISO 22301 clause" over a column of numbers);
2. the section: its heading names a standard ("## ISO 22301 business continuity"), or a label
   line in it does ("**Standard:** ISO/IEC 27001:2022"); a section inherits its parent's;
3. the page: front matter `standard:`, else a title or first heading that names a standard,
   else the site's standard, *named* if the page declares clauses of it.

A section about ISO 9001 inside a page about ISO 22301 binds back to ISO 9001. A heading or
label that names two standards says nothing about which one its numbers belong to: the
section keeps its parent's binding.

The source reader (`qmsdocs.assessment`) and the renderer (`qmsdocs.markdown_ext`) both build
`PageScopes` from a page's headings and labels, so that what is linked is what is counted.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from qmsdocs.binding import Binding
from qmsdocs.findings import Finding
from qmsdocs.references import Citation, Recognizer

__all__ = [
    "NO_STANDARD",
    "PageScopes",
    "cell_binding",
    "cite_numbers_cell",
    "column_binding",
    "label_binding",
    "page_binding",
    "read_standard_key",
]

# Front matter `standard: none`: the page's numbers are its own sections.
NO_STANDARD = ("none", "own", "this document")

# A label line that says which standard a page or section is about: "Standard: ISO 22301",
# "**Standard Reference:** ISO/IEC 27001:2022 Clause 9.3", "Norm: DIN EN ISO 9001",
# "Applicable standards: ...", "Framework: SOC 2". The label is short and has no digits.
_LABEL_RE = re.compile(
    r"""
    ^[ \t>*_-]*
    (?P<label>[A-Za-zÄÖÜäöü][A-Za-zÄÖÜäöü /&-]{0,30}?)
    [ \t]*[*_]*[ \t]*:[ \t]*[*_]*[ \t]*
    (?P<value>[^\n]+)
    """,
    re.VERBOSE,
)
_LABEL_LINES = 16  # a metadata block's lines that are read
_LABEL_WORDS_RE = re.compile(
    r"\b(?:standards?|norm|normen|framework|frameworks|regulations?|regelwerk|"
    r"reference|references|referenz|normbezug|applies\s+to|compliance)\b",
    re.IGNORECASE,
)


def label_binding(recognizer: Recognizer, text: str) -> Binding | None:
    """The standard a label line of the block `text` names, if the block has such a line.

    Metadata blocks list several labels, one per line ("Document ID: 0140", "Standard
    Reference: ISO/IEC 27001:2022 Clause 9.3"); the first label about a standard counts, and
    only if its value names exactly one: "References: ISO 9001, ISO 14001" says nothing about
    which one the section's numbers belong to.
    """
    if ":" not in text:
        return None
    for line in text.split("\n", _LABEL_LINES)[:_LABEL_LINES]:
        match = _LABEL_RE.match(line)
        if match is None or not _LABEL_WORDS_RE.search(match.group("label")):
            continue
        label = " ".join(match.group("label").split())
        return recognizer.about(match.group("value"), f"the line '{label}:'")
    return None


def read_standard_key(
    recognizer: Recognizer, value: Any, page: str, line: int | None
) -> tuple[Binding | None, Finding | None]:
    """Front matter `standard:` (a designation, a catalogue id, or `none`)."""
    if value is False or (isinstance(value, str) and value.strip().lower() in NO_STANDARD):
        why = "the page's front matter says standard: none"
        return Binding(None, "this document", True, why), None
    if not isinstance(value, str) or not value.strip():
        return None, Finding(
            "bad-front-matter",
            "standard: must name a standard ('ISO 9001', 'ISO/IEC 27001:2022') or be 'none'",
            page,
            line,
        )
    name = " ".join(value.split())
    why = f"the page's front matter says standard: {name}"
    if name in (c.id for c in recognizer.catalogues):
        return Binding(name, None, True, why), None
    return recognizer.naming(name, why), None


def page_binding(
    recognizer: Recognizer,
    standard: Binding | None,
    title: str | None,
    declares: Collection[str],
) -> Binding:
    """What the page as a whole is about (see the module docstring, 3).

    `declares`: the catalogues the page declares clauses of. In a manual of several standards,
    a page that declares clauses of one other standard only is about that standard; one that
    declares clauses of several others, but none of the first, is about no single standard,
    and its plain numbers are left unlinked unless something nearer names one.
    """
    if standard is not None:
        return standard
    if title:
        about = recognizer.about(title, f"the page's title '{title}'")
        if about is not None:
            return about
    if not declares:
        return recognizer.site_default
    default = recognizer.default
    # Another edition loaded for a transition is no standard the manual claims: a page that
    # declares its clauses is about the manual's own, as it always was.
    declares = {i for i in declares if i in recognizer.standards} or {default.id}
    if default.id in declares or len(declares) == 1:
        which = default if default.id in declares else recognizer.catalogue(next(iter(declares)))
        return Binding(which.id, None, True, f"the page declares {which.label} clauses")
    labels = " and ".join(sorted(recognizer.catalogue(i).label for i in declares))
    return Binding(None, labels, False, f"the page declares {labels} clauses", ambiguous=True)


@dataclass(frozen=True)
class PageScopes:
    """The binding of each part of a page.

    Attributes:
        lead: Above the first heading.
        sections: Under heading i (and above the next heading).
        parents: What heading i's own text is read in: the enclosing section's binding.
    """

    lead: Binding
    sections: tuple[Binding, ...]
    parents: tuple[Binding, ...]

    @classmethod
    def build(
        cls,
        recognizer: Recognizer,
        page: Binding,
        headings: Sequence[tuple[int, str]],
        labels: Mapping[int | None, Binding] | None = None,
    ) -> PageScopes:
        """The scopes of a page.

        Arguments:
            page: `page_binding`.
            headings: (level, text) of each heading, in order.
            labels: Per section (None: the lead, i: under heading i), the binding a label
                line in it gives (`label_binding`); the first such line counts.
        """
        labels = labels or {}
        lead = labels.get(None) or page
        stack: list[tuple[int, Binding]] = []
        sections: list[Binding] = []
        parents: list[Binding] = []
        for index, (level, text) in enumerate(headings):
            while stack and stack[-1][0] >= level:
                stack.pop()
            parent = stack[-1][1] if stack else lead
            where = "the page's first heading" if index == 0 and level == 1 else "the heading"
            own = recognizer.about(text, f"{where} '{text}'") or labels.get(index) or parent
            parents.append(parent)
            sections.append(own)
            stack.append((level, own))
        return cls(lead, tuple(sections), tuple(parents))

    def at(self, section: int | None) -> Binding:
        """The binding under heading `section` (None: the lead)."""
        return self.lead if section is None else self.sections[section]


def column_binding(recognizer: Recognizer, header: str | None) -> Binding | None:
    """What a table column's header names ("ISO 9001:2015 clause", "ISO 14001"), if one."""
    if not header:
        return None
    return recognizer.about(header, f"the column '{' '.join(header.split())}'")


def cell_binding(
    recognizer: Recognizer, context: Binding, header: str | None, before: str
) -> Binding:
    """The binding a table cell's numbers start from: what the earlier cells of its row name,
    else what its column's header names, else the section's (`context`)."""
    context = column_binding(recognizer, header) or context
    if before:
        context = recognizer.named_after(before, context)
    return context


def cite_numbers_cell(
    recognizer: Recognizer, text: str, context: Binding, header: str | None, before: str
) -> Citation | None:
    """A cell of bare clause numbers in a column whose header names a standard ("| ISO 9001
    | ISO 14001 |" over "| 7.5 | 7.5 |" in a correspondence table): a citation of them, bound
    as the cell is. Elsewhere a bare number is a quantity, a version, a row number."""
    if not header or not text.strip() or column_binding(recognizer, header) is None:
        return None
    return recognizer.cite_cell(text, cell_binding(recognizer, context, header, before))
