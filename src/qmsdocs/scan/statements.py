"""Clause citations in a page's prose: statements of what the page is for, and mentions.

A statement stands near the top of the page (before the first second-level heading, or in a
section headed Purpose, Scope, References, Zweck, Geltungsbereich, ...), cites a clause below
the top level, and is labelled ("Reference: ISO 9001:2015, Clause 8.5") or names the page
itself ("This procedure ...") and either says "according to / gemäß / ..." or names the
standard. Every other citation of the manual's standard is a mention.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence

from qmsdocs.references import Citation, Recognizer
from qmsdocs.scan.facts import Body, Heading
from qmsdocs.scan.model import Evidence, EvidenceKind
from qmsdocs.scan.text import shorten, standards_named
from qmsdocs.standards import Catalogue

__all__ = ["ProseReader"]

# Sections whose statements say what the page is for.
_PURPOSE_RE = re.compile(
    r"""^(?:\d+(?:\.\d+)*\.?\s+)?(?:
        purpose|scope|introduction|overview|objectives?|aims?|about\ this\ (?:document|page)
      | (?:document\ )?purpose(?:\ and\ scope)?|applicability|application|references?
      | normative\ references?|related\ (?:standards|requirements)
      | zweck|ziele?|geltungsbereich|anwendungsbereich|einleitung|überblick|übersicht
      | dokumentenzweck|zweck\ und\ geltungsbereich|referenzen|normbezug|normative\ verweise
      | bezug|mitgeltende\ (?:dokumente|normen)
    )\b""",
    re.IGNORECASE | re.VERBOSE,
)
# The page speaking of itself.
_SUBJECT_RE = re.compile(
    r"""\b(?:this|the\ present)\s+(?:document|template|procedure|policy|manual|handbook|chapter
        |section|page|process|SOP|(?:work\ )?instruction|appendix|guideline|plan|description
        |standard\ operating\ procedure|record|form|register)\b
      | \b(?:dieses|diese|dieser|das\ vorliegende|die\ vorliegende|der\ vorliegende)\s+
        (?:Dokument|Template|Vorlage|Verfahren(?:sanweisung)?|Richtlinie|Handbuch|Kapitel
        |Abschnitt|(?:Arbeits)?anweisung|Prozess(?:beschreibung)?|Anhang|Seite|SOP|Leitlinie
        |Plan|Beschreibung|Regelung|Formular|Register)\b""",
    re.IGNORECASE | re.VERBOSE,
)
# The page fulfilling something.
_ACCORD_RE = re.compile(
    r"""\b(?:according\ to|in\ accordance\ with|in\ line\ with|(?:as\ )?required\ by
        |pursuant\ to|compl(?:ies|y|iance)\ with|conform(?:s|ity)?\ (?:to|with)|to\ meet
        |meets|fulfil(?:l)?s?|satisf(?:y|ies)|address(?:es)?|implements?|covers?|under)\b
      | (?:\bgemäß|\bgem\.|\bentsprechend|\bnach\b|\bim\ Sinne|\berfüllt|\bzur\ Erfüllung
        |\bdeckt|\babgedeckt|\bumgesetzt|\bsetzt\b)""",
    re.IGNORECASE | re.VERBOSE,
)
# A labelled reference line: "Reference: ISO 9001:2015, Clause 8.5", "**Normbezug:** ...".
_LABEL_RE = re.compile(
    r"""^[ \t]*(?:[-*+][ \t]+)?(?:\*\*|__)?(?:
        references?|standard\ references?|norm(?:ative)?\ references?|iso\ 9001\ references?
      | related\ clauses?|clauses?|referenz(?:en)?|normbezug|normenbezug|normverweis|bezug
      | norm(?:kapitel)?|kapitel|normanforderungen?
    )(?:\*\*|__)?[ \t]*:(?:\*\*|__)?""",
    re.IGNORECASE | re.VERBOSE,
)
# Where one sentence ends and the next begins (offsets in the masked body).
_BOUNDARY_RE = re.compile(
    r"[.!?](?=\s)|\n[ \t]*\n|\n(?=[ \t]*(?:[-*+][ \t]|\d+[.)][ \t]|<!--|-->|#|\|))|<!--|-->"
)
_WHOLE_CLAUSES_NOTE = "names whole clauses of the standard"


def _lead_lines(headings: Sequence[Heading], body: Body) -> set[int]:
    """Lines where a page says what it is for: the lead, and purpose-like sections."""
    first_section = next((h.line for h in headings if h.level >= 2), None)
    end_of_body = body.last_line + 1
    lines = set(range(body.first_line, first_section or end_of_body))
    for index, heading in enumerate(headings):
        if heading.level >= 2 and _PURPOSE_RE.match(heading.text):
            end = next(
                (h.line for h in headings[index + 1 :] if h.level <= heading.level), end_of_body
            )
            lines.update(range(heading.line + 1, end))
    return lines


class _Sentences:
    """Line and sentence bounds in the masked body, found by binary search."""

    def __init__(self, body: Body) -> None:
        self.text = body.masked
        self.line_starts = [0]
        for line_text in body.lines[:-1]:
            self.line_starts.append(self.line_starts[-1] + len(line_text) + 1)
        boundaries = [(m.start(), m.end()) for m in _BOUNDARY_RE.finditer(self.text)]
        self.boundary_starts = [b[0] for b in boundaries]
        self.boundary_ends = [b[1] for b in boundaries]

    def line_index(self, offset: int) -> int:
        return bisect.bisect_right(self.line_starts, offset) - 1

    def around(self, start: int, end: int) -> tuple[int, int]:
        """Where the sentence holding `start` to `end` begins and ends."""
        before = bisect.bisect_right(self.boundary_ends, start) - 1
        sentence_start = self.boundary_ends[before] if before >= 0 else 0
        after = bisect.bisect_left(self.boundary_starts, end)
        sentence_end = (
            self.boundary_starts[after] if after < len(self.boundary_starts) else len(self.text)
        )
        return sentence_start, sentence_end


def _says_what_the_page_is_for(line_text: str, sentence: str, names_standard: bool) -> bool:
    """A labelled reference line, or a sentence about the page that fulfils something."""
    if _LABEL_RE.match(line_text):
        return True
    return bool(_SUBJECT_RE.search(sentence)) and (
        bool(_ACCORD_RE.search(sentence)) or names_standard
    )


class ProseReader:
    """Sorts the citations in one page's prose into statements and mentions.

    Arguments:
        foreign: Other standards the page names without naming the manual's: its bare numbers
            are theirs, so only citations that name the manual's standard count.
    """

    def __init__(
        self,
        page: str,
        body: Body,
        headings: Sequence[Heading],
        foreign: tuple[str, ...],
        catalogue: Catalogue,
        recognizer: Recognizer,
    ) -> None:
        self.page = page
        self.body = body
        self.foreign = foreign
        self.catalogue = catalogue
        self.recognizer = recognizer
        self.lead = _lead_lines(headings, body)
        self.heading_lines = {h.line for h in headings}
        # A heading that cites a clause is judged as a heading, not as prose.
        self.citing_headings = {h.line for h in headings if h.clause}
        self.sentences = _Sentences(body)

    def read(self, row_lines: set[int]) -> tuple[list[Evidence], list[Evidence]]:
        """(statements, mentions); citations on `row_lines` are table rows and left out."""
        statements: list[Evidence] = []
        mentions: list[Evidence] = []
        for citation in self.recognizer.scan(self.body.masked):
            if citation.catalogue != self.catalogue.id or not citation.clauses:
                continue
            index = self.sentences.line_index(citation.start)
            line = self.body.first_line + index
            if line in row_lines or line in self.citing_headings:
                continue
            evidence = self._evidence(citation, index, line)
            if evidence:
                target = statements if evidence[0].kind == "statement" else mentions
                target += evidence
        return statements, mentions

    def _evidence(self, citation: Citation, index: int, line: int) -> list[Evidence]:
        start, end = self.sentences.around(citation.start, citation.end)
        sentence = self.body.masked[start:end]
        names_standard = standards_named(
            self.body.masked[start : citation.end], self.recognizer, self.catalogue
        )[0]
        if self.foreign and not names_standard:
            # A page about another standard: its bare numbers are that standard's.
            return []
        # "Clause 6", "clauses 4-10": whole clauses describe the standard, not the page.
        whole_standard = all("." not in c for c in citation.clauses)
        statement_place = line in self.lead and line not in self.heading_lines
        statement = (
            statement_place
            and not whole_standard
            and _says_what_the_page_is_for(self.body.lines[index], sentence, names_standard)
        )
        kind: EvidenceKind = "statement" if statement else "mention"
        note = _WHOLE_CLAUSES_NOTE if whole_standard and statement_place else ""
        text = shorten(sentence)
        return [Evidence(c, kind, self.page, line, text, note=note) for c in citation.clauses]
