"""Recognise clause references in prose: "clause 7.5.3", "ISO 9001:2015 8.4", "§§ 7.5.2–7.5.3".

The recogniser finds *citations*: a trigger (a standard's designation, or a keyword such as
"clause" or "§") followed by one or more clause numbers, in lists ("5.1, 5.2 and 5.4") and
ranges ("4-10"). Each citation is bound to a standard:

- to the standard named right before it ("ISO 13485:2016 7.2" is not an ISO 9001 clause),
  or right after it ("clause 7.3 of ISO 13485");
- otherwise to the last standard named earlier in the same sentence;
- otherwise to the default catalogue.

How sure the recogniser is decides what happens to a number that names no clause. An
*explicit* citation ("clause 7.9", "ISO 9001 4.2.3") of a clause that does not exist is a
mistake worth reporting. A *tentative* one ("§ 6.8", "Kapitel 12", "Annex A.5.17") may well be
the document's own section or another text's paragraph, and is left alone.

The scanner is linear in the length of the text: one compiled regex finds triggers, and
number lists are read with anchored matches, so adversarial input (long runs of digits, dots
or section signs) cannot make it backtrack.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from qmsdocs.findings import Finding, Severity
from qmsdocs.standards import Catalogue, catalogues_by_alias, normalise_designation

__all__ = ["Citation", "ClauseLink", "Recognizer", "UnknownClause", "citation_findings"]

# A standard's designation. Upper case on purpose: "as 2015 showed" is not AS 2015.
_DESIGNATION = r"""
    (?:(?:DIN|BS|NF|UNE|ÖNORM|SN|NEN|UNI|SS|CSA|JIS|ANSI|AS/NZS)\s+)?
    (?:EN\s+)?
    (?:ISO/IEC|ISO/TS|ISO/TR|ISO|IEC|EN|IATF|AS|API|ASME|SAE|IPC)\s?-?\d{3,5}(?:-\d{1,3})*
    (?::\s?\d{4})?
    (?:\s*[/+]\s*Amd\.?\s*\d{1,2}(?::\s?\d{4})?)*
"""
# Legal and regulatory texts whose paragraphs are never clauses of a management standard.
_ACT = r"(?:Regulation|Directive|Verordnung|Richtlinie)"
_REGULATION = rf"""
    \d{{1,2}}\s+CFR(?:\s+Part)?
  | (?:EU\s+)?(?:MDR|IVDR|MPDG|GDPR|DSGVO|BGB|HGB|AMG|MPG)\b
  | (?:{_ACT}\s+)?\((?:EU|EC|EEC|EG|EWG)\)\s+(?:No\.?\s+)?\d{{2,4}}/\d{{1,4}}
  | {_ACT}\s+(?:No\.?\s+)?\d{{2,4}}/\d{{1,4}}(?:/(?:EU|EC|EEC|EG|EWG))?
"""
# Keywords that announce a clause number, and how sure each one is.
_EXPLICIT_KEYWORDS = r"(?:sub-?)?clauses?"
_TENTATIVE_KEYWORDS = r"Kapitel|Abschnitte?|Abschnitts|Unterabschnitte?|Annex|Anhang"
# Only after a standard's name does "section" mean the standard's section.
_AFTER_DESIGNATION_KEYWORDS = r"sections?|requirements?|Abschnitte?|Kapitel|Ziffer|Nr\.|No\."

_TRIGGER_RE = re.compile(
    rf"""
    (?P<designation>(?<![\w/-]){_DESIGNATION}(?![\w-]))
  | (?P<regulation>(?<![\w/-])(?:{_REGULATION}))
  | (?P<explicit>(?<![\w-])(?i:{_EXPLICIT_KEYWORDS})(?![\w-]))
  | (?P<tentative>(?<![\w-])(?:{_TENTATIVE_KEYWORDS})(?![\w-])|§§?)
  | (?P<sentence_end>[.!?;:](?=\s)|\n)
    """,
    re.VERBOSE,
)

# The places where a trigger of `_TRIGGER_RE` other than a sentence end can start: a character
# that begins a designation, a regulation or a keyword, at the start of a word ("§" anywhere; a
# lower-case "c" or "s" only before the "l" of "clause" or the "u" of "sub"). A superset of the
# trigger's own starts, found by a fast scan for one character class; KEEP IT IN STEP with the
# first characters of _DESIGNATION, _REGULATION and the keywords.
_CANDIDATE_RE = re.compile(
    r"[A-ZÄÖÜcs\u017f\d(§](?:(?<=§)|(?<![\w-].)(?:(?<=[cs\u017f])(?=[lLuU])|(?<![cs\u017f])))"
)
_SENTENCE_END_RE = re.compile(r"[.!?;:](?=\s)|\n")  # as the `sentence_end` trigger
# A text can hold a citation only if it has a digit, or an annex named by its letter alone.
_NUMBER_HINT_RE = re.compile(r"[\dA](?:(?<=A)(?:nnex|nhang)|(?<!A))")
_NEXT_WORD_RE = re.compile(r"\s*(\S+)")

_DESIGNATION_AT_END_RE = re.compile(
    rf"(?<![\w/-])(?P<designation>{_DESIGNATION})[\s,:;]*$", re.VERBOSE
)

# After a designation: an optional comma and keyword, then the first number.
_AFTER_DESIGNATION_RE = re.compile(
    rf"""
    (?:\s*,)?\s*
    (?P<keyword>(?i:{_EXPLICIT_KEYWORDS}|{_AFTER_DESIGNATION_KEYWORDS})(?![\w-])|§§?)?
    \s*
    """,
    re.VERBOSE,
)
_AFTER_KEYWORD_RE = re.compile(r"[ \t\u00a0]*")

# A clause number. Not part of a longer number, a version, a date or an address. A lone
# letter is an annex only right after "Annex" ("Clause 4 and I" does not cite annex I).
_NUMBER = r"""
    (?<![\w.])
    (?P<number>\d{1,2}(?:\.\d{1,2}){0,4}|[A-Z](?:\.\d{1,2}){%d,4})
    (?![\w]|\.\d|[-‐‑]\w*[A-Za-z])
    (?P<item>[ ]?\(?[a-z]\)(?![\w]))?
"""
_NUMBER_RE = re.compile(_NUMBER % 1, re.VERBOSE)
_ANNEX_NUMBER_RE = re.compile(_NUMBER % 0, re.VERBOSE)
# Between two numbers of a list or a range.
_SEPARATOR_RE = re.compile(
    r"""
    [ \t\u00a0]*
    (?:
        (?P<range>[-–—‐‑]|to|through|thru|bis)
      | (?P<list>,[ \t\u00a0]*(?:and|or|und|oder)?|and|or|&|und|oder|/)
    )
    [ \t\u00a0]*
    (?:(?:§§?|(?i:(?:sub-?)?clauses?))[ \t\u00a0]*)?
    """,
    re.VERBOSE,
)
# "... of ISO 13485:2016" after a number binds the citation to that standard; "... of the
# Works Agreement" makes it another document's paragraph.
_TRAILING_RE = re.compile(
    rf"""
    [ \t\u00a0]+
    (?:
        (?:of|in|from|des|der|nach)[ \t\u00a0]+(?:the[ \t\u00a0]+)?
        (?:(?P<designation>{_DESIGNATION})(?![\w-])|(?P<regulation>{_REGULATION}))
      | of[ \t\u00a0]+(?:the[ \t\u00a0]+)?(?P<name>[A-Z][\w-]+)
    )
    """,
    re.VERBOSE,
)
# German legal style: "§ 8 Abs. 1 MPDG", "§ 257 HGB".
_LEGAL_TAIL_RE = re.compile(r"[ \t\u00a0]+(?:Abs\.|Absatz|Satz|Nr\.|[A-ZÄÖÜ]{2,}[a-zäöü]*\b)")


@dataclass(frozen=True, slots=True)
class ClauseLink:
    """A clause number in the text that names an existing clause and gets a link.

    `start`/`end` delimit the text to link (the number, with a lettered item such as "b)").
    """

    start: int
    end: int
    clause_id: str


@dataclass(frozen=True, slots=True)
class UnknownClause:
    """A number an explicit citation presents as a clause, but the standard does not have."""

    start: int
    end: int
    number: str
    reason: str = "unknown"  # "unknown" | "backward-range"


@dataclass(frozen=True, slots=True)
class Citation:
    """One written reference, possibly naming several clauses.

    Attributes:
        start: Offset of the first character of the citation (its trigger).
        end: Offset just past its last number.
        text: The citation as written.
        catalogue: Id of the catalogue it is bound to; None when it cites another standard.
        foreign: The other standard's designation, when it cites one.
        explicit: Whether the citation clearly means a clause (see the module docstring).
        links: The numbers that name existing clauses, to be linked.
        clauses: Every clause cited, ranges expanded ("5.1-5.3": 5.1, 5.2, 5.3), in order.
        unknown: Numbers an explicit citation gives that name no clause.
    """

    start: int
    end: int
    text: str
    catalogue: str | None
    foreign: str | None = None
    explicit: bool = True
    links: tuple[ClauseLink, ...] = ()
    clauses: tuple[str, ...] = ()
    unknown: tuple[UnknownClause, ...] = field(default=())


@dataclass(frozen=True, slots=True)
class _Number:
    start: int
    end: int
    number: str
    link_end: int
    range_from_previous: bool


class Recognizer:
    """Finds clause citations in text, bound to a set of catalogues.

    Build one per build (it compiles nothing per call) and call `scan` on each text.

    Arguments:
        catalogues: The standards the manual may cite; `catalogues[0]` is the default one,
            assumed when a citation names no standard.
    """

    def __init__(
        self, catalogues: Sequence[Catalogue], correspondences: Sequence[Any] = ()
    ) -> None:
        if not catalogues:
            raise ValueError("a Recognizer needs at least one catalogue")
        self.catalogues = tuple(catalogues)
        # qmsdocs.transition.Correspondence objects: hints across editions.
        self.correspondences = tuple(correspondences)
        self.default = self.catalogues[0]
        self._by_id = {c.id: c for c in self.catalogues}
        self._by_alias = catalogues_by_alias(self.catalogues)

    def catalogue(self, catalogue_id: str) -> Catalogue:
        return self._by_id[catalogue_id]

    def suggest(self, catalogue: Catalogue, clause_id: str) -> str:
        """A hint for a clause id `catalogue` lacks: the other edition's story, if it has one."""
        for correspondence in self.correspondences:
            hint = correspondence.hint(catalogue, clause_id)
            if hint:
                return str(hint)
        return catalogue.suggest(clause_id)

    def bind(self, designation: str) -> Catalogue | None:
        """The catalogue a designation names ("ISO 9001:2015/Amd 1:2024"), if it is loaded."""
        return self._by_alias.get(normalise_designation(designation))

    def standard_before(self, text: str) -> tuple[Catalogue | None, str] | None:
        """The standard named at the very end of `text` ("Design inputs, ISO 13485:2016").

        Returns (its catalogue if loaded, the designation), or None if the text does not end
        with a standard's name. Used for "..., ISO 13485:2016 (7.3)" style headings.
        """
        match = _DESIGNATION_AT_END_RE.search(text)
        if match is None:
            return None
        designation = match.group("designation")
        return self.bind(designation), designation

    def scan(self, text: str) -> list[Citation]:
        """All citations in `text`, in order. Citations of other standards are included."""
        citations: list[Citation] = []
        # (binding catalogue or None, foreign designation) of the last standard named in the
        # current sentence; a keyword citation with no standard of its own is bound to it.
        context: tuple[Catalogue | None, str | None] | None = None
        # Every citation has a number, and a number a digit unless it is an annex letter: most
        # paragraphs can be let go at once.
        if _NUMBER_HINT_RE.search(text) is None:
            return citations
        # What `_TRIGGER_RE.search(text, pos)` would find, trigger after trigger, but found
        # faster: a character scan finds the few places where a trigger can start, and the
        # trigger pattern is tried there only. Sentence ends only matter to reset `context`, so
        # they are looked for between triggers, and only while a standard is in context.
        pos = 0  # where the search for the next trigger starts
        cursor = 0  # where the search for the next candidate starts (pos or beyond)
        while True:
            candidate = _CANDIDATE_RE.search(text, cursor)
            if candidate is None:
                break
            match = _TRIGGER_RE.match(text, candidate.start())
            if match is None:
                cursor = candidate.start() + 1
                continue
            if context is not None and _SENTENCE_END_RE.search(text, pos, match.start()):
                context = None
            kind = match.lastgroup or ""
            pos = match.end()
            if kind in ("designation", "regulation"):
                designation = match.group(kind)
                catalogue = self.bind(designation) if kind == "designation" else None
                binding = (catalogue, None if catalogue else designation)
                context = binding
                after = _AFTER_DESIGNATION_RE.match(text, pos)
                assert after is not None  # every part of it is optional
                keyword = after.group("keyword")
                numbers = _read_numbers(text, after.end(), annex=False)
                if not numbers or (keyword is None and not _plausible_integer(text, numbers[0])):
                    cursor = pos
                    continue
                explicit = True
            else:
                explicit = kind == "explicit"
                binding = context if context is not None else (self.default, None)
                keyword = match.group(kind)
                numbers = _read_numbers(text, pos, annex=keyword in ("Annex", "Anhang"))
                if not numbers or _own_appendix(text, numbers):
                    cursor = pos
                    continue
            binding = self._trailing_binding(text, numbers[-1].link_end, kind, keyword, binding)
            citation = self._citation(text, match.start(), numbers, binding, explicit)
            citations.append(citation)
            pos = cursor = max(pos, citation.end)
        return citations

    def _trailing_binding(
        self,
        text: str,
        end: int,
        kind: str,
        keyword: str | None,
        binding: tuple[Catalogue | None, str | None],
    ) -> tuple[Catalogue | None, str | None]:
        """What the words after the numbers bind the citation to, if anything: a standard
        ("... of ISO 13485:2016"), another document ("§ 4 of the Works Agreement") or a law
        ("§ 8 Abs. 1 MPDG"); else `binding` as it was."""
        trailing = _TRAILING_RE.match(text, end)
        by_keyword = kind not in ("designation", "regulation")
        if trailing is not None and (trailing.group("designation") or trailing.group("regulation")):
            named = trailing.group("designation")
            catalogue = self.bind(named) if named else None
            return (catalogue, None if catalogue else trailing.group(0).strip())
        if trailing is not None and by_keyword:
            return (None, trailing.group("name"))
        if by_keyword and keyword and keyword.startswith("§") and _LEGAL_TAIL_RE.match(text, end):
            # The law's name: the next word (never a copy of the rest of the text).
            law = _NEXT_WORD_RE.match(text, end)
            return (None, law.group(1) if law else "law")
        return binding

    def _citation(
        self,
        text: str,
        start: int,
        numbers: list[_Number],
        binding: tuple[Catalogue | None, str | None],
        explicit: bool,
    ) -> Citation:
        catalogue, foreign = binding
        end = numbers[-1].link_end
        if catalogue is None:
            return Citation(start, end, text[start:end], None, foreign, explicit)
        links: list[ClauseLink] = []
        cited: list[str] = []
        unknown: list[UnknownClause] = []
        for index, number in enumerate(numbers):
            if number.number in catalogue:
                links.append(ClauseLink(number.start, number.link_end, number.number))
            elif explicit:
                unknown.append(UnknownClause(number.start, number.end, number.number))
            if number.range_from_previous and index > 0:
                first = numbers[index - 1].number
                spanned = catalogue.span(first, number.number)
                if spanned is None:
                    if first in catalogue and number.number in catalogue and explicit:
                        unknown.append(
                            UnknownClause(number.start, number.end, number.number, "backward-range")
                        )
                    elif number.number in catalogue:
                        cited.append(number.number)
                    continue
                cited.extend(c.id for c in spanned)
            elif number.number in catalogue:
                cited.append(number.number)
        return Citation(
            start,
            end,
            text[start:end],
            catalogue.id,
            None,
            explicit,
            tuple(links),
            tuple(dict.fromkeys(cited)),
            tuple(unknown),
        )


def _own_appendix(text: str, numbers: list[_Number]) -> bool:
    """ "Anhang A: Prozesslandkarte" labels a document's own appendix, not Annex A."""
    first = numbers[0]
    return (
        len(numbers) == 1
        and first.number.isalpha()
        and text[first.link_end : first.link_end + 1] == ":"
    )


def _read_numbers(text: str, pos: int, *, annex: bool) -> list[_Number]:
    """Read "7.5.2", "5.1 - 5.3, 5.5", "§6.1, §6.2" starting at `pos` (after a keyword)."""
    numbers: list[_Number] = []
    gap = _AFTER_KEYWORD_RE.match(text, pos)
    cursor = gap.end() if gap else pos
    is_range = False
    number_re = _ANNEX_NUMBER_RE if annex else _NUMBER_RE
    while True:
        match = number_re.match(text, cursor)
        if match is None:
            break
        if (
            numbers
            and not is_range
            and "." not in match.group("number")
            and "." in numbers[-1].number
            and not _plausible_integer_at(text, match.end())
        ):
            # "clause 7.2 and 3 new starters": the 3 is a count, not clause 3.
            break
        item_end = match.end("item") if match.group("item") else match.end("number")
        numbers.append(
            _Number(match.start(), match.end("number"), match.group("number"), item_end, is_range)
        )
        cursor = match.end()
        separator = _SEPARATOR_RE.match(text, cursor)
        if separator is None or not number_re.match(text, separator.end()):
            break
        is_range = separator.group("range") is not None
        cursor = separator.end()
    return numbers


def _plausible_integer(text: str, number: _Number) -> bool:
    """Right after a standard's name, a plain integer is a clause only if no word follows it.

    "ISO 9001 4.4" cites clause 4.4, but "ISO 9001 10 years ago" does not cite clause 10.
    """
    return "." in number.number or _plausible_integer_at(text, number.link_end)


def _plausible_integer_at(text: str, end: int) -> bool:
    rest = text[end : end + 40].lstrip(" \t\u00a0")
    return rest == "" or rest[0] in ",;:.)]\n" or rest.startswith(("and ", "or ", "to "))


def citation_findings(
    citation: Citation,
    catalogue: Catalogue,
    path: str,
    line: int | None = None,
    recognizer: Recognizer | None = None,
) -> list[Finding]:
    """Findings for the unknown numbers of one citation (hints from `recognizer` if given)."""
    findings = []
    for unknown in citation.unknown:
        if unknown.reason == "backward-range":
            findings.append(
                Finding(
                    "bad-clause-range",
                    f"the range in '{citation.text}' runs backwards",
                    path,
                    line,
                    hint="write the lower clause number first",
                    severity=Severity.WARNING,
                )
            )
            continue
        findings.append(
            Finding(
                "unknown-clause",
                f"'{citation.text}' cites clause {unknown.number}, "
                f"which {catalogue.label} does not have",
                path,
                line,
                hint=(
                    recognizer.suggest(catalogue, unknown.number)
                    if recognizer
                    else catalogue.suggest(unknown.number)
                ),
                severity=Severity.WARNING,
            )
        )
    return findings
