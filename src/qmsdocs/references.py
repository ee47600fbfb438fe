"""Recognise clause references in prose: "clause 7.5.3", "ISO 9001:2015 8.4", "§§ 7.5.2–7.5.3".

The recogniser finds *citations*: a trigger (a standard's designation, or a keyword such as
"clause" or "§") followed by one or more clause numbers, in lists ("5.1, 5.2 and 5.4", also
across titles: "7.1.5 (Monitoring ...) and 8.4") and ranges ("4-10", "4 through 10"). Each
citation is bound (`qmsdocs.binding.Binding`) to the nearest context that names a standard:

- the citation itself: the standard right before it ("ISO 13485:2016 7.2") or after it
  ("clause 7.3 of ISO 13485"), or a document ("Privacy Policy §3", "§ 4 below");
- a standard named earlier in the same sentence, then earlier in the same block (paragraph,
  list item, table row; a law only binds its own sentence);
- the context the caller gives: what the table column, the section, the page say
  (`qmsdocs.scopes`), in the end the site's default catalogue.

Two standards named together ("ISO 9001 and ISO 14001 clause 6.1") leave the number ambiguous.
A bare "§ 7" or "Annex A" binds to a catalogue only where the context names it: elsewhere it
is far more often the document's own section or another standard's annex.

How sure the recogniser is decides what happens to a number that names no clause. An
*explicit* citation ("clause 7.9", "ISO 9001 4.2.3") of a clause that does not exist is a
mistake worth reporting. A *tentative* one ("§ 6.8", "Kapitel 12", "Annex A.5.17") may well be
the document's own section or another text's paragraph, and is left alone.

The scanner is linear in the length of the text: one compiled regex finds triggers, and
number lists are read with anchored matches, so adversarial input (long runs of digits, dots
or section signs) cannot make it backtrack.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from qmsdocs.binding import Binding, KnownStandards, family, load_known_standards
from qmsdocs.findings import Finding, Severity
from qmsdocs.prose import OPAQUE
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
# Keywords that announce a clause number, and how sure each one is. English, German, French
# and Spanish: manuals are written in the organisation's language ("Abschnitt 8.4", "chapitre
# 7.5", "apartado 9.2"); only the English "clause" is sure enough to report a number the
# standard lacks.
_EXPLICIT_KEYWORDS = r"(?:sub-?)?clauses?"
_TENTATIVE_KEYWORDS = r"""Kapitel|Abschnitte?|Abschnitts|Unterabschnitte?|Annex|Anhang|Ziffer
    |(?i:chapitres?|paragraphes?|apartados?|cap[ií]tulos?|cl[aá]usulas?|numerale?s?)
    |(?i:articles?|art[ií]culos?)"""
# Of those, the ones that as often number a contract's or a law's own paragraphs: bound to a
# standard only where it is named (as "§" and "Annex" are).
_STRICT_KEYWORDS = frozenset(
    {"annex", "anhang", "ziffer", "article", "articles"}
    | {"artículo", "artículos", "articulo", "articulos"}
)
# Only after a standard's name does "section" mean the standard's section.
_AFTER_DESIGNATION_KEYWORDS = (
    r"sections?|requirements?|Abschnitte?|Kapitel|Ziffer|Abs\.|Absatz|Pkt\.|Punkt|Nr\.|No\."
    r"|(?i:exigences?|requisitos?|secci[oó]n|punto)"
)

_TRIGGER = rf"""
    (?P<designation>(?:(?<![\w/-])|(?<=\d/)){_DESIGNATION}(?![\w-]))
  | (?P<regulation>(?<![\w/-])(?:{_REGULATION}))
  | (?P<named>(?<![\w/-])(?:%s)(?![\w-]))
  | (?P<explicit>(?<![\w-])(?i:{_EXPLICIT_KEYWORDS})(?![\w-]))
  | (?P<tentative>(?<![\w-])(?:{_TENTATIVE_KEYWORDS})(?![\w-])|§§?)
"""
_DESIGNATION_ONLY_RE = re.compile(_DESIGNATION, re.VERBOSE)
# Names of other standards (`qmsdocs.binding.KnownStandards`) fill the `named` group.
_NO_NAME = r"(?!)"

# The places where a trigger of `_TRIGGER_RE` other than a sentence end can start: a character
# that begins a designation, a regulation or a keyword, at the start of a word ("§" anywhere; a
# lower-case "c" or "s" only before the "l" of "clause" or the "u" of "sub"). A superset of the
# trigger's own starts, found by a fast scan for one character class; KEEP IT IN STEP with the
# first characters of _DESIGNATION, _REGULATION and the keywords.
_CANDIDATE_RE = re.compile(
    r"[A-ZÄÖÜcs\u017f\d(§apn](?:(?<=§)|(?<![\w-].)(?:(?<=[cs\u017f])(?=[lLuU])"
    r"|(?<=c)(?=hapitre|ap[ií]tulo|l[aá]usula)|(?<=a)(?=rt[ií]c|partado)|(?<=p)(?=aragraphe)"
    r"|(?<=n)(?=umeral)|(?<![cs\u017fapn])))"
)
_SENTENCE_END_RE = re.compile(r"[.!?;:](?=\s)|\n")  # as the `sentence_end` trigger
# A text can hold a citation only if it has a digit, or an annex named by its letter alone.
_NUMBER_HINT_RE = re.compile(r"[\dA](?:(?<=A)(?:nnex|nhang)|(?<!A))")
_NEXT_WORD_RE = re.compile(r"\s*(\S+)")

_DESIGNATION_AT_END_RE = re.compile(
    rf"(?<![\w/-])(?P<designation>{_DESIGNATION})[\s,:;]*$", re.VERBOSE
)

# After a designation: an optional comma, parenthesis and keyword, then the first number
# ("ISO 9001, clause 8.4", "ISO 9001 (4 through 10)").
_AFTER_DESIGNATION_RE = re.compile(
    rf"""
    (?:\s*,)?\s*
    (?P<paren>\([ \t\u00a0]*)?
    (?P<keyword>(?i:{_EXPLICIT_KEYWORDS}|{_AFTER_DESIGNATION_KEYWORDS})(?![\w-])|§§?)?
    [ \t\u00a0]*
    # A line break may wrap a citation, but "ISO 9001 requirements\n5. Communicate" is the
    # next item of a numbered list.
    (?:\n[ \t\u00a0]*(?!\d{{1,2}}[.)][ \t]))?
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
    [*_]{0,3}  # the end of an emphasis in the source ("**8.4**, 8.5"), gone once rendered
    [ \t\u00a0]*
    (?:
        (?P<range>[-–—‐‑]|to|through|thru|bis|à|al)
      | (?P<list>,[ \t\u00a0]*(?:and|or|und|oder|et|ou|y|o)?|and|or|&|und|oder|et|ou|y|o|/)
    )
    [ \t\u00a0]*
    (?:(?P<keyword>§§?|(?i:(?:sub-?)?clauses?))[ \t\u00a0]*)?
    [*_]{0,3}
    """,
    re.VERBOSE,
)
# "... of ISO 13485:2016" after a number binds the citation to that standard; "... of the
# Works Agreement" makes it another document's paragraph; "... of the standard" names the
# standard the citation was bound to (the manual's, unless the sentence named another).
_TRAILING_RE = re.compile(
    rf"""
    [ \t\u00a0]+
    (?:
        # "of ISO 13485", "der Norm ISO 14001", "de la norme ISO 14001", "de l'ISO 9001"
        (?:of|in|from|des|der|nach|de|du|del|de[ \t\u00a0]+la|de[ \t\u00a0]+l['’]?)
        (?:[ \t\u00a0]+(?:the|la|Norm|norme|norma)(?=[ \t\u00a0]))*[ \t\u00a0]*
        (?:(?P<designation>{_DESIGNATION})(?![\w-])|(?P<regulation>{_REGULATION}))
      | (?P<standard>
            (?:of|in)[ \t\u00a0]+the[ \t\u00a0]+[Ss]tandard
          | (?:in[ \t\u00a0]+)?der[ \t\u00a0]+Norm
          | de[ \t\u00a0]+la[ \t\u00a0]+norm[ea]
        )(?![\w-])
      | of[ \t\u00a0]+(?:the[ \t\u00a0]+)?(?P<name>[A-Z][\w-]+)
    )
    """,
    re.VERBOSE,
)
# German legal style: "§ 8 Abs. 1 MPDG", "§ 257 HGB".
_LEGAL_TAIL_RE = re.compile(r"[ \t\u00a0]+(?:Abs\.|Absatz|Satz|Nr\.|[A-ZÄÖÜ]{2,}[a-zäöü]*\b)")
# "(see § 4 below)": the page's own section.
_HERE_RE = re.compile(r"[ \t\u00a0]*\)?[ \t\u00a0]*(?:below|above|unten|oben)\b")
# A cell of numbers: the padding and emphasis around them.
_CELL_PADDING = " \t\u00a0*_`"
_CELL_START_RE = re.compile(r"[ \t\u00a0*_]*(?=\d)")
# The parenthesis that closes "ISO 9001 (4 through 10)".
_CLOSE_PAREN_RE = re.compile(r"[ \t\u00a0]*\)")
# Between two standards named as a list: "ISO 9001 and ISO 14001", "ISO 9001/ISO 14001".
# A comma alone is no list: "Unlike ISO 14001, ISO 9001 puts this in clause 6.1".
_STANDARDS_LIST_RE = re.compile(r"[ \t\u00a0]*,?[ \t\u00a0]*(?:and|or|&|/|\+|und|oder)[ \t\u00a0]*")
# A clause's title in parentheses inside a list of numbers: "7.1.5 (Monitoring and measuring
# resources) and 8.4". No digits, no nesting, one line: it cannot run away.
_TITLE_IN_LIST_RE = re.compile(r"[ \t\u00a0]*\([^()\d\n]{1,120}\)")

# A document's name right before a keyword makes the number that document's own section:
# "Privacy Policy §3", "ai-governance.md §8.1", "Impact assessment template §2", "AI governance
# principles (§0)", "the "Works Agreement" § 4", a link "[Policy](policy.md) §3" (hidden, as
# every link is, behind `OPAQUE`), "Handbuch Kapitel 5".
_DOCUMENT_NOUNS = (
    "policy|policies|manual|handbook|procedure|procedures|SOP|SOPs|plan|template|form|"
    "checklist|document|guide|guideline|guidelines|instruction|instructions|agreement|"
    "contract|charter|principles|statement|specification|report|register|framework|"
    "programme|program|notice|terms|appendix|page|"
    "Richtlinie|Handbuch|Verfahrensanweisung|Arbeitsanweisung|Vereinbarung|Vertrag|"
    "Dokument|Formular|Plan|Leitfaden|Anweisung|Konzept|Vorlage|"
    "manuel|procédure|politique|formulaire|contrat|accord|règlement|charte|"
    "procedimiento|política|instructivo|formato|contrato|documento|reglamento|convenio"
)
_DOCUMENT_WORDS = frozenset(word.lower() for word in _DOCUMENT_NOUNS.split("|"))
_FILE_NAME_RE = re.compile(r"[\w.-]*\w\.(?:md|markdown|pdf|docx?|xlsx?|pptx?|odt|txt|html?)")
_QUOTES = {'"': '"', "”": '“„"', "“": "„", "»": "«", "«": "»", "›": "‹", "’": "‘'", "'": "'‘"}
_WORD_RE = re.compile(r"[\w-]+")
# Words that end a document's name read backwards: "named in this policy" -> "this policy".
_NOT_IN_A_NAME = frozenset(
    [
        "in",
        "of",
        "see",
        "per",
        "under",
        "from",
        "to",
        "by",
        "and",
        "or",
        "as",
        "at",
        "on",
        "for",
        "with",
        "is",
        "are",
        "was",
        "named",
        "defined",
    ]
)
_SPACE = " \t\u00a0"


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
        binding: What it is bound to, and why.
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
    binding: Binding | None = None

    def shifted(self, offset: int) -> Citation:
        """The same citation, found in a block that starts at `offset` of a longer text."""
        if not offset:
            return self
        return replace(
            self,
            start=self.start + offset,
            end=self.end + offset,
            links=tuple(replace(x, start=x.start + offset, end=x.end + offset) for x in self.links),
            unknown=tuple(
                replace(x, start=x.start + offset, end=x.end + offset) for x in self.unknown
            ),
        )


@dataclass(frozen=True, slots=True)
class _Number:
    start: int
    end: int
    number: str
    link_end: int
    range_from_previous: bool


class Recognizer:
    """Finds clause citations in text, bound to a set of catalogues.

    Build one per build (it compiles its patterns once) and call `scan` on each block of text.

    Arguments:
        catalogues: The standards the manual may cite; `catalogues[0]` is the default one,
            assumed when nothing names a standard.
        correspondences: `qmsdocs.transition.Correspondence` objects: hints across editions.
        known: The other standards prose may name (default: the built-in list).
        standards: Ids of the catalogues the manual claims (an integrated management system
            claims several); default: the first catalogue.
    """

    def __init__(
        self,
        catalogues: Sequence[Catalogue],
        correspondences: Sequence[Any] = (),
        known: KnownStandards | None = None,
        standards: Sequence[str] = (),
    ) -> None:
        if not catalogues:
            raise ValueError("a Recognizer needs at least one catalogue")
        self.catalogues = tuple(catalogues)
        self.standards = tuple(standards) or (self.catalogues[0].id,)
        self.correspondences = tuple(correspondences)
        self.default = self.catalogues[0]
        self.known = known if known is not None else load_known_standards()
        self._by_id = {c.id: c for c in self.catalogues}
        self._by_alias = catalogues_by_alias(self.catalogues)
        names = _names_pattern(self.known.names()) or _NO_NAME
        self._trigger_re = re.compile(_TRIGGER % names, re.VERBOSE)
        # The families of the loaded catalogues: "ISO 9001" named in prose binds to them.
        self._families = {family(c.standard): c for c in reversed(self.catalogues)}
        self.site_default = Binding(
            self.default.id, None, False, "nothing nearer names a standard: the site's applies"
        )
        self._bound: dict[str, Catalogue | None] = {}
        self._family_keys: dict[str, str] = {}

    def catalogue(self, catalogue_id: str) -> Catalogue:
        return self._by_id[catalogue_id]

    def loaded(self, catalogue_id: str) -> Catalogue | None:
        """The loaded catalogue with this id, if there is one."""
        return self._by_id.get(catalogue_id)

    def suggest(self, catalogue: Catalogue, clause_id: str) -> str:
        """A hint for a clause id `catalogue` lacks: the other edition's story, if it has one."""
        for correspondence in self.correspondences:
            hint = correspondence.hint(catalogue, clause_id)
            if hint:
                return str(hint)
        return catalogue.suggest(clause_id)

    def bind(self, designation: str) -> Catalogue | None:
        """The catalogue a designation names ("ISO 9001:2015/Amd 1:2024"), if it is loaded."""
        if designation in self._bound:
            return self._bound[designation]
        found = self._by_alias.get(normalise_designation(designation))
        if found is None and ":" not in designation:
            # "ISO 9001" without an edition names the manual's standard, whichever is loaded.
            found = self._families.get(family(designation))
        # A manual names a handful of standards, thousands of times: each is looked up once.
        self._bound[designation] = found
        return found

    def naming(self, designation: str, why: str) -> Binding:
        """The binding a standard's name gives to the numbers it owns."""
        name = " ".join(designation.split())
        catalogue = self.bind(name)
        if catalogue is not None:
            return Binding(catalogue.id, None, True, why)
        return Binding(None, name, True, why)

    def standards_in(self, text: str) -> list[str]:
        """The standards, laws and frameworks `text` names, in order, once each (by family)."""
        found: dict[str, str] = {}
        for match in self._trigger_re.finditer(text):
            kind = match.lastgroup
            if kind in ("designation", "regulation", "named"):
                name = " ".join(match.group(kind).split())
                found.setdefault(self._family_of(name), name)
        return list(found.values())

    def about(self, text: str, where: str) -> Binding | None:
        """What a heading, title or label line says its part of the page is about: the one
        standard it names (None if it names none or several)."""
        if _NUMBER_HINT_RE.search(text) is None and not self._names_hint(text):
            return None
        named = self.standards_in(text)
        if len(named) != 1:
            return None
        return self.naming(named[0], f"{where} names {named[0]}")

    def named_after(self, text: str, context: Binding) -> Binding:
        """The binding `text` leaves for what follows it in the same block: the last standard
        it names (laws only bind their own sentence), else `context`."""
        last = None
        for match in self._trigger_re.finditer(text):
            kind = match.lastgroup
            if kind in ("designation", "named"):
                name = " ".join(match.group(kind).split())
                if not self.known.regulation(name):
                    last = name
        if last is None:
            return context
        return self.naming(last, f"{last} is named earlier in the table row")

    def _names_hint(self, text: str) -> bool:
        # Designations carry digits; a few known names do not ("GDPR", "HIPAA", "TISAX").
        return any(c.isupper() for c in text[:400]) and self._trigger_re.search(text) is not None

    def _family_of(self, name: str) -> str:
        key = self._family_keys.get(name)
        if key is None:
            catalogue = self.bind(name)
            key = family(catalogue.standard) if catalogue is not None else family(name)
            self._family_keys[name] = key
        return key

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

    def may_cite(self, text: str) -> bool:
        """False for text that cannot hold a citation (no digit, no annex letter): most."""
        return _NUMBER_HINT_RE.search(text) is not None

    def scan(self, text: str, context: Binding | None = None) -> list[Citation]:
        """All citations in `text` (one block: a paragraph, list item, table cell, heading),
        in order. Citations of other standards and documents are included, unlinked.

        Arguments:
            text: The block's prose.
            context: What a number that names no standard of its own binds to here (from
                `qmsdocs.scopes`); default: the site's standard, not named.
        """
        if _NUMBER_HINT_RE.search(text) is None:
            return []
        binding = context if context is not None else self.site_default
        return self.scan_blocks(text, [(0, len(text))], lambda _index: binding)

    def scan_blocks(
        self,
        text: str,
        blocks: Sequence[tuple[int, int]],
        context_of: Callable[[int], Binding],
    ) -> list[Citation]:
        """All citations in the blocks of `text`, each block read on its own, in one pass.

        Arguments:
            text: A page's prose.
            blocks: (start, end) of each block, in order, not overlapping; text between blocks
                is not read. A citation never runs from one block into the next.
            context_of: The binding of block i (`scan`'s `context`); asked only for blocks
                that hold a citation.
        """
        citations: list[Citation] = []
        # Every citation has a number, and a number a digit unless it is an annex letter: most
        # paragraphs can be let go at once.
        if not blocks or _NUMBER_HINT_RE.search(text) is None:
            return citations
        starts = [block[0] for block in blocks]
        index, (start, end) = 0, blocks[0]
        state = _Naming()
        context: Binding | None = None
        # What `self._trigger_re.search(text, pos)` would find, trigger after trigger, but
        # found faster: a character scan finds the few places where a trigger can start, and
        # the trigger pattern is tried there only. Sentence ends only matter to what the
        # current sentence names, so they are looked for between triggers, and only then.
        pos = start  # where the search for the next trigger starts
        cursor = start  # where the search for the next candidate starts (pos or beyond)
        while True:
            candidate = _CANDIDATE_RE.search(text, cursor)
            if candidate is None:
                break
            at = candidate.start()
            if at >= end:
                index = bisect.bisect_right(starts, at) - 1
                if at >= blocks[index][1]:  # between two blocks: on to the next one
                    if index + 1 >= len(blocks):
                        break
                    cursor = starts[index + 1]
                    continue
                (start, end), state, context = blocks[index], _Naming(), None
                pos = start
            match = self._trigger_re.match(text, at, end)
            if match is None:
                cursor = at + 1
                continue
            if state.sentence is not None and _SENTENCE_END_RE.search(text, pos, at):
                state.end_sentence()
            kind = match.lastgroup or ""
            pos = match.end()
            if kind in ("designation", "regulation", "named"):
                binding = self._name(text, match, kind, state)
                if kind == "regulation":
                    cursor = pos
                    continue
                after = _AFTER_DESIGNATION_RE.match(text, pos, end)
                assert after is not None  # every part of it is optional
                keyword = after.group("keyword")
                numbers = _read_numbers(text, after.end(), end, annex=False)
                if numbers and after.group("paren"):
                    close = _CLOSE_PAREN_RE.match(text, numbers[-1].link_end, end)
                    numbers = numbers if close else []
                elif numbers and keyword is None and not _plausible_integer(text, numbers[0], end):
                    numbers = []
                if not numbers:
                    cursor = pos
                    continue
                explicit = True
                if not binding.ambiguous:
                    binding = binding.because(f"the citation names {match.group(kind).strip()}")
            else:
                explicit = kind == "explicit"
                keyword = match.group(kind)
                numbers = _read_numbers(text, pos, end, annex=keyword in ("Annex", "Anhang"))
                if not numbers or _own_appendix(text, numbers):
                    cursor = pos
                    continue
                if context is None:
                    context = context_of(index)
                document = _document_before(text, max(start, at - 90), at, explicit)
                binding = self._bare_binding(keyword, document, state, context)
            binding = self._trailing_binding(
                text, numbers[-1].link_end, end, kind, keyword, binding
            )
            citation = self._citation(text, at, numbers, binding, explicit)
            citations.append(citation)
            if explicit and citation.links and state.sentence is None and not binding.named:
                # "clause 8.4 for suppliers or §9.3 for the review": a sentence that cites
                # clauses of the standard speaks of it, for the section signs that follow.
                state.sentence = Binding(
                    binding.catalogue,
                    None,
                    True,
                    f"the sentence cites '{citation.text}' before it",
                )
            pos = cursor = max(pos, citation.end)
        return citations

    def cite_cell(self, text: str, binding: Binding) -> Citation | None:
        """A table cell that holds nothing but clause numbers ("8.4", "7.1.5, 7.1.6", "4-10"),
        under a column whose header names the standard (`binding`): a citation of them.

        Not explicit: a number the standard lacks is left alone, not reported.
        """
        first = _CELL_START_RE.match(text)
        if first is None:
            return None
        numbers = _read_numbers(text, first.end(), len(text), annex=False)
        if not numbers or text[numbers[-1].link_end :].strip(_CELL_PADDING):
            return None
        return self._citation(text, numbers[0].start, numbers, binding, explicit=False)

    def _name(self, text: str, match: re.Match[str], kind: str, state: _Naming) -> Binding:
        """Note a standard or law named in the text; the binding it gives its own numbers."""
        name = " ".join(match.group(kind).split())
        key = self._family_of(name)
        binding = self.naming(name, f"{name} is named right before it")
        listed = (
            state.sentence is not None
            and state.family is not None
            and state.family != key
            and _STANDARDS_LIST_RE.fullmatch(text, state.name_end, match.start()) is not None
        )
        if listed:
            together = f"{state.name} and {name}"
            binding = Binding(None, together, True, f"{together} are named together", True)
            state.sentence = state.block = binding
        else:
            state.sentence = binding.because(f"{name} is named earlier in the sentence")
            regulation = kind == "regulation" or self.known.regulation(name)
            if not regulation:
                state.block = binding.because(
                    f"{name} is named earlier in the paragraph, list item or table row"
                )
        state.family, state.name, state.name_end = key, name, match.end()
        return binding

    def _bare_binding(
        self, keyword: str, document: str | None, state: _Naming, context: Binding
    ) -> Binding:
        """The binding of a keyword citation that names no standard of its own."""
        if document is not None:
            return Binding(None, document, True, f"'{document}' is another document")
        binding = state.sentence or state.block or context
        strict = keyword.startswith("§") or keyword.lower() in _STRICT_KEYWORDS
        if strict and binding.catalogue is not None and not binding.named:
            # "§ 7" or "Annex A" where no standard is named: most often the document's own.
            return Binding(
                None,
                None,
                False,
                f"a bare '{keyword}' cites {self._by_id[binding.catalogue].label} only where "
                "the page, its section or the sentence names it",
            )
        return binding

    def _trailing_binding(
        self,
        text: str,
        end: int,
        limit: int,
        kind: str,
        keyword: str | None,
        binding: Binding,
    ) -> Binding:
        """What the words after the numbers bind the citation to, if anything: a standard
        ("... of ISO 13485:2016"), another document ("§ 4 of the Works Agreement", "§ 4
        below") or a law ("§ 8 Abs. 1 MPDG"); else `binding` as it was."""
        trailing = _TRAILING_RE.match(text, end, limit)
        by_keyword = kind not in ("designation", "regulation", "named")
        if trailing is not None and trailing.group("standard"):
            # "§ 8.5.2 of the standard", "Abschnitt 4.2 der Norm": the standard of the context
            # (the manual's, unless the sentence or section is about another one).
            if binding.catalogue is None and binding.other is not None:
                return binding
            catalogue = binding.catalogue or self.default.id
            return Binding(catalogue, None, True, "it says 'of the standard'")
        if trailing is not None and (trailing.group("designation") or trailing.group("regulation")):
            named = (trailing.group("designation") or trailing.group("regulation")).strip()
            return self.naming(named, f"the citation names {' '.join(named.split())}")
        if trailing is not None and by_keyword:
            name = trailing.group("name")
            return Binding(None, name, True, f"the citation names '{name}'")
        if by_keyword and _HERE_RE.match(text, end, limit):
            return Binding(None, "this document", True, "it points above or below, in the page")
        legal = by_keyword and keyword and keyword.startswith("§")
        if legal and _LEGAL_TAIL_RE.match(text, end, limit):
            # The law's name: the next word (never a copy of the rest of the text).
            law = _NEXT_WORD_RE.match(text, end, limit)
            name = law.group(1) if law else "law"
            return Binding(None, name, True, f"'{name}' after it names a law")
        return binding

    def _citation(
        self,
        text: str,
        start: int,
        numbers: list[_Number],
        binding: Binding,
        explicit: bool,
    ) -> Citation:
        end = numbers[-1].link_end
        if binding.catalogue is None:
            return Citation(
                start, end, text[start:end], None, binding.other, explicit, binding=binding
            )
        catalogue = self._by_id[binding.catalogue]
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
            binding,
        )


@dataclass(slots=True)
class _Naming:
    """What the text read so far names: in the current sentence, and in the block."""

    sentence: Binding | None = None
    block: Binding | None = None
    family: str | None = None  # of the last name in the sentence
    name: str = ""
    name_end: int = -1

    def end_sentence(self) -> None:
        self.sentence = None
        self.family = None


def _names_pattern(names: Sequence[str]) -> str:
    """One pattern for many names, as a character trie: an alternation of names would be tried
    name by name at every capitalised word of a page, a trie reads each character once.
    Spaces match any run of spaces; the longest name wins ("SOC 2 Type II" over "SOC 2").
    Names the designation pattern reads anyway ("ISO 14001") are left to it."""
    trie: dict[str, Any] = {}
    for name in names:
        if _DESIGNATION_ONLY_RE.fullmatch(name):
            continue
        node = trie
        for char in " ".join(name.split()):
            node = node.setdefault(char, {})
        node[""] = {}  # a name ends here
    return _trie_pattern(trie)


def _trie_pattern(node: dict[str, Any]) -> str:
    branches = [
        ("[ \\t\\u00a0]+" if char == " " else re.escape(char)) + _trie_pattern(child)
        for char, child in sorted(node.items(), key=lambda item: item[0])
        if char
    ]
    if not branches:
        return ""
    optional = "" in node
    if len(branches) == 1 and not optional:
        return branches[0]
    return "(?:" + "|".join(branches) + ")" + ("?" if optional else "")


def _own_appendix(text: str, numbers: list[_Number]) -> bool:
    """ "Anhang A: Prozesslandkarte" labels a document's own appendix, not Annex A."""
    first = numbers[0]
    return (
        len(numbers) == 1
        and first.number.isalpha()
        and text[first.link_end : first.link_end + 1] == ":"
    )


def _document_before(text: str, window: int, start: int, explicit: bool) -> str | None:
    """The document whose section a keyword at `start` introduces, if a name ends before it.

    "clause" needs the name right before it ("Supplier Agreement clause 5"); "Control plan
    (clause 8.5.1)" says which clause the plan serves, not which part of the plan. Read
    backwards with string operations: this runs for every keyword citation.
    """
    rest = text[window:start].rstrip(_SPACE)
    gap = False
    if rest[-3:].lower() == "see" and (len(rest) == 3 or not rest[-4].isalnum()):
        rest, gap = rest[:-3].rstrip(_SPACE), True
    if rest[-1:] in ("(", ","):
        rest, gap = rest[:-1].rstrip(_SPACE), True
    if not rest or (explicit and gap):
        return None
    last = rest[-1]
    if last == OPAQUE:
        return "the linked document"
    if last in _QUOTES:
        opening = max(rest.rfind(q, 0, len(rest) - 1) for q in _QUOTES[last])
        if opening >= 0 and "\n" not in rest[opening:]:
            return rest[opening:]
        return None
    words = rest.split()
    if _FILE_NAME_RE.fullmatch(words[-1]):
        return words[-1]
    if words[-1].lower() not in _DOCUMENT_WORDS:
        return None
    name = [words[-1]]
    for word in reversed(words[-3:-1]):
        if not _WORD_RE.fullmatch(word) or word.lower() in _NOT_IN_A_NAME:
            break
        name.insert(0, word)
    return " ".join(name)


def _read_numbers(text: str, pos: int, end: int, *, annex: bool) -> list[_Number]:
    """Read "7.5.2", "5.1 - 5.3, 5.5", "§6.1, §6.2" from `pos` (after a keyword) to `end`."""
    numbers: list[_Number] = []
    gap = _AFTER_KEYWORD_RE.match(text, pos, end)
    cursor = gap.end() if gap else pos
    is_range = False
    number_re = _ANNEX_NUMBER_RE if annex else _NUMBER_RE
    while True:
        match = number_re.match(text, cursor, end)
        if match is None:
            break
        if (
            numbers
            and not is_range
            and "." not in match.group("number")
            and "." in numbers[-1].number
            and not _plausible_integer_at(text, match.end(), end)
        ):
            # "clause 7.2 and 3 new starters": the 3 is a count, not clause 3.
            break
        item_end = match.end("item") if match.group("item") else match.end("number")
        numbers.append(
            _Number(match.start(), match.end("number"), match.group("number"), item_end, is_range)
        )
        cursor = match.end()
        separator = _SEPARATOR_RE.match(text, cursor, end)
        if separator is None:
            # "7.1.5 (Monitoring and measuring resources) and 8.4": a title between numbers.
            title = _TITLE_IN_LIST_RE.match(text, cursor, end)
            separator = _SEPARATOR_RE.match(text, title.end(), end) if title else None
        if separator is None or not number_re.match(text, separator.end(), end):
            break
        if annex and separator.group("keyword"):
            break  # "Annex A.4 and clauses 5.1-5.3": the clauses are a citation of their own
        is_range = separator.group("range") is not None
        cursor = separator.end()
    return numbers


def _plausible_integer(text: str, number: _Number, end: int) -> bool:
    """Right after a standard's name, a plain integer is a clause only if no word follows it.

    "ISO 9001 4.4" cites clause 4.4, but "ISO 9001 10 years ago" does not cite clause 10.
    """
    return "." in number.number or _plausible_integer_at(text, number.link_end, end)


def _plausible_integer_at(text: str, at: int, end: int) -> bool:
    rest = text[at : min(at + 40, end)].lstrip(" \t\u00a0")
    return (
        rest == ""
        or rest[0] in ",;:.)]\n-–—"
        or rest.startswith(("and ", "or ", "to ", "through ", "thru ", "bis ", "und ", "oder "))
    )


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
