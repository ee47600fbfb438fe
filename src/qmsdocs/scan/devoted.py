"""Pages devoted to one clause: the title or the opening names it, and nothing else.

A reference document "REF-07: Quality objectives" that opens with "**ISO 9001:2015 reference:**
6.2", a procedure under a banner "> Clause 8.4 — Control of externally provided processes", a
Verfahrensanweisung whose header says "Normbezug: ISO 9001:2015 Kapitel 7.5": such a page deals
with the clause it names and with nothing else. The page is devoted to clause X when

- its title (front matter `title:`, and the first heading when it is a level-1 heading) or a
  *banner* of its opening names X, or the opening cites X in any form and X's own title is the
  page's title ("# Management review" ... "as clause 9.3 requires");
- the *opening* is what comes before the first heading after the title (HTML comments included,
  as for statements); a *banner* is one piece of it that is a reference and nothing more: a
  line, a blockquote, a list item, an admonition's title or a table cell made of a reference
  label ("Reference:", "Normbezug:", "ISO 9001:2015 reference:", a cell "Standard reference")
  and one clause, or of the citation alone followed by nothing but the clause's (or the page's)
  title. A title cites the clause by the plugin's heading rule (`cite_heading`): "Clause 9.3:
  Management review", "Management review (9.3)"; a number first ("6.2 Quality objectives")
  only when the words are the clause's own title and the page does not number its sections
  otherwise ("7.1 Human resources" with sections "1. Attendees", "2. Agenda" is the document's
  own numbering);
- title and opening name X and no other clause but those above or below it; X is below the top
  level ("Clause 8" introduces a chapter: an overview, not coverage); they cite no clause of
  another standard, and the page does not name other standards only;
- nothing after the opening deals with another clause: a banner, a statement, a first- or
  second-level heading or a clause-table row naming a clause outside X (a checklist or an
  overview repeats its banners for each clause; a page that deals with X and Y is not devoted).

To-do lines ("TODO: ...", "- [ ] ...", "[TODO: ...]") are a template's instructions, not what
the page is: they are left out. A line already judged as a heading or a statement that addresses
X is not judged again: the evidence stands on the first place naming X that is not one.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from qmsdocs.manual import cite_heading, title_matches
from qmsdocs.references import Citation, Recognizer
from qmsdocs.scan.facts import Body, Heading, Row
from qmsdocs.scan.model import Evidence
from qmsdocs.scan.text import (
    MARKUP_RE,
    family,
    norm,
    shorten,
    standards_named,
    without_designations,
)
from qmsdocs.standards import Catalogue

__all__ = ["DevotedReader", "PageTitle"]

# Words that make up a reference label once the standard's designation is taken out:
# "Reference:", "ISO 9001:2015 reference:", "Standard reference", "Normbezug:", "Clause:".
_KEY_WORDS = frozenset(
    {
        "reference",
        "references",
        "ref",
        "referenz",
        "referenzen",
        "bezug",
        "requirement",
        "requirements",
        "anforderung",
        "anforderungen",
        "normanforderung",
        "normanforderungen",
    }
)
# Label words that say the number is the standard's clause: after them a bare number counts.
_CLAUSE_WORDS = frozenset(
    {
        "clause",
        "clauses",
        "kapitel",
        "normkapitel",
        "normabschnitt",
        "normbezug",
        "normenbezug",
        "normverweis",
        "normreferenz",
        "standardreferenz",
        "standard",
        "norm",
    }
)
_FILLER_WORDS = frozenset({"iso", "normative", "the", "of", "applicable", "relevant", "main"})
_LABEL_WORDS = _KEY_WORDS | _CLAUSE_WORDS | _FILLER_WORDS

# Container markup in front of a line's text: comment marks, block quotes, a callout's type
# ("> [!NOTE]"), a list bullet.
_COMMENT_RE = re.compile(r"<!--|-->")
_QUOTE_RE = re.compile(r"^[ \t]*(?:>[ \t]?)+")
_CALLOUT_RE = re.compile(r"^\[![A-Za-z]+\][+-]?[ \t]*")
_BULLET_RE = re.compile(r"^(?:[-*+]|\d{1,3}[.)])[ \t]+")
# An admonition ('!!! note "ISO 9001:2015 Clause 7.5"'): its title is the banner.
_ADMONITION_RE = re.compile(
    r'^(?:!!!|\?\?\?\+?)[ \t]*[\w-]+(?:[ \t]+[\w-]+)*(?:[ \t]+"(?P<title>[^"]*)")?[ \t]*$'
)
_CELL_RE = re.compile(r"(?<!\\)\|")
# A template's instructions: "TODO: ...", "[ ] ...", "[TODO: ...]", "FIXME".
_TODO_RE = re.compile(
    r"^(?:\[[ xX]?\]|\[?(?:to[ -]?do|fixme|tbd|xxx|offen|zu\ erledigen)\b)", re.IGNORECASE
)
# "Label: value", the label's colon followed by a space ("ISO 9001:2015 reference: 9.3").
_LABEL_SPLIT_RE = re.compile(r"^(?P<label>.{1,60}?):(?:[ \t]+|$)(?P<value>.*)$")
# A clause number standing alone after a label that says it is one ("Normbezug: 7.5").
_BARE_NUMBER_RE = re.compile(r"^(?P<number>\d{1,2}(?:\.\d{1,2}){0,4})(?![\w.]|\.\d)\.?")
# A number that may be a second clause after the one a banner names.
_OTHER_NUMBER_RE = re.compile(r"(?<![\w.])\d{1,2}(?:\.\d{1,2})+(?![\w.])")
# A heading that numbers a section: "1. Attendees", "2.3 Agenda".
_SECTION_NUMBER_RE = re.compile(r"^(?P<number>\d{1,2}(?:\.\d{1,2}){0,4})\.?(?:\s|$)")
# A document's own code in front of its title: "REF-07:", "SOP-12", "VA 7.5 –", "[QMS]-0020"
# (a standard's designation is none: "ISO 9001 Clause 9.2" keeps its words).
_DOCUMENT_CODE_RE = re.compile(
    r"""^(?:(?!(?:ISO|IEC|EN|DIN)\b)[A-ZÄÖÜ]{1,6}[\ _-]?\d[\d.-]*|\[[^\]]*\][\w-]*)
    [\ \t]*[:–—|-]?[\ \t]*""",
    re.VERBOSE,
)
_SEPARATORS = " \t:–—-|,.;()[]"
_NUMBER_FIRST_RE = re.compile(r"^\d{1,2}(?:\.\d{1,2}){0,4}\.?[ \t]*[:–—-]?[ \t]*(?P<rest>.*)$")


@dataclass(frozen=True)
class PageTitle:
    """A title of the page: front matter `title:` or the level-1 heading that opens it."""

    text: str
    line: int


@dataclass(frozen=True)
class _Naming:
    """A clause named in the title or the opening (`banner`: as a reference, not in passing)."""

    clause: str
    line: int
    text: str
    banner: bool


@dataclass(frozen=True)
class _Label:
    ok: bool  # made of label words only
    key: bool  # says "reference": what follows is the page's reference
    clause: bool  # says "clause" or names the standard: a bare number after it is a clause


_NO_LABEL = _Label(False, False, False)


def _todo(text: str) -> bool:
    """Whether a line (or one of its cells) is a template's instruction to its author."""
    return any(_TODO_RE.match(cell.strip(" \t*_")) for cell in _CELL_RE.split(text.strip("| ")))


def _container_text(line: str) -> str | None:
    """The text of a line without comment marks, quote marks, a callout type and a bullet; an
    admonition's title; None for a to-do line or an admonition without a title."""
    text = _QUOTE_RE.sub("", _COMMENT_RE.sub(" ", line)).strip()
    text = _CALLOUT_RE.sub("", text)
    admonition = _ADMONITION_RE.match(text)
    if admonition:
        text = admonition.group("title") or ""
    text = MARKUP_RE.sub("", _BULLET_RE.sub("", text)).strip()
    return None if not text or _todo(text) else text


def _plain_title(title: str) -> str:
    """The title without the document's own code ("REF-07: Quality objectives")."""
    return _DOCUMENT_CODE_RE.sub("", MARKUP_RE.sub("", title).strip()) or title


@dataclass
class DevotedReader:
    """Whether one page is devoted to one clause (see the module docstring), as evidence.

    Attributes:
        body: The page's body, code blanked.
        headings: Its headings, with the clause each cites.
        titles: Its titles: front matter `title:`, then the level-1 heading opening it.
    """

    page: str
    body: Body
    headings: Sequence[Heading]
    titles: Sequence[PageTitle]
    catalogue: Catalogue
    recognizer: Recognizer
    plain_titles: list[str] = field(init=False)
    title_heading: int | None = field(init=False)  # the line of the level-1 title heading
    opening_end: int = field(init=False)  # the line of the first heading after the title

    def __post_init__(self) -> None:
        self.plain_titles = [_plain_title(t.text) for t in self.titles]
        first = self.headings[0] if self.headings else None
        self.title_heading = first.line if first is not None and first.level == 1 else None
        after_title = (h.line for h in self.headings if h.line != self.title_heading)
        self.opening_end = next(after_title, self.body.last_line + 1)

    # Labels and banners -------------------------------------------------------------------

    def _label(self, text: str) -> _Label:
        """What `text` is worth as a label in front of a clause (a cell, or before a colon)."""
        ours, others = standards_named(text, self.recognizer, self.catalogue)
        words = norm(without_designations(text)).split()
        if others or not (words or ours) or any(w not in _LABEL_WORDS for w in words):
            return _NO_LABEL
        return _Label(
            True, bool(_KEY_WORDS.intersection(words)), ours or bool(set(words) & _CLAUSE_WORDS)
        )

    def _one_clause(self, text: str, label: _Label) -> tuple[str, str, str] | None:
        """(clause, text before it, text after it) when `text` names one clause of ours."""
        citations = [c for c in self.recognizer.scan(text) if c.clauses or c.catalogue is None]
        if not citations:
            bare = _BARE_NUMBER_RE.match(text) if label.clause else None
            if bare is None or bare.group("number") not in self.catalogue:
                return None
            return bare.group("number"), "", text[bare.end() :]
        if len(citations) != 1 or citations[0].catalogue != self.catalogue.id:
            return None
        citation = citations[0]
        if len(citation.clauses) != 1:
            return None
        return citation.clauses[0], text[: citation.start], text[citation.end :]

    def _only_title(self, rest: str, clause: str) -> bool:
        """Whether what follows an unlabelled citation is nothing, or the clause's or the
        page's title ("Clause 8.4 — Control of externally provided processes")."""
        rest = rest.strip(_SEPARATORS)
        if not rest:
            return True
        titles = [self.catalogue[clause].title or "", *self.plain_titles]
        return any(title and title_matches(rest, title) for title in titles)

    def _piece_banner(self, label: _Label, text: str) -> str | None:
        """The clause a piece of a line (a cell, or the whole line) names as a banner."""
        split = _LABEL_SPLIT_RE.match(text)
        if split:
            split_label = self._label(split.group("label"))
            if split_label.ok:
                label, text = split_label, split.group("value")
        found = self._one_clause(text, label)
        if found is None:
            return None
        clause, lead_in, rest = found
        lead = self._label(lead_in) if lead_in.strip(_SEPARATORS) else _Label(True, False, False)
        if not lead.ok or _OTHER_NUMBER_RE.search(rest):
            return None
        if label.ok or lead.key or self._only_title(rest, clause):
            return clause
        return None

    def _banner(self, text: str) -> str | None:
        """The clause a line names as a banner: one of its cells (a table row's value after
        a label cell, or the whole line)."""
        found: set[str] = set()
        label = _NO_LABEL
        for cell in _CELL_RE.split(text.strip("| ")):
            cell = cell.strip()
            clause = self._piece_banner(label, cell) if cell else None
            if clause:
                found.add(clause)
            label = self._label(cell) if cell else _NO_LABEL
        return found.pop() if len(found) == 1 else None

    # Reading the title and the opening ----------------------------------------------------

    def _foreign_citation(self, citation: Citation) -> bool:
        """A citation of another standard's clause ("ISO 14001:2015 Clause 8.1")."""
        if citation.catalogue == self.catalogue.id:
            return False
        foreign = citation.foreign or ""
        return bool(standards_named(foreign, self.recognizer, self.catalogue)[1])

    def _read(self, text: str, line: int) -> tuple[list[_Naming], bool]:
        """The clauses a piece of the title or the opening names, and whether it cites another
        standard's clause."""
        citations = self.recognizer.scan(text)
        ours, others = standards_named(text, self.recognizer, self.catalogue)
        if others and not ours and (citations or _OTHER_NUMBER_RE.search(text)):
            # "ISO 27001:2022 Reference: Clause 4.3", "ISO 14001:2015 reference: 6.1.2": the
            # numbers are that standard's.
            return [], True
        if any(self._foreign_citation(c) for c in citations):
            return [], True
        cited = {
            c
            for citation in citations
            if citation.catalogue == self.catalogue.id
            for c in citation.clauses
        }
        banner = self._banner(text)
        namings = [_Naming(c, line, text, c == banner) for c in sorted(cited)]
        if banner and banner not in cited:
            namings.append(_Naming(banner, line, text, True))
        return namings, False

    def _own_numbering(self, clause: str) -> bool:
        """Whether the page numbers its sections its own way ("1. Attendees")."""
        numbers = (
            _SECTION_NUMBER_RE.match(h.text) for h in self.headings if h.line != self.title_heading
        )
        return any(n is not None and not family(n.group("number"), clause) for n in numbers)

    def _title_citation(self, title: PageTitle) -> _Naming | None:
        """The clause a title cites by the plugin's heading rule, if the title is a banner."""
        cited = cite_heading(title.text, self.catalogue, self.recognizer, "titles")
        if cited is None or cited.catalogue is not None or cited.overview:
            return None
        clause = self.catalogue[cited.clause]
        if cited.rule in ("title", "number"):
            # A number first is the clause only when the words are the clause's own title,
            # not a close variant, and the page's sections are not numbered another way.
            rest = _NUMBER_FIRST_RE.match(" ".join(title.text.split()))
            words = norm(rest.group("rest")) if rest else ""
            want = norm(clause.title or "")
            exact = bool(words) and (
                want == words or (want.startswith(words + " ") and " " in words)
            )
            if not exact or self._own_numbering(clause.id):
                return None
        return _Naming(clause.id, title.line, title.text, True)

    def _read_titles(self) -> list[_Naming] | None:
        """The clauses the titles name; None if one cites another standard's clause."""
        namings: list[_Naming] = []
        for title in self.titles:
            found, foreign = self._read(MARKUP_RE.sub("", title.text), title.line)
            if foreign:
                return None
            cited = self._title_citation(title)
            namings += found + ([cited] if cited else [])
        return namings

    def _read_opening(self) -> list[_Naming] | None:
        """The clauses the opening names; None if it cites another standard's clause."""
        namings: list[_Naming] = []
        for index in range(self.opening_end - self.body.first_line):
            line = self.body.first_line + index
            raw = self.body.lines[index]
            # Every clause number has a digit: most lines can be let go at once.
            if line == self.title_heading or not any(c.isdigit() for c in raw):
                continue
            text = _container_text(raw)
            if text is None:
                continue
            found, foreign = self._read(text, line)
            if foreign:
                return None
            namings += found
            if found and len(_roots({n.clause for n in namings})) > 1:
                break  # two clauses neither above the other: several, whatever follows
        return namings

    # Deciding -----------------------------------------------------------------------------

    def _subject(self, namings: Sequence[_Naming]) -> str | None:
        """The one clause the title and opening name (banners first), if there is one."""
        banners = {n.clause for n in namings if n.banner}
        named = {n.clause for n in namings}
        candidates = _roots(banners) or _roots(named)
        if len(candidates) != 1:
            return None
        clause = candidates[0]
        if "." not in clause or not self.catalogue[clause].requirements:
            return None  # a top-level clause: an overview of the chapter, not coverage
        if not all(family(c, clause) for c in named):
            return None  # the opening names several clauses
        if not banners and not any(
            title_matches(title, self.catalogue[clause].title or "") for title in self.plain_titles
        ):
            return None  # only named in passing, and the page's title is not the clause's
        return clause

    def _after_opening(self) -> Iterator[str]:
        """The text of the lines after the opening that may be banners (headings aside)."""
        heading_lines = {h.line for h in self.headings}
        start = self.opening_end - self.body.first_line
        for index in range(max(start, 0), len(self.body.lines)):
            raw = self.body.lines[index]
            if self.body.first_line + index in heading_lines or not any(c.isdigit() for c in raw):
                continue
            text = _container_text(raw)
            if text is not None:
                yield text

    def _deals_with_another(
        self, clause: str, rows: Sequence[Row], statements: Sequence[Evidence]
    ) -> bool:
        """Whether the page deals with a clause outside `clause` after its opening: a first-
        or second-level heading, a clause-table row, a statement or a banner names one."""
        others = [
            h.clause
            for h in self.headings
            if h.level <= 2 and h.line != self.title_heading and h.clause
        ]
        others += [row.clause for row in rows] + [e.clause for e in statements]
        if any(not family(c, clause) and self.catalogue[c].requirements for c in others):
            return True
        banners = (self._banner(text) for text in self._after_opening())
        return any(b is not None and not family(b, clause) for b in banners)

    def _place(
        self, clause: str, namings: Sequence[_Naming], statements: Sequence[Evidence]
    ) -> _Naming | None:
        """Where the evidence stands: the first banner (or, without banners, the first place)
        naming the clause that no heading or statement of it holds already."""
        banners = any(n.banner for n in namings)
        places = sorted(
            (n for n in namings if n.clause == clause and (n.banner or not banners)),
            key=lambda n: n.line,
        )
        taken = {e.line for e in statements if e.clause == clause}
        taken |= {h.line for h in self.headings if h.clause == clause}
        return next((n for n in places if n.line not in taken), None)

    def evidence(
        self, rows: Sequence[Row], statements: Sequence[Evidence], foreign: tuple[str, ...]
    ) -> list[Evidence]:
        """The "devoted" evidence for the page: one item, or none.

        Arguments:
            rows: The page's clause-table rows.
            statements: The page's statements (a line they hold is not judged again).
            foreign: Other standards the page names without naming the manual's.
        """
        if foreign:
            return []  # its bare numbers are those standards'
        titles = self._read_titles()
        opening = self._read_opening() if titles is not None else None
        if titles is None or opening is None:
            return []  # the title or the opening cites another standard's clause
        namings = titles + opening
        clause = self._subject(namings)
        if clause is None or self._deals_with_another(clause, rows, statements):
            return []
        place = self._place(clause, namings, statements)
        if place is None:
            return []  # a heading or a statement already says so, on the same line
        return [Evidence(clause, "devoted", self.page, place.line, shorten(place.text))]


def _roots(clauses: set[str]) -> list[str]:
    """The clauses that are not below another one of them."""
    return sorted(c for c in clauses if not any(c.startswith(o + ".") for o in clauses))
