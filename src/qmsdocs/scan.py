"""Adopt an existing manual: which clauses does each page address? (`qmsdocs scan`)

A manual written before qmsdocs (in Markdown, or exported from Word) cites clauses in its own
way and has no `clauses:` front matter. `scan_manual` reads its pages with the recogniser the
plugin uses (`Recognizer.scan`, `cite_heading`, `iter_source_headings`) and sorts what it finds
into clauses a page appears to **address** and clauses it merely **mentions**. `write_suggestions`
then adds the addressed clauses to each page's front matter, so that `qmsdocs check` and the
build count them.

A page addresses a clause (evidence kinds, in the order the report gives them):

- **declared**: its front matter already says so (`clauses:`).
- **heading**: a heading cites the clause by the plugin's own rule (`cite_heading`):
  `## 7.5.3 Control of documented information`, `## General Requirements (9.1.1)`,
  `## Allgemeine Anforderungen (9.1.1)`, `## Clause 9.2: Internal audit`.
- **statement**: a sentence near the top of the page says what the page is for and cites the
  clause, e.g. "This template documents ... according to ISO 9001:2015 Clause 4.4",
  "Dieses Dokument ... gemäß ISO 9001:2015 Kapitel 6.2", or a labelled line
  "Reference: ISO 9001:2015, Clause 8.5" / "Referenz: ...". Near the top means before the
  first second-level heading (HTML comments included: templates keep their notes there) or in
  a section headed Purpose, Scope, Introduction, Overview, References, Zweck,
  Geltungsbereich, Anwendungsbereich, Einleitung, Überblick, Referenzen (and similar). The
  sentence must be labelled, or name the page itself ("This document/procedure/template ...",
  "Dieses Dokument/Verfahren/Template ...") and either say "according to / in accordance with
  / as required by / gemäß / entsprechend / nach ..." or name the standard. A citation of
  whole top-level clauses ("Clause 6", "clauses 4-10") is a mention: it describes the
  standard, not the page.
- **table**: a row of a table on the page whose first cell is a clause number
  (`| 4.1 | Understanding the organization ... | ... |`), when the table belongs to the
  manual's standard: its header or the text above it names the standard, or it names no
  standard and its header says "Clause"/"Section"/"Kapitel"/"Requirement"... or most rows give
  the clause's own title.
- **mapping**: such a row on another page that names this page as where the clause is dealt
  with: a link to it, its number prefix (`| 4.1 | ... | 0010 | Context |` and a file
  `0010_Context_of_Organization.md`) or, when the row names no link or number, its title or
  file name (if that names one page only). A page with at least three such rows is a
  *mapping page*: it points elsewhere, so its own clause-citing headings
  ("### Clause 4: Context of the Organization") are mentions, not coverage.

Everything else that cites a clause is a **mention**: prose references anywhere, statements
that do not name the page, and headings that cite a clause but sit inside a section about
another one: a heading citing X nested under a heading citing Y, where X is neither Y, nor
above or below it, nor beside it under the same parent ("#### Customer Satisfaction (9.1.2)"
under "## Management Review Inputs (9.3.2)" is a mention, "### Customer property (8.5.3)"
under "## Identification and traceability (8.5.2)" is not), or a third-level or deeper
heading outside (neither at, above nor below) every clause the page's statements and front
matter name ("### Quality Policy (5.2)" on a page about 5.1).

Other standards. The recogniser binds a number to the standard named with it, so
"ISO 13485:2016 7.3" and rows of a table headed "ISO 13485:2016 Section" never count. A page
that names other standards (ISO 13485, IEC 62304, ...) and never the manual's own takes its
bare numbers ("clause 7.3", "(7.3)", "## Clause 7.3") to be those standards': they are neither
coverage nor mentions. Only a heading that gives the number with the manual's own clause title
("## 7.2 Competence") still counts there, as the title says which standard is meant.

The front matter `write_suggestions` adds lists the clauses the build would not count anyway:
a clause that a heading the build counts (the plugin's `heading_coverage`) already covers is
left out. When headings the build would count are mentions here, the front matter turns heading
coverage off for that page (`qmsdocs: {heading_coverage: "off"}`) and lists every clause the
page addresses, so that the build agrees with the scan. A clause below one already listed is
left out (a declaration covers its subclauses).

Writing keeps every byte of the page apart from the added front matter lines: the encoding
(UTF-8 with or without a byte order mark; other encodings are reported, since MkDocs reads
UTF-8 only), the line endings (LF, CRLF) and the presence or absence of a final newline.
Existing front matter is merged, not rewritten: new keys go before its closing line, and an
existing `clauses:` entry is replaced by the merged list. Each file is written to a temporary
file beside it and moved into place (`os.replace`).
"""

from __future__ import annotations

import bisect
import os
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, Literal

import yaml

from qmsdocs.coverage import Coverage, compute_coverage
from qmsdocs.findings import Finding, QMSDataError
from qmsdocs.manual import (
    HEADING_MODES,
    Declaration,
    Exclusion,
    HeadingMode,
    cite_heading,
    iter_source_headings,
    read_front_matter,
    split_front_matter,
    title_matches,
)
from qmsdocs.references import Recognizer
from qmsdocs.sourcefiles import (
    FRONT_MATTER_RE,
    PageSource,
    mask_code,
    read_page,
    write_atomically,
)
from qmsdocs.standards import Catalogue, resolve_catalogue

__all__ = [
    "Evidence",
    "FrontMatterError",
    "ManualLocation",
    "PageScan",
    "PageSource",
    "ScanResult",
    "Suggestion",
    "add_front_matter",
    "format_report",
    "locate_manual",
    "read_page",
    "scan_manual",
    "scan_sources",
    "write_suggestions",
]

EvidenceKind = Literal["declared", "heading", "statement", "table", "mapping", "mention"]
ADDRESS_KINDS: tuple[EvidenceKind, ...] = ("declared", "heading", "statement", "table", "mapping")

# A page with this many mapping rows pointing elsewhere is a mapping page.
MAPPING_PAGE_ROWS = 3

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
# Tables.
_TABLE_LINE_RE = re.compile(r"^[ ]{0,3}\|")
_SEPARATOR_RE = re.compile(r"^[ ]{0,3}\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$")
_CELL_SPLIT_RE = re.compile(r"(?<!\\)\|")
_CELL_CLAUSE_RE = re.compile(
    r"^(?:(?:sub-?)?clause|section|kapitel|abschnitt|§)?\s*"
    r"(?P<number>\d{1,2}(?:\.\d{1,2}){0,4})\.?(?:[\s:–—-]+(?P<title>.*))?$",
    re.IGNORECASE,
)
_CLAUSE_HEADER_RE = re.compile(
    r"clause|section|§|kapitel|abschnitt|norm|standard|requirement|anforderung|\biso\b|^nr\.?$"
    r"|^no\.?$|^ref",
    re.IGNORECASE,
)
_TITLE_HEADER_RE = re.compile(
    r"title|titel|requirement|anforderung|heading|überschrift|bezeichnung|thema|topic|subject"
    r"|description|beschreibung|inhalt",
    re.IGNORECASE,
)
_LINK_TARGET_RE = re.compile(
    r"\[[^\]]*\]\(\s*<?([^)\s>#]+\.md)(?:#[^)\s]*)?>?(?:\s+\"[^\"]*\")?\s*\)"
)
_BR_RE = re.compile(r"<br\s*/?>|;", re.IGNORECASE)
_MARKUP_RE = re.compile(r"[*_`\\]+")
_NUMBER_PREFIX_RE = re.compile(r"^(\d{2,6})(?=[_\-\s.]|$)")
# MultiMarkdown meta data, which MkDocs reads when a page has no YAML front matter.
_MMD_META_RE = re.compile(r"^[ ]{0,3}[A-Za-z0-9_-]+:\s*\S")
# Results ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Evidence:
    """Why a page appears to address (or mention) a clause.

    Attributes:
        clause: Clause id.
        kind: declared, heading, statement, table, mapping or mention.
        page: The page that addresses or mentions the clause.
        line: Line in the file where the evidence is written.
        text: The heading, sentence or table row, shortened.
        source: For "mapping", the page whose table names this page.
        note: Why a citation is only a mention, when it might look like more.
    """

    clause: str
    kind: EvidenceKind
    page: str
    line: int | None
    text: str
    source: str | None = None
    note: str = ""

    @property
    def where(self) -> str:
        """`path:line` of the evidence."""
        path = self.source or self.page
        return f"{path}:{self.line}" if self.line else path


@dataclass(frozen=True)
class Suggestion:
    """The front matter `--write` would give a page.

    Attributes:
        clauses: The whole `clauses:` list to write (existing entries first), or None to leave
            the page's clauses as they are.
        heading_coverage_off: Whether to add `qmsdocs: {heading_coverage: "off"}`.
    """

    clauses: tuple[str, ...] | None
    heading_coverage_off: bool = False

    @property
    def changes(self) -> bool:
        return self.clauses is not None or self.heading_coverage_off


@dataclass
class PageScan:
    """What the scan found on one page."""

    page: str
    title: str | None
    addresses: list[Evidence] = field(default_factory=list)
    mentions: list[Evidence] = field(default_factory=list)
    declared: tuple[str, ...] = ()
    foreign: tuple[str, ...] = ()
    mapping_page: bool = False
    suggestion: Suggestion = field(default_factory=lambda: Suggestion(None))
    notes: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)

    def clauses(self, catalogue: Catalogue, kinds: Iterable[str] = ADDRESS_KINDS) -> list[str]:
        """The clauses the page addresses (by the given kinds of evidence), in tree order."""
        wanted = set(kinds)
        found = {e.clause for e in self.addresses if e.kind in wanted}
        return [c.id for c in catalogue if c.id in found]


@dataclass
class ScanResult:
    """A scanned manual: each page's findings and the coverage they would give."""

    catalogue: Catalogue
    pages: list[PageScan]
    coverage: Coverage
    docs_dir: Path | None = None
    config_file: Path | None = None
    sources: dict[str, PageSource] = field(default_factory=dict)
    written: list[str] = field(default_factory=list)
    skipped: dict[str, str] = field(default_factory=dict)

    def page(self, path: str) -> PageScan:
        for page in self.pages:
            if page.page == path:
                return page
        raise KeyError(path)

    def by_clause(self, kinds: Iterable[str] = ADDRESS_KINDS) -> dict[str, list[str]]:
        """Each clause with the pages that address it (by the given kinds of evidence)."""
        wanted = set(kinds)
        result: dict[str, set[str]] = defaultdict(set)
        for page in self.pages:
            for evidence in page.addresses:
                if evidence.kind in wanted:
                    result[evidence.clause].add(page.page)
        return {c.id: sorted(result[c.id]) for c in self.catalogue if c.id in result}

    def to_data(self) -> dict[str, Any]:
        """The result as JSON-ready data (`qmsdocs scan --format json`)."""
        overall = self.coverage.summary()
        return {
            "catalogue": self.catalogue.id,
            "docs_dir": str(self.docs_dir) if self.docs_dir else None,
            "config": str(self.config_file) if self.config_file else None,
            "pages": [
                {
                    "page": p.page,
                    "title": p.title,
                    "addresses": p.clauses(self.catalogue),
                    "evidence": [_evidence_data(e) for e in p.addresses],
                    "mentions": [_evidence_data(e) for e in p.mentions],
                    "declared": list(p.declared),
                    "other_standards": list(p.foreign),
                    "mapping_page": p.mapping_page,
                    "suggested": {
                        "clauses": list(p.suggestion.clauses)
                        if p.suggestion.clauses is not None
                        else None,
                        "heading_coverage_off": p.suggestion.heading_coverage_off,
                    },
                    "notes": p.notes,
                }
                for p in self.pages
            ],
            "summary": {
                "required": overall.required,
                "addressed": overall.covered,
                "not_applicable": overall.not_applicable,
                "missing": overall.missing,
                "percent": overall.percent,
            },
            "missing": [c.id for c in self.coverage.missing()],
            "written": self.written,
            "skipped": self.skipped,
        }


def _evidence_data(evidence: Evidence) -> dict[str, Any]:
    data: dict[str, Any] = {
        "clause": evidence.clause,
        "kind": evidence.kind,
        "line": evidence.line,
        "text": evidence.text,
    }
    if evidence.source:
        data["source"] = evidence.source
    if evidence.note:
        data["note"] = evidence.note
    return data


# Reading one page --------------------------------------------------------------------------


@dataclass(frozen=True)
class _Heading:
    text: str
    level: int
    line: int
    clause: str | None  # the clause it cites (cite_heading), if any
    rule: str | None = None


@dataclass(frozen=True)
class _Row:
    line: int
    clause: str
    text: str
    targets: tuple[str, ...]  # cells that may name the page dealing with the clause


@dataclass
class _PageFacts:
    """What one page says, before the pages are put together."""

    page: str
    title: str | None
    stem_keys: tuple[str, ...]
    number_key: str | None
    declared: list[Evidence]
    declared_ids: tuple[str, ...]
    exclusions: list[Exclusion]
    status: str | None
    headings: list[_Heading]
    counted_headings: set[int]  # lines of headings the build counts
    statements: list[Evidence]
    prose_mentions: list[Evidence]
    rows: list[_Row]  # clause rows of tables of the manual's standard
    foreign: tuple[str, ...]
    has_qmsdocs_options: bool
    headings_off: bool  # the page already turns heading coverage off
    notes: list[str]
    findings: list[Finding]
    links: dict[int, list[str]] = field(default_factory=dict)  # row line -> linked pages


def _shorten(text: str, limit: int = 110) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _norm(text: str) -> str:
    text = _MARKUP_RE.sub("", text)
    text = re.sub(r"[_\-–—/,.:()]+", " ", text)
    return " ".join(text.casefold().split())


def _standards_named(
    text: str, recognizer: Recognizer, catalogue: Catalogue
) -> tuple[bool, list[str]]:
    """(whether `text` names the manual's standard, the other standards it names)."""
    ours = False
    others: dict[str, None] = {}
    for match in _DESIGNATION_RE.finditer(text):
        # "ISO-9001" is an informal spelling of "ISO 9001".
        bound = recognizer.bind(re.sub(r"(?<=[A-Z])-(?=\d)", " ", match.group(0)))
        if bound is catalogue:
            ours = True
        else:
            others[" ".join(match.group(0).split())] = None
    return ours, list(others)


def _family(a: str, b: str) -> bool:
    """Whether one clause is the other, or above or below it."""
    return a == b or a.startswith(b + ".") or b.startswith(a + ".")


def _parent(clause: str) -> str:
    return clause.rsplit(".", 1)[0] if "." in clause else ""


def _split_cells(line: str) -> list[str]:
    text = line.strip()
    if text.startswith("|"):
        text = text[1:]
    if text.endswith("|") and not text.endswith("\\|"):
        text = text[:-1]
    return [cell.strip() for cell in _CELL_SPLIT_RE.split(text)]


def _read_page_facts(
    page: str,
    text: str,
    catalogue: Catalogue,
    recognizer: Recognizer,
    heading_mode: HeadingMode,
) -> _PageFacts:
    front = read_front_matter(page, text, catalogue, recognizer)
    _raw, body, body_line = split_front_matter(text)
    masked, code_lines = mask_code(body)
    lines = masked.split("\n")
    notes: list[str] = []

    # Which standards the page names: a page that names only others cites their clauses.
    ours_named, others = _standards_named(masked, recognizer, catalogue)
    foreign = tuple(others) if others and not ours_named else ()

    # Headings, each with the clause it cites by the plugin's rule.
    page_mode = front.options.heading_coverage
    eval_mode: HeadingMode = (
        page_mode
        if page_mode in ("titles", "numbers")
        else heading_mode
        if heading_mode != "off"
        else "titles"
    )
    build_mode = page_mode or heading_mode
    headings: list[_Heading] = []
    counted: set[int] = set()
    for heading_text, level, line in iter_source_headings(body, body_line):
        cited = cite_heading(heading_text, catalogue, recognizer, eval_mode)
        headings.append(
            _Heading(
                heading_text,
                level,
                line,
                cited.clause if cited else None,
                cited.rule if cited else None,
            )
        )
        if build_mode != "off" and cite_heading(heading_text, catalogue, recognizer, build_mode):
            counted.add(line)
    title = front.data.get("title") if isinstance(front.data.get("title"), str) else None
    if title is None:
        title = next((h.text for h in headings if h.level == 1), None)
    heading_lines = {h.line for h in headings}

    # Regions where a page says what it is for: the lead, and purpose-like sections.
    region_lines: set[int] = set()
    first_section = next((h.line for h in headings if h.level >= 2), None)
    last_line = body_line + len(lines) - 1
    region_lines.update(range(body_line, (first_section or last_line + 1)))
    for index, heading in enumerate(headings):
        if heading.level >= 2 and _PURPOSE_RE.match(heading.text):
            end = next(
                (h.line for h in headings[index + 1 :] if h.level <= heading.level),
                last_line + 1,
            )
            region_lines.update(range(heading.line + 1, end))

    # Tables whose first column holds clause numbers of the manual's standard.
    rows, row_lines = _clause_rows(
        lines, code_lines, body_line, headings, catalogue, recognizer, foreign
    )

    # Prose citations: statements near the top, mentions elsewhere.
    statements: list[Evidence] = []
    mentions: list[Evidence] = []
    starts = [0]
    for line_text in lines[:-1]:
        starts.append(starts[-1] + len(line_text) + 1)
    boundaries = [(m.start(), m.end()) for m in _BOUNDARY_RE.finditer(masked)]
    boundary_starts = [b[0] for b in boundaries]
    boundary_ends = [b[1] for b in boundaries]
    for citation in recognizer.scan(masked):
        if citation.catalogue != catalogue.id or not citation.clauses:
            continue
        index = bisect.bisect_right(starts, citation.start) - 1
        line = body_line + index
        if line in row_lines:
            continue
        if line in heading_lines and any(h.line == line and h.clause for h in headings):
            continue
        before = bisect.bisect_right(boundary_ends, citation.start) - 1
        sentence_start = boundary_ends[before] if before >= 0 else 0
        after = bisect.bisect_left(boundary_starts, citation.end)
        sentence_end = boundary_starts[after] if after < len(boundaries) else len(masked)
        sentence = masked[sentence_start:sentence_end]
        line_text = lines[index]
        own_standard = _standards_named(
            masked[sentence_start : citation.end], recognizer, catalogue
        )[0]
        if foreign and not own_standard:
            # A page about another standard: its bare numbers are that standard's.
            continue
        # "Clause 6", "clauses 4-10": whole clauses describe the standard, not the page.
        whole_standard = all("." not in c for c in citation.clauses)
        statement_place = line in region_lines and line not in heading_lines
        statement = (
            statement_place
            and not whole_standard
            and (
                bool(_LABEL_RE.match(line_text))
                or (
                    bool(_SUBJECT_RE.search(sentence))
                    and (bool(_ACCORD_RE.search(sentence)) or own_standard)
                )
            )
        )
        kind: EvidenceKind = "statement" if statement else "mention"
        note = "names whole clauses of the standard" if whole_standard and statement_place else ""
        target = statements if statement else mentions
        for clause in citation.clauses:
            target.append(Evidence(clause, kind, page, line, _shorten(sentence), note=note))

    declared = [
        Evidence(d.clause, "declared", page, d.line, "front matter clauses:") for d in front.clauses
    ]
    stem = PurePosixPath(page).stem
    number = _NUMBER_PREFIX_RE.match(stem)
    stem_keys = {_norm(stem)}
    if number:
        stem_keys.add(_norm(stem[number.end() :]))
    if title:
        stem_keys.add(_norm(title))
    stem_keys.discard("")
    return _PageFacts(
        page=page,
        title=title,
        stem_keys=tuple(sorted(stem_keys)),
        number_key=number.group(1) if number else None,
        declared=declared,
        declared_ids=tuple(dict.fromkeys(d.clause for d in front.clauses)),
        exclusions=front.exclusions,
        status=front.document.status if front.document else None,
        headings=headings,
        counted_headings=counted,
        statements=statements,
        prose_mentions=mentions,
        rows=rows,
        foreign=foreign,
        has_qmsdocs_options="qmsdocs" in front.data,
        headings_off=page_mode == "off",
        notes=notes,
        findings=front.findings,
    )


def _clause_rows(
    lines: list[str],
    code_lines: set[int],
    body_line: int,
    headings: list[_Heading],
    catalogue: Catalogue,
    recognizer: Recognizer,
    foreign: tuple[str, ...],
) -> tuple[list[_Row], set[int]]:
    """Rows of the page's tables whose first cell is a clause of the manual's standard."""
    rows: list[_Row] = []
    row_lines: set[int] = set()
    index = 0
    while index < len(lines):
        if (
            index in code_lines
            or not _TABLE_LINE_RE.match(lines[index])
            or index + 1 >= len(lines)
            or not _SEPARATOR_RE.match(lines[index + 1])
            or "-" not in lines[index + 1]
        ):
            index += 1
            continue
        header = _split_cells(lines[index])
        start = index
        index += 2
        body: list[tuple[int, list[str]]] = []
        while index < len(lines) and _TABLE_LINE_RE.match(lines[index]):
            body.append((index, _split_cells(lines[index])))
            index += 1
        table_rows: list[tuple[int, str, str | None, list[str], str]] = []
        for row_index, cells in body:
            if not cells:
                continue
            match = _CELL_CLAUSE_RE.match(_MARKUP_RE.sub("", cells[0]).strip())
            if match is None:
                continue
            clause = catalogue.get(match.group("number"))
            if clause is None or not clause.requirements:
                continue
            title = match.group("title")
            rest = cells[1:]
            if not title and rest:
                title_cell = len(header) > 1 and _TITLE_HEADER_RE.search(header[1])
                if title_cell or (clause.title and title_matches(_norm(rest[0]), clause.title)):
                    title, rest = rest[0], rest[1:]
            table_rows.append((row_index, clause.id, title, rest, lines[row_index]))
        filled = [cells for _i, cells in body if any(c.strip() for c in cells)]
        if not table_rows or len(table_rows) * 2 < len(filled):
            continue
        # Whose clauses are these? The header, else the text since the last heading, else the
        # page; a table that names no standard must look like a clause table.
        line_of_table = body_line + start
        previous = max((h.line for h in headings if h.line < line_of_table), default=body_line)
        context = "\n".join(lines[previous - body_line : start])
        ours, others = _standards_named(" ".join(header), recognizer, catalogue)
        if not ours and not others:
            ours, others = _standards_named(context, recognizer, catalogue)
        if not ours and (others or foreign):
            continue
        if not ours:
            # No standard named: the rows must give the clauses' own titles, or, without
            # titles, the header must say that the first column holds clauses.
            titled = [(clause_id, title) for _i, clause_id, title, _r, _t in table_rows if title]
            matching = [
                clause_id
                for clause_id, title in titled
                if title_matches(_norm(title), catalogue[clause_id].title or "")
            ]
            if titled and len(matching) * 2 < len(titled):
                continue
            if not titled and not (header and _CLAUSE_HEADER_RE.search(header[0])):
                continue
        for row_index, clause_id, _title, rest, raw in table_rows:
            rows.append(_Row(body_line + row_index, clause_id, _shorten(raw), tuple(rest)))
            row_lines.add(body_line + row_index)
    return rows, row_lines


# Putting the pages together ----------------------------------------------------------------


def _resolve_targets(
    row: _Row,
    facts: _PageFacts,
    by_number: dict[str, list[str]],
    by_key: dict[str, list[str]],
    known: set[str],
) -> list[str]:
    """The pages a mapping row names: links, then number prefixes, then unique titles."""
    found: list[str] = []
    base = PurePosixPath(facts.page).parent
    for cell in row.targets:
        for link in _LINK_TARGET_RE.findall(cell):
            path = os.path.normpath(str(base / link)).replace(os.sep, "/")
            if path in known:
                found.append(path)
    if not found:
        for cell in row.targets:
            for item in _BR_RE.split(cell):
                key = _MARKUP_RE.sub("", item).strip()
                found += by_number.get(key, [])
    if not found:
        for cell in row.targets:
            for item in _BR_RE.split(cell):
                pages = by_key.get(_norm(item), [])
                if len(pages) == 1:
                    found += pages
    return [p for p in dict.fromkeys(found) if p != facts.page]


def scan_sources(
    sources: Sequence[tuple[str, str]],
    catalogue: Catalogue,
    *,
    heading_mode: HeadingMode = "titles",
    parent_covers_children: bool = True,
    mapping_tables: bool = True,
) -> ScanResult:
    """Scan `(docs-relative path, Markdown source)` pairs (see the module docstring).

    Arguments:
        heading_mode: The plugin's `heading_coverage` option: which headings the build counts.
        parent_covers_children: The plugin's option of that name, for the coverage summary.
        mapping_tables: Whether rows of one page's mapping table count for the pages they name.
    """
    recognizer = Recognizer([catalogue])
    facts = [_read_page_facts(p, t, catalogue, recognizer, heading_mode) for p, t in sources]
    known = {f.page for f in facts}
    by_number: dict[str, list[str]] = defaultdict(list)
    by_key: dict[str, list[str]] = defaultdict(list)
    for fact in facts:
        if fact.number_key:
            by_number[fact.number_key].append(fact.page)
        for key in fact.stem_keys:
            by_key[key].append(fact.page)

    # Mapping rows: evidence for the pages they name.
    mapped: dict[str, list[Evidence]] = defaultdict(list)
    own_rows: dict[str, list[Evidence]] = defaultdict(list)
    row_mentions: dict[str, list[Evidence]] = defaultdict(list)
    mapping_pages: set[str] = set()
    for fact in facts:
        resolved = [
            (row, _resolve_targets(row, fact, by_number, by_key, known)) for row in fact.rows
        ]
        pointing = [r for r in resolved if r[1]]
        if len(pointing) >= MAPPING_PAGE_ROWS:
            mapping_pages.add(fact.page)
        for row, targets in resolved:
            if targets:
                for target in targets:
                    evidence = Evidence(
                        row.clause, "mapping", target, row.line, row.text, fact.page
                    )
                    if mapping_tables:
                        mapped[target].append(evidence)
                    row_mentions[fact.page].append(
                        Evidence(
                            row.clause,
                            "mention",
                            fact.page,
                            row.line,
                            row.text,
                            note=f"mapping row naming {target}",
                        )
                    )
            elif pointing:
                row_mentions[fact.page].append(
                    Evidence(
                        row.clause,
                        "mention",
                        fact.page,
                        row.line,
                        row.text,
                        note="mapping row whose page was not found",
                    )
                )
            else:
                own_rows[fact.page].append(
                    Evidence(row.clause, "table", fact.page, row.line, row.text)
                )

    pages: list[PageScan] = []
    declarations: list[Declaration] = []
    exclusions: list[Exclusion] = []
    for fact in facts:
        scan = _finish_page(fact, catalogue, fact.page in mapping_pages)
        scan.addresses += own_rows[fact.page] + mapped[fact.page]
        scan.mentions += row_mentions[fact.page]
        scan.addresses.sort(
            key=lambda e: (catalogue[e.clause].order, ADDRESS_KINDS.index(e.kind), e.line or 0)
        )
        scan.mentions.sort(key=lambda e: (e.line or 0, catalogue[e.clause].order))
        scan.suggestion = _suggest(fact, scan, catalogue)
        pages.append(scan)
        exclusions += fact.exclusions
        for evidence in scan.addresses:
            heading = evidence.kind == "heading"
            declarations.append(
                Declaration(
                    catalogue.id,
                    evidence.clause,
                    fact.page,
                    evidence.line,
                    None,
                    evidence.text if heading else None,
                    "heading" if heading else "front-matter",
                    fact.status,
                )
            )
    coverage = compute_coverage(
        catalogue, declarations, exclusions, parent_covers_children=parent_covers_children
    )
    return ScanResult(catalogue, pages, coverage)


def _finish_page(fact: _PageFacts, catalogue: Catalogue, mapping_page: bool) -> PageScan:
    """Classify the page's headings and put its evidence together."""
    scan = PageScan(
        fact.page,
        fact.title,
        declared=fact.declared_ids,
        foreign=fact.foreign,
        mapping_page=mapping_page,
        notes=list(fact.notes),
        findings=list(fact.findings),
    )
    scan.addresses += fact.declared + fact.statements
    scan.mentions += fact.prose_mentions
    subject = {e.clause for e in fact.statements} | set(fact.declared_ids)
    # The headings that enclose the current one: (level, clause or None, text).
    stack: list[tuple[int, str | None, str]] = []
    for heading in fact.headings:
        while stack and stack[-1][0] >= heading.level:
            stack.pop()
        enclosing = next(((c, t) for _l, c, t in reversed(stack) if c), None)
        stack.append((heading.level, heading.clause, heading.text))
        clause = heading.clause
        if clause is None or not catalogue[clause].requirements:
            continue  # "## 1. Scope" is no requirement of the standard
        if fact.foreign and heading.rule != "title":
            # On a page about another standard only the clause's own title confirms that
            # "## 7.2 Competence" is ours; "(7.3)" or "Clause 7.3" are that standard's.
            continue
        note = ""
        if mapping_page:
            note = "a heading of a mapping page"
        elif (
            enclosing is not None
            and not _family(clause, enclosing[0])
            and _parent(clause) != _parent(enclosing[0])
        ):
            note = f"under the heading '{enclosing[1]}'"
        elif (
            enclosing is None
            and heading.level >= 3
            and subject
            and not any(_family(clause, s) for s in subject)
        ):
            note = "a subsection outside the page's subject (" + ", ".join(sorted(subject)) + ")"
        kind: EvidenceKind = "mention" if note else "heading"
        target = scan.mentions if note else scan.addresses
        target.append(Evidence(clause, kind, fact.page, heading.line, heading.text, note=note))
        misnumbered = _misnumbered(heading, catalogue)
        if misnumbered:
            scan.notes.append(misnumbered)
    if fact.foreign:
        scan.notes.append(
            "names " + ", ".join(fact.foreign) + " but not the manual's standard: its clause "
            "numbers are taken to be those standards'"
        )
    return scan


def _misnumbered(heading: _Heading, catalogue: Catalogue) -> str | None:
    """A hint when "People (7.2)" reads like another clause's title (7.1.2 People)."""
    if heading.rule != "parentheses" or heading.clause is None:
        return None
    text = _norm(heading.text[: heading.text.rfind("(")])
    cited = catalogue[heading.clause]
    if not text or cited.title is None or _norm(cited.title) == text:
        return None
    others = [c for c in catalogue if c.requirements and c.title and _norm(c.title) == text]
    if not others or title_matches(text, cited.title or ""):
        return None
    return (
        f"line {heading.line}: the heading '{heading.text}' cites {cited.id} "
        f"{cited.title}, but its text is the title of {others[0].id} {others[0].title}: "
        "check the number"
    )


def _suggest(fact: _PageFacts, scan: PageScan, catalogue: Catalogue) -> Suggestion:
    """The front matter that makes the build count what the scan found."""
    # Headings the build counts but the scan calls mentions: turn heading coverage off.
    counted_mentions = [e for e in scan.mentions if e.line in fact.counted_headings]
    heading_off = bool(counted_mentions) and not fact.headings_off
    if heading_off and fact.has_qmsdocs_options:
        scan.notes.append(
            "headings here cite clauses the scan takes as mentions, but the page already has "
            "qmsdocs: options; add heading_coverage: off there by hand"
        )
        heading_off = False
    headings_count = not (heading_off or fact.headings_off)
    # Clauses the build takes from the page's headings need no front matter.
    by_headings = {
        e.clause
        for e in scan.addresses
        if e.kind == "heading" and headings_count and e.line in fact.counted_headings
    }
    wanted: list[str] = []
    for evidence in scan.addresses:
        clause = evidence.clause
        if evidence.kind == "declared" or clause in by_headings:
            continue
        if any(clause.startswith(c + ".") for c in by_headings):
            continue
        wanted.append(clause)
    existing = list(fact.declared_ids)
    chosen = set(existing)
    new: list[str] = []
    for clause in sorted(set(wanted), key=lambda c: catalogue[c].order):
        if clause in chosen or any(clause.startswith(c + ".") for c in chosen):
            continue  # declared already, or an enclosing clause is
        new.append(clause)
        chosen.add(clause)
    # A clause whose parent is added later in tree order cannot occur (tree order is parent
    # first), so `new` holds no clause below another one of it.
    clauses = tuple(existing + new) if new else None
    return Suggestion(clauses, heading_off)


# Files ---------------------------------------------------------------------------------------


class _LenientLoader(yaml.SafeLoader):
    """Reads mkdocs.yml without the Python objects and environment tags MkDocs allows."""


def _ignore_tag(loader: yaml.SafeLoader, _suffix: str, node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        return loader.construct_scalar(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node)
    if isinstance(node, yaml.MappingNode):
        return loader.construct_mapping(node)
    return None


_LenientLoader.add_multi_constructor("!", _ignore_tag)
_LenientLoader.add_multi_constructor("tag:yaml.org,2002:python/", _ignore_tag)


@dataclass(frozen=True)
class ManualLocation:
    """Where a manual's pages are, and the qmsdocs options of its mkdocs.yml (if it has one)."""

    docs_dir: Path
    config_file: Path | None = None
    options: dict[str, Any] = field(default_factory=dict)


def locate_manual(path: Path) -> ManualLocation:
    """A folder of pages, a folder with mkdocs.yml, or mkdocs.yml itself.

    Raises:
        QMSDataError: The path does not exist, or mkdocs.yml cannot be read.
    """
    config: Path | None = None
    if path.is_file() and path.suffix in (".yml", ".yaml"):
        config = path
    elif path.is_dir() and (path / "mkdocs.yml").is_file():
        config = path / "mkdocs.yml"
    elif path.is_dir():
        return ManualLocation(path)
    else:
        raise QMSDataError(
            [
                Finding(
                    "not-found",
                    "no such folder or mkdocs.yml",
                    str(path),
                    hint="give the folder of the Markdown pages, or mkdocs.yml",
                )
            ]
        )
    try:
        data = yaml.load(config.read_text(encoding="utf-8-sig"), Loader=_LenientLoader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        raise QMSDataError(
            [Finding("bad-config", f"cannot read the configuration: {error}", str(config))]
        ) from None
    if not isinstance(data, dict):
        raise QMSDataError(
            [Finding("bad-config", "the configuration is not a mapping", str(config))]
        )
    docs_dir = config.parent / str(data.get("docs_dir") or "docs")
    options: dict[str, Any] = {}
    plugins = data.get("plugins")
    if isinstance(plugins, list):
        for item in plugins:
            if isinstance(item, dict) and isinstance(item.get("qmsdocs"), dict):
                options = item["qmsdocs"]
    elif isinstance(plugins, dict) and isinstance(plugins.get("qmsdocs"), dict):
        options = plugins["qmsdocs"]
    if not docs_dir.is_dir():
        raise QMSDataError(
            [Finding("not-found", f"the docs folder {docs_dir} does not exist", str(config))]
        )
    return ManualLocation(docs_dir, config, options)


def _markdown_files(docs_dir: Path) -> list[Path]:
    files = []
    for path in sorted(docs_dir.rglob("*")):
        relative = path.relative_to(docs_dir)
        if any(part.startswith(".") for part in relative.parts):
            continue
        if path.suffix.lower() in (".md", ".markdown") and path.is_file():
            files.append(path)
    return files


def scan_manual(
    path: Path,
    standard: str | None = None,
    *,
    mapping_tables: bool = True,
) -> ScanResult:
    """Scan the pages of a manual (see `locate_manual`) against a standard.

    Arguments:
        standard: Catalogue id or file; default: the one mkdocs.yml configures, else ISO 9001:2015.

    Raises:
        QMSDataError: The manual or the catalogue cannot be read.
    """
    location = locate_manual(path)
    options = location.options
    spec = standard or str(options.get("standard") or "iso9001-2015")
    base = location.config_file.parent if location.config_file else None
    catalogue = resolve_catalogue(spec, base)
    mode = options.get("heading_coverage", "titles")
    if mode is False:
        mode = "off"
    heading_mode: HeadingMode = mode if mode in HEADING_MODES else "titles"
    parent = options.get("parent_covers_children", True) is not False
    sources: dict[str, PageSource] = {}
    pairs: list[tuple[str, str]] = []
    for file in _markdown_files(location.docs_dir):
        page = file.relative_to(location.docs_dir).as_posix()
        try:
            source = read_page(file)
        except OSError as error:
            raise QMSDataError(
                [Finding("unreadable-file", f"cannot read the file: {error.strerror}", page)]
            ) from None
        sources[page] = source
        pairs.append((page, source.text))
    if not pairs:
        raise QMSDataError(
            [Finding("no-pages", "no Markdown pages (*.md) found", str(location.docs_dir))]
        )
    result = scan_sources(
        pairs,
        catalogue,
        heading_mode=heading_mode,
        parent_covers_children=parent,
        mapping_tables=mapping_tables,
    )
    result.docs_dir = location.docs_dir
    result.config_file = location.config_file
    result.sources = sources
    for scan in result.pages:
        source = sources[scan.page]
        if source.encoding not in ("utf-8",):
            scan.notes.append(
                f"not UTF-8 (read as {source.encoding}): MkDocs reads pages as UTF-8 only; "
                "convert it"
            )
    return result


class FrontMatterError(ValueError):
    """The page's front matter cannot be merged safely."""


def add_front_matter(source: PageSource, suggestion: Suggestion) -> str:
    """The page's text with the suggested front matter added; every other byte as it was.

    Raises:
        FrontMatterError: The page's front matter is not valid YAML, or the page starts with
            MultiMarkdown meta data (which YAML front matter would turn into text).
    """
    original, nl = source.original, source.newline
    entries: list[str] = []
    if suggestion.clauses is not None:
        entries.append("clauses: [" + ", ".join(f'"{c}"' for c in suggestion.clauses) + "]")
    if suggestion.heading_coverage_off:
        entries.append('qmsdocs: {heading_coverage: "off"}')
    if not entries:
        return original
    comment = "# Clauses suggested by `qmsdocs scan`: check them, then edit as you see fit."
    match = FRONT_MATTER_RE.match(original)
    data: Any = None
    if match is not None:
        try:
            data = yaml.safe_load(match.group("yaml"))
        except yaml.YAMLError as error:
            raise FrontMatterError(f"its front matter is not valid YAML ({error})") from None
    if match is None or not (data is None or isinstance(data, dict)):
        first = original.split("\n", 1)[0]
        if _MMD_META_RE.match(first) and not first.lstrip().startswith(("#", "|", "-", "<")):
            raise FrontMatterError(
                "it starts with MultiMarkdown meta data; turn it into YAML front matter first"
            )
        block = nl.join(["---", comment, *entries, "---"]) + nl
        result = block + original
    else:
        yaml_text = match.group("yaml")
        lines = yaml_text.splitlines(keepends=True)
        if suggestion.clauses is not None and isinstance(data, dict) and "clauses" in data:
            start = next(i for i, line in enumerate(lines) if re.match(r"clauses[ \t]*:", line))
            end = start + 1
            while end < len(lines) and (
                lines[end][:1] in (" ", "\t")
                or (lines[end].startswith("-") and not lines[end].startswith("---"))
                or not lines[end].strip()
            ):
                end += 1
            while end > start + 1 and not lines[end - 1].strip():
                end -= 1
            ending = lines[end - 1][len(lines[end - 1].rstrip("\r\n")) :] or nl
            lines[start:end] = [entries[0] + ending]
            entries = entries[1:]
        if lines and not lines[-1].endswith(("\n", "\r")):
            lines[-1] += nl
        lines += [entry + nl for entry in entries]
        result = original[: match.start("yaml")] + "".join(lines) + original[match.start("close") :]
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
        raise FrontMatterError("its clauses: entry could not be merged; edit it by hand")


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
        write_atomically(result.docs_dir / scan.page, data)
        result.written.append(scan.page)
    return result


# Report --------------------------------------------------------------------------------------

_KIND_LABELS = {
    "declared": "front matter",
    "heading": "heading",
    "statement": "statement",
    "table": "table row",
    "mapping": "mapping row",
}


def format_report(result: ScanResult, *, written: bool = False) -> str:
    """The scan as text, page by page, then the coverage the suggestions would give."""
    catalogue = result.catalogue
    where = result.config_file or result.docs_dir
    lines = [f"qmsdocs scan: {len(result.pages)} pages of {where} against {catalogue.label}", ""]
    silent: list[str] = []
    for page in result.pages:
        if not page.addresses and not page.mentions and not page.notes:
            silent.append(page.page)
            continue
        title = f"  ({page.title})" if page.title else ""
        lines.append(f"{page.page}{title}")
        by_clause: dict[str, list[Evidence]] = defaultdict(list)
        for evidence in page.addresses:
            by_clause[evidence.clause].append(evidence)
        for clause_id, items in by_clause.items():
            lines.append(f"  addresses {clause_id:<8} {_evidence_summary(items)}")
        mentioned = list(dict.fromkeys(e.clause for e in page.mentions))
        if mentioned:
            lines.append("  mentions  " + _wrap_ids(mentioned))
        explained: dict[tuple[int, str], list[str]] = defaultdict(list)
        for evidence in page.mentions:
            if (
                evidence.note
                and evidence.line is not None
                and not evidence.note.startswith("mapping row")
            ):
                explained[(evidence.line, evidence.note)].append(evidence.clause)
        for (line, note), ids in explained.items():
            lines.append(f"    line {line}: {', '.join(ids)} only mentioned: {note}")
        if page.mapping_page:
            lines.append("  a mapping page: its rows count for the pages they name")
        for note in page.notes:
            lines.append(f"  note: {note}")
        if page.suggestion.changes:
            parts = []
            if page.suggestion.clauses is not None:
                parts.append(
                    "clauses: [" + ", ".join(f'"{c}"' for c in page.suggestion.clauses) + "]"
                )
            if page.suggestion.heading_coverage_off:
                parts.append('qmsdocs: {heading_coverage: "off"}')
            verb = "wrote" if page.page in result.written else "suggest"
            if page.page in result.skipped:
                verb = "skipped"
            lines.append(f"  {verb:<9} " + "; ".join(parts))
            if page.page in result.skipped:
                lines.append(f"            ({result.skipped[page.page]})")
        lines.append("")
    if silent:
        lines.append(f"No clause citations: {', '.join(silent)}")
        lines.append("")
    overall = result.coverage.summary()
    lines.append(
        f"Coverage with these suggestions: {overall.covered} of {overall.required} "
        f"lowest-level clauses of {catalogue.label} addressed, {overall.not_applicable} not "
        f"applicable, {overall.missing} missing ({overall.percent} % of the applicable ones)."
    )
    missing = result.coverage.missing()
    if missing:
        lines.append("Required clauses nothing seems to address:")
        lines += [
            f"  {c.id:<8} {c.title or '(' + catalogue.context_title(c.id) + ')'}" for c in missing
        ]
    changing = [p.page for p in result.pages if p.suggestion.changes]
    if written:
        lines.append(
            f"Wrote front matter to {len(result.written)} page(s)"
            + (f"; skipped {len(result.skipped)} (see above)." if result.skipped else ".")
        )
        if result.config_file is None and result.written:
            lines.append(
                "This folder has no mkdocs.yml: point docs_dir of a site with the qmsdocs "
                "plugin at it (or start one with `qmsdocs init`) to check and build it."
            )
    elif changing:
        lines.append(
            f"Nothing was changed. `qmsdocs scan --write` adds the suggested front matter to "
            f"{len(changing)} page(s)."
        )
    else:
        lines.append("Nothing to change: the front matter already says what the pages address.")
    return "\n".join(lines) + "\n"


def _evidence_summary(items: list[Evidence]) -> str:
    parts: list[str] = []
    for kind in ADDRESS_KINDS:
        chosen = [e for e in items if e.kind == kind]
        if not chosen:
            continue
        if kind == "mapping":
            places = ", ".join(e.where for e in chosen)
        else:
            places = (
                "line " + ", ".join(str(e.line) for e in chosen if e.line)
                if any(e.line for e in chosen)
                else ""
            )
        label = _KIND_LABELS[kind]
        if kind == "heading":
            label += " '" + chosen[0].text + "'" + (" ..." if len(chosen) > 1 else "")
        parts.append(f"{label} ({places})" if places else label)
    return "; ".join(parts)


def _wrap_ids(ids: list[str], width: int = 80) -> str:
    text = ", ".join(ids)
    if len(text) <= width:
        return text
    out, line = [], ""
    for clause_id in ids:
        piece = clause_id + ", "
        if len(line) + len(piece) > width:
            out.append(line.rstrip())
            line = ""
        line += piece
    out.append(line.rstrip(", "))
    return ("\n" + " " * 12).join(out)
