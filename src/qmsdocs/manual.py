"""What a manual page says about itself: front matter declarations and clause-citing headings.

A page addresses clauses in two ways:

- **Front matter** `clauses: ["7.5", "7.5.3"]`: the page addresses these clauses.
- **Headings** that cite a clause: the section addresses it. A heading cites a clause when
  1. it starts with the clause number followed by the clause's own title or a close variant
     (`## 7.5.3 Control of documented information`, `## 7.1.6 Organisational knowledge`);
  2. it ends with the clause number in parentheses (`### Design inputs (8.3.3)`); or
  3. it names the standard or says "clause" before the number
     (`## ISO 9001 8.4 Control of external providers`, `## Clause 9.2: Internal audit`).

  A procedure's own section numbers (`### 4.1 Confirm the workflow`) are none of these: the
  text after the number is not the clause's title. With `heading_coverage: numbers` (for a
  manual structured strictly by clause) any heading that starts with a clause number counts;
  with `off`, headings never count.

Front matter also carries `not_applicable:` (clause -> justification, ISO 9001 4.3) and
per-page options under `qmsdocs:`. Everything here is pure: text in, declarations and findings
out, so that the plugin and `qmsdocs check` reach the same verdicts.
"""

from __future__ import annotations

import difflib
import html
import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from qmsdocs.binding import Binding
from qmsdocs.documents import DEFAULT_REQUIRED, DocumentControl, read_document
from qmsdocs.findings import Finding, QMSDataError, Severity
from qmsdocs.harmonized import same_clause, title_key
from qmsdocs.records import Declaration, Exclusion
from qmsdocs.references import Recognizer
from qmsdocs.scopes import read_standard_key
from qmsdocs.sourcefiles import code_lines, split_front_matter
from qmsdocs.standards import CLAUSE_ID_RE, Catalogue, builtin_catalogue_ids
from qmsdocs.yamlio import line_of, parse_yaml

__all__ = [
    "HEADING_MODES",
    "Declaration",
    "Exclusion",
    "FrontMatter",
    "HeadingCitation",
    "PageOptions",
    "cite_heading",
    "iter_source_headings",
    "parse_clause_id",
    "read_front_matter",
    "split_front_matter",
    "title_matches",
    "title_words",
    "unknown_heading_finding",
]

HeadingMode = Literal["titles", "numbers", "off"]
HEADING_MODES: tuple[HeadingMode, ...] = ("titles", "numbers", "off")

_PAGE_OPTIONS = {"heading_coverage", "link_clauses", "link_terms", "not_terms"}
LINK_TERMS = ("first", "all", "off")


@dataclass(frozen=True, slots=True)
class PageOptions:
    """Per-page options from front matter `qmsdocs: {...}`; None means "as configured"."""

    heading_coverage: HeadingMode | None = None
    link_clauses: bool | None = None
    link_terms: Literal["first", "all", "off"] | None = None
    not_terms: tuple[str, ...] = ()  # phrases never linked as terms on this page


@dataclass
class FrontMatter:
    """What qmsdocs reads from one page's front matter."""

    page: str
    clauses: list[Declaration] = field(default_factory=list)
    exclusions: list[Exclusion] = field(default_factory=list)
    options: PageOptions = field(default_factory=PageOptions)
    document: DocumentControl | None = None
    standard: Binding | None = None  # `standard:`, what the page's clause numbers belong to
    data: dict[str, Any] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    body_line: int = 1  # line of the file on which the Markdown body starts


@dataclass(frozen=True, slots=True)
class HeadingCitation:
    """A heading that cites a clause (see the module docstring for the rule).

    Attributes:
        clause: The (first) clause it cites.
        rule: Which rule it follows.
        catalogue: Another loaded edition named in the heading; None: ours.
        clauses: Every clause it cites: "(Clauses 4.1 and 4.2)" cites two.
        overview: A top-level clause ("Planning (Clause 6)") or a range ("Clauses 4-5"): the
            section gives an overview, it does not address the clauses below. A reference,
            never coverage.
    """

    clause: str
    rule: Literal["title", "parentheses", "explicit", "number"]
    catalogue: str | None = None
    clauses: tuple[str, ...] = ()
    overview: bool = False


# Clause ids in front matter ---------------------------------------------------------------


def parse_clause_id(
    value: Any, catalogue: Catalogue, recognizer: Recognizer
) -> tuple[str | None, str | None]:
    """Read a clause id of `catalogue` as written in front matter (see `parse_clause_ref`).

    Returns (clause id, None) or (None, problem hint).
    """
    bound, clause_id, hint = parse_clause_ref(value, catalogue, recognizer)
    if clause_id is not None and bound is not catalogue:
        return None, f"'{value}' names {bound.label}, not {catalogue.label}"
    return clause_id, hint


def parse_clause_ref(
    value: Any, catalogue: Catalogue, recognizer: Recognizer
) -> tuple[Catalogue, str | None, str | None]:
    """Read a clause id as written in front matter: (catalogue, clause id, problem hint).

    A plain id is `catalogue`'s; "ISO 9001:2026 6.1.3" names the edition it belongs to, if the
    recogniser knows it (during a transition both editions are loaded).

    Understood without doubt: "7.5", " 7.5 ", "7.5." (a trailing full stop), 8 (an integer),
    "clause 7.5", "ISO 9001:2015 7.5". Rejected with a hint, never guessed: 7.5 unquoted (YAML
    reads a float, and 7.10 would silently become 7.1), "7,5", "07.5", "7.5.3.a".
    """
    if isinstance(value, bool) or value is None:
        return catalogue, None, 'a clause id is text such as "7.5.3"'
    if isinstance(value, float):
        return catalogue, None, _unquoted_hint(value)
    if isinstance(value, int):
        value = str(value)
    if not isinstance(value, str):
        return catalogue, None, 'a clause id is text such as "7.5.3"'
    text = value.strip()
    qualified = _QUALIFIED_RE.fullmatch(text)
    if qualified is not None:
        # "iso14001-2015:6.1.2": a clause of another standard the manual claims.
        name = qualified.group("standard")
        if name.lower() == "clause":  # "clause: 7.5" names the clause, not a standard
            return parse_clause_ref(qualified.group("clause"), catalogue, recognizer)
        bound = recognizer.loaded(name)
        if bound is None:
            return catalogue, None, _unknown_standard(name, recognizer)
        _same, clause_id, hint = parse_clause_ref(qualified.group("clause"), bound, recognizer)
        return bound, clause_id, hint
    if text.endswith(".") and CLAUSE_ID_RE.fullmatch(text[:-1]):
        text = text[:-1]
    if not CLAUSE_ID_RE.fullmatch(text):
        # "ISO 9001:2015 7.5" or "clause 7.5": only if it is one unambiguous citation.
        citations = recognizer.scan(text)
        if len(citations) == 1 and citations[0].start == 0 and citations[0].end == len(text):
            citation = citations[0]
            if citation.catalogue is not None and len(citation.links) == 1:
                bound = recognizer.catalogue(citation.catalogue)
                return bound, citation.links[0].clause_id, None
            if citation.catalogue is None:
                return catalogue, None, f"'{text}' names another standard ({citation.foreign})"
        return catalogue, None, _id_hint(text)
    if re.match(r"0\d", text) or re.search(r"\.0\d", text):
        fixed = ".".join(str(int(p)) if p.isdigit() else p for p in text.split("."))
        return catalogue, None, f"write {fixed}"
    return catalogue, text, None


# A clause id qualified by the id of its catalogue: "iso14001-2015:6.1.2", "all:7.5".
_ALL_RE = re.compile(r"[ \t]*all[ \t]*:", re.IGNORECASE)
_QUALIFIED_RE = re.compile(r"(?P<standard>[A-Za-z][A-Za-z0-9._-]*)[ \t]*:[ \t]*(?P<clause>\S.*)")


def _unknown_standard(name: str, recognizer: Recognizer) -> str:
    """What to do about a clause id qualified by a standard the site has not loaded."""
    if name.lower() == "all":
        return "all: declares a clause for every standard, under clauses: only"
    loaded = [c.id for c in recognizer.catalogues]
    if name in builtin_catalogue_ids():
        return f"'{name}' is not one of this manual's standards: add it to standards: in mkdocs.yml"
    close = difflib.get_close_matches(name, [*loaded, *builtin_catalogue_ids()], n=1)
    known = ", ".join(loaded)
    suggestion = f"; did you mean '{close[0]}'?" if close else "."
    return f"no standard '{name}' is loaded{suggestion} This manual's standards: {known}"


def _harmonized(
    result: FrontMatter, item: str, line: int | None, recognizer: Recognizer
) -> list[tuple[Catalogue, str]]:
    """The clauses an "all:" id declares: the same number in every standard the manual claims,
    where each has it under the same title (the harmonized structure's "7.5 Documented
    information"). A standard that lacks it, or titles it differently (ISO 45001's 5
    "Leadership and worker participation"), makes it a finding: declare it per standard."""
    written = item.split(":", 1)[1].strip()
    refs = []
    for standard in recognizer.standards:
        catalogue = recognizer.catalogue(standard)
        _same, clause_id, hint = parse_clause_ref(written, catalogue, recognizer)
        if clause_id is None:
            result.findings.append(
                Finding(
                    "bad-clause-id", f"clauses: {item} is not a clause id", result.page, line, hint
                )
            )
            return []
        refs.append((catalogue, clause_id))
    clause_id = refs[0][1]
    lacking = [c.label for c, i in refs if i not in c]
    if lacking:
        result.findings.append(
            Finding(
                "unknown-clause",
                f"clauses: {item}: {' and '.join(lacking)} "
                f"{'has' if len(lacking) == 1 else 'have'} no clause {clause_id}",
                result.page,
                line,
                f'declare it for each standard that has it, e.g. "{refs[0][0].id}:{clause_id}"',
            )
        )
        return []
    titles = {c.label: title_key(c, i) for c, i in refs}
    if len(set(titles.values())) > 1:
        shown = "; ".join(f"{c.label} {c.heading(clause_id)}" for c, _i in refs)
        result.findings.append(
            Finding(
                "unshared-clause",
                f"clauses: {item}: the standards do not share this clause ({shown})",
                result.page,
                line,
                "declare it per standard, e.g. "
                + ", ".join(f'"{c.id}:{clause_id}"' for c, _i in refs),
            )
        )
        return []
    return refs


def _written(value: Any) -> str:
    """A front matter value as the author wrote it (an unquoted number keeps its digits)."""
    return str(getattr(value, "written", None) or repr(value))


def _unquoted_hint(value: float) -> str:
    written = getattr(value, "written", str(value))
    read = repr(float(value))
    if written != read:
        return f'write "{written}" in quotes: unquoted, YAML reads it as the number {read}'
    return f'write "{written}" in quotes: unquoted, YAML reads it as a number'


def _id_hint(text: str) -> str:
    if re.fullmatch(r"\d+(?:,\d+)+", text):
        return f"write {text.replace(',', '.')} (clause numbers use full stops)"
    lettered = re.fullmatch(r"(\d+(?:\.\d+)*)[. ]?\(?[a-z]\)?", text)
    if lettered:
        return f"lettered items belong to their clause: write {lettered.group(1)}"
    return 'clause ids look like "4", "7.5.3" or "A.4"'


def read_front_matter(
    page: str,
    text: str,
    catalogue: Catalogue,
    recognizer: Recognizer,
    *,
    document_fields: Sequence[str] = DEFAULT_REQUIRED,
) -> FrontMatter:
    """Read a page's qmsdocs front matter (`clauses`, `not_applicable`, `document`, `qmsdocs`).

    Arguments:
        page: Docs-relative path, for findings.
        text: The page's whole source, front matter included.
        document_fields: Fields a `document:` block must give (see `qmsdocs.documents`).
    """
    raw, _body, body_line = split_front_matter(text)
    result = FrontMatter(page, body_line=body_line)
    if raw is None:
        return result
    try:
        data = parse_yaml(raw, page, first_line=2)
    except QMSDataError as error:
        result.findings.extend(
            Finding(
                "bad-front-matter",
                f"front matter is not valid YAML: {f.message.removeprefix('invalid YAML: ')}",
                page,
                f.line,
                hint=f.hint,
            )
            if f.code == "bad-yaml"
            else Finding(f.code, f"front matter: {f.message}", page, f.line, hint=f.hint)
            for f in error.findings
        )
        return result
    if data is None:
        return result
    if not isinstance(data, dict):
        result.findings.append(
            Finding("bad-front-matter", "front matter must be a mapping of keys to values", page, 2)
        )
        return result
    result.data = data
    if "document" in data:
        document, findings = read_document(
            page, data["document"], line_of(data, "document"), required=document_fields
        )
        result.document = document
        result.findings += findings
    _read_clauses(result, data, catalogue, recognizer)
    _read_exclusions(result, data, catalogue, recognizer)
    _read_options(result, data)
    if "standard" in data:
        result.standard, problem = read_standard_key(
            recognizer, data["standard"], page, line_of(data, "standard")
        )
        result.findings += [problem] if problem else []
    if result.document is not None:
        status = result.document.status
        result.clauses = [replace(d, document_status=status) for d in result.clauses]
        result.exclusions = [replace(e, document_status=status) for e in result.exclusions]
    return result


def _clause_problem(
    result: FrontMatter,
    key: str,
    value: Any,
    line: int | None,
    catalogue: Catalogue,
    recognizer: Recognizer,
) -> tuple[Catalogue, str] | None:
    """Check one clause id; report a finding and return None if it is unusable."""
    catalogue, clause_id, hint = parse_clause_ref(value, catalogue, recognizer)
    if clause_id is None:
        result.findings.append(
            Finding(
                "bad-clause-id",
                f"{key}: {_written(value)} is not a clause id",
                result.page,
                line,
                hint,
            )
        )
        return None
    if clause_id not in catalogue:
        result.findings.append(
            Finding(
                "unknown-clause",
                f"{key}: {catalogue.label} has no clause {clause_id}",
                result.page,
                line,
                recognizer.suggest(catalogue, clause_id),
            )
        )
        return None
    return catalogue, clause_id


def _read_clauses(
    result: FrontMatter, data: dict[Any, Any], catalogue: Catalogue, recognizer: Recognizer
) -> None:
    if "clauses" not in data:
        return
    value = data["clauses"]
    line = line_of(data, "clauses")
    if isinstance(value, str | int | float) and not isinstance(value, bool):
        items: list[Any] = [value]
        lines: list[int | None] = [line]
        if isinstance(value, float):
            result.findings.append(
                Finding(
                    "bad-clause-id",
                    f"clauses: {_written(value)} is not a list of clause ids",
                    result.page,
                    line,
                    f'write clauses: ["{_written(value)}"], quoted and in a list',
                )
            )
            return
    elif isinstance(value, list):
        items = list(value)
        lines = [line_of(value, i) for i in range(len(value))]
    else:
        result.findings.append(
            Finding(
                "bad-front-matter",
                "clauses: must be a list of clause ids",
                result.page,
                line,
                'for example clauses: ["7.5", "7.5.3"]',
            )
        )
        return
    seen: set[tuple[str, str]] = set()
    for item, item_line in zip(items, lines, strict=True):
        if isinstance(item, str) and _ALL_RE.match(item):
            refs = _harmonized(result, item, item_line, recognizer)
        else:
            ref = _clause_problem(result, "clauses", item, item_line, catalogue, recognizer)
            refs = [] if ref is None else [ref]
        for bound, clause_id in refs:
            if (bound.id, clause_id) not in seen:
                seen.add((bound.id, clause_id))
                result.clauses.append(Declaration(bound.id, clause_id, result.page, item_line))


def _read_exclusions(
    result: FrontMatter, data: dict[Any, Any], catalogue: Catalogue, recognizer: Recognizer
) -> None:
    if "not_applicable" not in data:
        return
    value = data["not_applicable"]
    line = line_of(data, "not_applicable")
    if not isinstance(value, dict):
        result.findings.append(
            Finding(
                "bad-front-matter",
                "not_applicable: must map each clause to its justification",
                result.page,
                line,
                'for example not_applicable: {"8.3": "We do no design of our own because ..."}',
            )
        )
        return
    for key, justification in value.items():
        key_line = line_of(value, key)
        ref = _clause_problem(result, "not_applicable", key, key_line, catalogue, recognizer)
        if ref is None:
            continue
        edition, clause_id = ref
        clause = edition[clause_id]
        if not clause.requirements:
            result.findings.append(
                Finding(
                    "not-applicable-not-required",
                    f"not_applicable: clause {clause_id} carries no requirements, so there is "
                    "nothing to declare not applicable",
                    result.page,
                    key_line,
                    f"only clauses with requirements ({_required_range(edition)}) can be excluded",
                )
            )
            continue
        if not isinstance(justification, str) or not justification.strip():
            result.findings.append(
                Finding(
                    "missing-justification",
                    f"not_applicable: clause {clause_id} is declared not applicable without a "
                    "justification",
                    result.page,
                    key_line,
                    "say why the requirement cannot apply to your organisation (ISO 9001 4.3)",
                )
            )
            continue
        result.exclusions.append(
            Exclusion(edition.id, clause_id, " ".join(justification.split()), result.page, key_line)
        )


def _required_range(catalogue: Catalogue) -> str:
    tops = [c.id for c in catalogue.top_level() if c.requirements]
    return f"{tops[0]} to {tops[-1]}" if tops else "none"


def _read_options(result: FrontMatter, data: dict[Any, Any]) -> None:
    options = data.get("qmsdocs")
    if options is None:
        return
    line = line_of(data, "qmsdocs")
    if not isinstance(options, dict):
        result.findings.append(
            Finding(
                "bad-front-matter",
                "qmsdocs: must be a mapping of page options",
                result.page,
                line,
                "allowed: " + ", ".join(sorted(_PAGE_OPTIONS)),
            )
        )
        return
    heading_coverage: HeadingMode | None = None
    link_clauses: bool | None = None
    link_terms: Literal["first", "all", "off"] | None = None
    not_terms: tuple[str, ...] = ()
    for key, value in options.items():
        key_line = line_of(options, key)
        if key == "heading_coverage":
            if value is False:
                value = "off"
            if value in HEADING_MODES:
                heading_coverage = value
            else:
                result.findings.append(
                    Finding(
                        "bad-front-matter",
                        f"qmsdocs.heading_coverage: {value!r} is not one of "
                        + ", ".join(HEADING_MODES),
                        result.page,
                        key_line,
                    )
                )
        elif key == "link_terms":
            if value is False:
                value = "off"
            if value in LINK_TERMS:
                link_terms = value
            else:
                result.findings.append(
                    Finding(
                        "bad-front-matter",
                        f"qmsdocs.link_terms: {value!r} is not one of " + ", ".join(LINK_TERMS),
                        result.page,
                        key_line,
                    )
                )
        elif key == "not_terms":
            if isinstance(value, list) and all(isinstance(v, str) for v in value):
                not_terms = tuple(value)
            else:
                result.findings.append(
                    Finding(
                        "bad-front-matter",
                        "qmsdocs.not_terms: must be a list of phrases, like [Quality Manager]",
                        result.page,
                        key_line,
                    )
                )
        elif key == "link_clauses":
            if isinstance(value, bool):
                link_clauses = value
            else:
                result.findings.append(
                    Finding(
                        "bad-front-matter",
                        "qmsdocs.link_clauses: must be true or false",
                        result.page,
                        key_line,
                    )
                )
        else:
            close = difflib.get_close_matches(str(key), sorted(_PAGE_OPTIONS), n=1)
            result.findings.append(
                Finding(
                    "bad-front-matter",
                    f"qmsdocs.{key}: unknown page option",
                    result.page,
                    key_line,
                    f"did you mean {close[0]}?"
                    if close
                    else "allowed: " + ", ".join(sorted(_PAGE_OPTIONS)),
                    severity=Severity.WARNING,
                )
            )
    result.options = PageOptions(heading_coverage, link_clauses, link_terms, not_terms)


# Headings ----------------------------------------------------------------------------------

_NUMBER_FIRST_RE = re.compile(
    r"^(?P<number>\d{1,2}(?:\.\d{1,2}){0,4})\.?(?:[ \t\u00a0]+|[ \t]*[:\-–—][ \t]*)(?P<rest>.*)$"
)
_NUMBER_ONLY_RE = re.compile(r"^(?P<number>\d{1,2}(?:\.\d{1,2}){0,4})\.?$")
_PARENTHESES_RE = re.compile(
    r"\((?:(?:ISO[ \t]?9001(?::\d{4})?,?|clause|sub-?clause|§)[ \t]*)?"
    r"(?P<number>\d{1,2}(?:\.\d{1,2}){0,4})\)[ \t]*$",
    re.IGNORECASE,
)
# British and American spellings of the same words; the standard writes "organization".
_SPELLING = {
    "organisation": "organization",
    "organisational": "organizational",
    "organisations": "organizations",
    "programme": "program",
    "authorisation": "authorization",
    "utilisation": "utilization",
}
_STOPWORDS = {
    *("the", "of", "and", "or", "for", "to", "a", "an", "in", "its", "on", "our", "we"),
    *("with", "them"),
    # German, French and Spanish titles ("Lenkung dokumentierter Information", "Maîtrise des
    # informations documentées", "Control de la información documentada").
    *("der", "die", "das", "des", "den", "dem", "und", "von", "zur", "zum", "für", "mit"),
    *("ihres", "ihrer", "seine", "deren", "le", "la", "les", "de", "du", "et", "à", "aux"),
    *("el", "los", "las", "del", "y", "para", "sus", "su"),
}
# Abbreviations people write in headings for words of the clause titles.
_ABBREVIATIONS = {"qms": "quality management system", "mgmt": "management"}
# Parentheses at the end of a heading that hold more than a number: "(ISO 9001:2015, Clause
# 9.3.3)", "(Clauses 4.1 and 4.2)", "(Clause 4.4, General)", "(Abschnitt 9.3.2)".
_TRAILING_PARENTHESES_RE = re.compile(r"\((?P<inner>[^()]*)\)[ \t]*$")
# Keywords that open a heading citing a clause, in the languages manuals are written in.
_HEADING_KEYWORD_RE = re.compile(
    r"^(?:(?:sub-?)?clauses?|abschnitte?|kapitel|unterabschnitt|ziffer|chapitre|article"
    r"|paragraphe|apartado|cap[ií]tulo|cl[aá]usula|numeral|§§?)(?![\w-])",
    re.IGNORECASE,
)


def title_words(text: str) -> list[str]:
    """The words of a title or heading as titles are compared: case-folded, British spellings
    and abbreviations ("QMS") spelt out as the standard writes them, small words left out."""
    text = unicodedata.normalize("NFKC", text).casefold()
    words = re.findall(r"[^\W_]+", text)
    expanded = [part for w in words for part in _ABBREVIATIONS.get(w, w).split()]
    return [_SPELLING.get(w, w) for w in expanded if w not in _STOPWORDS]


def title_matches(heading_rest: str, title: str) -> bool:
    """Whether the text after a number in a heading is the clause's title or a close variant.

    "Control of documented information", "Organisational knowledge" and "Control of
    externally provided processes" match their clauses; "Confirm the workflow" does not
    match 4.1 "Understanding the organization and its context".
    """
    got, want = title_words(heading_rest), title_words(title)
    if not got or not want:
        return False
    if got == want:
        return True
    # The head of a long title: "Quality objectives" for "Quality objectives and planning to
    # achieve them". Two words at least: one shared word is not the same subject.
    if len(got) >= 2 and want[: len(got)] == got:
        return True
    # Most of the clause's own words, in the heading, and not much else.
    shared = len(set(got) & set(want))
    if shared / len(set(want)) >= 0.6 and shared / len(set(got)) >= 0.5:
        return True
    return difflib.SequenceMatcher(None, " ".join(got), " ".join(want)).ratio() >= 0.8


# Every rule needs a clause number in the heading: a digit, or an annex letter ("Annex A").
_MAY_CITE_RE = re.compile(r"\d|\b[A-Z]\b")


def _may_cite_clause(text: str) -> bool:
    """False for a heading that cannot cite a clause (most headings): nothing to check."""
    return _MAY_CITE_RE.search(text) is not None


def cite_heading(
    text: str,
    catalogue: Catalogue,
    recognizer: Recognizer,
    mode: HeadingMode = "titles",
    context: Binding | None = None,
) -> HeadingCitation | None:
    """The clause a heading cites, if it cites one of `catalogue` (module docstring: the rule).

    `context` is what the enclosing section is about (`qmsdocs.scopes`): in a section about
    ISO 22301, "## 9.3 Management review" is ISO 22301's clause, whatever its title; only a
    heading that names the standard itself ("## ISO 9001 9.3 ...") cites ours there.
    """
    if mode == "off" or not _may_cite_clause(text):
        return None
    text = " ".join(text.split())
    if context is not None and context.catalogue != catalogue.id:
        # Only a number that names our standard itself can cite it here.
        return _explicit_citation(text, catalogue, recognizer, context)
    # Where the section is about our standard, a heading that opens with "§ 7.5" cites it as
    # surely as one with "Clause 7.5" (in running text, "§ 7" needs the standard named).
    context = Binding(catalogue.id, None, True, context.why if context else "the heading")
    first = _NUMBER_FIRST_RE.match(text) or _NUMBER_ONLY_RE.match(text)
    # A manual structured strictly by clause: any heading that starts with a clause number
    # (and, as in the titles mode, the explicit and parenthesised forms).
    if mode == "numbers" and first and first.group("number") in catalogue:
        return _citing((first.group("number"),), "number")
    return (
        _explicit_citation(text, catalogue, recognizer, context)
        or _parenthesised_citation(text, catalogue, recognizer, context)
        or (_titled_citation(first, catalogue) if mode == "titles" and first else None)
    )


def heading_standards(
    text: str,
    citation: HeadingCitation | None,
    standards: Sequence[Catalogue],
    mode: HeadingMode = "titles",
) -> tuple[HeadingCitation | None, list[str]]:
    """In a manual of several `standards` (the first is the manual's default): the clause a
    heading cites, and the standards it addresses it in.

    `citation` is what `cite_heading` found for the first standard. A heading that cites the
    first standard's clause by number and title cites it in every standard that shares the
    clause ("7.5 Documented information"); one whose title is another standard's own
    ("6.1.2 Environmental aspects", "8.2 Emergency preparedness and response") cites that
    standard's clause, and those of the standards that share it.
    """
    first, others = standards[0], list(standards[1:])
    if citation is not None:
        if citation.catalogue is not None or citation.rule != "title":
            return citation, [citation.catalogue or first.id]
        sharing = [c.id for c in others if all(same_clause(first, c, i) for i in citation.clauses)]
        return citation, [first.id, *sharing]
    number = _NUMBER_FIRST_RE.match(" ".join(text.split()))
    if mode != "titles" or number is None or not (number.group("rest") or "").strip():
        return None, []
    for index, other in enumerate(others):
        found = _titled_citation(number, other)
        if found is not None:
            rest = others[index + 1 :]
            sharing = [c.id for c in rest if same_clause(other, c, found.clause)]
            return found, [other.id, *sharing]
    return None, []


def _citing(
    clauses: Sequence[str],
    rule: Literal["title", "parentheses", "explicit", "number"],
    other: str | None = None,
    ranged: bool = False,
) -> HeadingCitation:
    """A citation of `clauses`; an overview when one is a top-level clause or they span a range."""
    top_level = any("." not in c for c in clauses)
    return HeadingCitation(clauses[0], rule, other, tuple(clauses), top_level or ranged)


def _explicit_citation(
    text: str, catalogue: Catalogue, recognizer: Recognizer, context: Binding
) -> HeadingCitation | None:
    """Rule 3: the standard, "Clause" or "Abschnitt" before the number, at the start."""
    citations = recognizer.scan(text, context)
    if not citations or citations[0].start != 0:
        return None
    citation = citations[0]
    # In running text "Abschnitt 4" may be any document's section; opening a heading of a
    # manual, it names the clause, as "Clause 4" does.
    if not (citation.explicit or _HEADING_KEYWORD_RE.match(text)):
        return None
    if citation.catalogue is None or not citation.links:
        return None
    other = None if citation.catalogue == catalogue.id else citation.catalogue
    ranged = len(citation.clauses) > len(citation.links)
    return _citing([link.clause_id for link in citation.links], "explicit", other, ranged)


def _parenthesised_citation(
    text: str, catalogue: Catalogue, recognizer: Recognizer, context: Binding
) -> HeadingCitation | None:
    """Rule 2: the clause in parentheses at the end, alone or with the standard or words."""
    end = _PARENTHESES_RE.search(text)
    if end and end.group("number") in catalogue:
        # "Design inputs, ISO 13485:2016 (7.3)": the number belongs to the standard before it.
        named = recognizer.standard_before(text[: end.start()])
        if named is None or named[0] is catalogue:
            return _citing((end.group("number"),), "parentheses")
    trailing = _TRAILING_PARENTHESES_RE.search(text)
    if trailing is None:
        return None
    inner = trailing.group("inner").strip()
    citations = recognizer.scan(inner, context)
    if not citations or citations[0].start != 0 or citations[0].catalogue != catalogue.id:
        return None
    citation = citations[0]
    if not (citation.explicit or _HEADING_KEYWORD_RE.match(inner)) or not citation.links:
        return None
    ranged = len(citation.clauses) > len(citation.links)
    return _citing([link.clause_id for link in citation.links], "parentheses", None, ranged)


def _titled_citation(first: re.Match[str], catalogue: Catalogue) -> HeadingCitation | None:
    """Rule 1: the number first, then the clause's title (or a close variant)."""
    clause = catalogue.get(first.group("number"))
    if clause is None:
        return None
    rest = first.groupdict().get("rest") or ""
    if clause.title is None and not rest.strip():
        return _citing((clause.id,), "title")
    # The standard's title, or its title in a national edition ("8.4 Steuerung von extern
    # bereitgestellten Prozessen, Produkten und Dienstleistungen").
    titles = catalogue.titles(clause.id) or [
        re.sub(r"^[\d.]+ ", "", catalogue.context_title(clause.id).removeprefix("part of "))
    ]
    if any(title and title_matches(rest, title) for title in titles):
        return _citing((clause.id,), "title")
    return None


def unknown_heading_finding(
    text: str, catalogue: Catalogue, page: str, line: int | None
) -> Finding | None:
    """A heading ending in a clause number in parentheses that names no clause ("(8.9)")."""
    end = _PARENTHESES_RE.search(" ".join(text.split()))
    if end is None or end.group("number") in catalogue or "." not in end.group("number"):
        return None
    number = end.group("number")
    return Finding(
        "unknown-clause",
        f"heading '{text}' cites clause {number}, which {catalogue.label} does not have",
        page,
        line,
        catalogue.suggest(number),
        Severity.WARNING,
    )


# Headings in Markdown source (for `qmsdocs check`, which renders nothing) -----------------------
#
# The rules follow Python-Markdown's block parser, so that `qmsdocs check` sees the headings the
# rendered page has: ATX headings start in the first column ("#7.5 x" is one, " ## 7.5 x" is
# not); a setext underline ("===", "---", even "-") is in the first column and follows the
# first line of a paragraph; block quotes are unwrapped; fenced code is skipped.

_ATX_RE = re.compile(r"^(?P<level>#{1,6})(?P<text>.*?)#*[ \t]*$")
_SETEXT_RE = re.compile(r"^(?P<underline>=+|-+)[ ]*$")
_QUOTE_RE = re.compile(r"^[ ]{0,3}>[ ]?")
_ATTR_LIST_RE = re.compile(r"[ \t]*\{:?[^}]*\}[ \t]*$")
_INLINE_MARKUP_RE = re.compile(r"(\*\*|__|\*|_|`)")
_LINK_RE = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
# Inline HTML tags and icon shortcodes (":material-home:") show no text of their own.
_HTML_TAG_RE = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>")
_SHORTCODE_RE = re.compile(r"(?<!\S):[a-z0-9_+-]+:(?!\S)")


def iter_source_headings(body: str, first_line: int = 1) -> Iterator[tuple[str, int, int]]:
    """(plain heading text, level, line) of the ATX and setext headings of Markdown source.

    Inline markup, links and attribute lists are reduced to their text, as the rendered
    heading reads.
    """
    # The line that may become a setext heading: the first line of a paragraph.
    candidate: tuple[str, int] | None = None
    block_start = True  # the next line starts a block (after a blank line, a heading, ...)
    unquoted = [_unquote(raw) for raw in body.split("\n")]
    for index, line, is_code in code_lines(unquoted):
        number = first_line + index
        if is_code:
            candidate = None
            block_start = True
            continue
        if not line.strip():
            candidate = None
            block_start = True
            continue
        # Most lines are prose: only one that starts with "#" can be an ATX heading, and only
        # one that starts with "=" or "-" can underline a setext heading.
        first = line[0]
        atx = _ATX_RE.match(line) if first == "#" else None
        if atx:
            yield _plain(atx.group("text")), len(atx.group("level")), number
            candidate = None
            block_start = True
            continue
        setext = _SETEXT_RE.match(line) if first in "=-" and candidate is not None else None
        if setext and candidate is not None:
            level = 1 if setext.group("underline")[0] == "=" else 2
            yield _plain(candidate[0]), level, candidate[1]
            candidate = None
            block_start = True
            continue
        indented = line.startswith(("    ", "\t"))
        candidate = (line, number) if block_start and not indented else None
        block_start = False


def _unquote(line: str) -> str:
    while ">" in line[:4] and _QUOTE_RE.match(line):
        line = _QUOTE_RE.sub("", line, count=1)
    return line


def _plain(text: str) -> str:
    text = _ATTR_LIST_RE.sub("", text)
    text = _LINK_RE.sub(r"\1", text)
    if "<" in text:
        text = _HTML_TAG_RE.sub("", text)
    if ":" in text:
        text = _SHORTCODE_RE.sub("", text)
    text = _INLINE_MARKUP_RE.sub("", text)
    # `&amp;` reads as "&": the title is kept as the reader sees it, and escaped where shown.
    if "&" in text:
        text = html.unescape(text)
    return " ".join(text.split())
