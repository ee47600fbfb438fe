"""What a page says about itself: clause ids, front matter, clause-citing headings."""

from __future__ import annotations

import html
import re
from typing import Any

import markdown
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qmsdocs.findings import Severity
from qmsdocs.manual import (
    FrontMatter,
    cite_heading,
    iter_source_headings,
    parse_clause_id,
    read_front_matter,
    split_front_matter,
    title_matches,
)
from qmsdocs.references import Recognizer
from qmsdocs.standards import load_builtin_catalogue

CATALOGUE = load_builtin_catalogue("iso9001-2015")
RECOGNIZER = Recognizer([CATALOGUE])


def read(text: str) -> FrontMatter:
    return read_front_matter("p.md", text, CATALOGUE, RECOGNIZER)


def only_finding(front: FrontMatter) -> Any:
    assert len(front.findings) == 1, front.findings
    return front.findings[0]


# parse_clause_id ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "clause"),
    [
        ("7.5", "7.5"),
        (" 7.5 ", "7.5"),
        ("7.5.", "7.5"),
        (8, "8"),
        ("clause 7.5", "7.5"),
        ("Clause 7.5.3", "7.5.3"),
        ("ISO 9001:2015 7.5", "7.5"),
        ("ISO 9001 8.4", "8.4"),
        ("7.10", "7.10"),  # well formed; whether it exists is checked later
    ],
)
def test_parse_clause_id_accepts(value: Any, clause: str) -> None:
    assert parse_clause_id(value, CATALOGUE, RECOGNIZER) == (clause, None)


@pytest.mark.parametrize(
    ("value", "hint"),
    [
        (7.5, 'write "7.5" in quotes'),
        (7.10, 'write "7.1" in quotes'),
        ("7,5", "write 7.5 (clause numbers use full stops)"),
        ("07.5", "write 7.5"),
        ("7.05", "write 7.5"),
        ("7.5.3.a", "lettered items belong to their clause: write 7.5.3"),
        ("7.5.3 a)", "lettered items belong to their clause: write 7.5.3"),
        ("ISO 13485 7.5", "names another standard (ISO 13485)"),
        ("ISO 13485:2016 7.5", "names another standard (ISO 13485:2016)"),
        (None, 'a clause id is text such as "7.5.3"'),
        (True, 'a clause id is text such as "7.5.3"'),
        (["7.5"], 'a clause id is text such as "7.5.3"'),
        ("8.4 and 8.5", 'clause ids look like "4", "7.5.3" or "A.4"'),
    ],
)
def test_parse_clause_id_rejects_with_hint(value: Any, hint: str) -> None:
    clause, problem = parse_clause_id(value, CATALOGUE, RECOGNIZER)
    assert clause is None
    assert problem is not None and hint in problem


# split_front_matter ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "raw", "body", "body_line"),
    [
        ("# Body\n", None, "# Body\n", 1),
        ("---\ntitle: x\n---\n# Body\n", "title: x\n", "# Body\n", 4),
        ("---\ntitle: x\n---\n\n\n# Body\n", "title: x\n", "# Body\n", 6),
        ("---\ntitle: x\n...\n# Body\n", "title: x\n", "# Body\n", 4),
        ("---\na: 1\nb: 2\n---\n\n# Body\n", "a: 1\nb: 2\n", "# Body\n", 6),
        ("# x\n---\ntitle: x\n---\n", None, "# x\n---\ntitle: x\n---\n", 1),
    ],
)
def test_split_front_matter(text: str, raw: str | None, body: str, body_line: int) -> None:
    assert split_front_matter(text) == (raw, body, body_line)


# read_front_matter: clauses ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("front", "declared"),
    [
        ('clauses: ["7.5", "7.5.3"]', [("7.5", 2), ("7.5.3", 2)]),
        ('title: T\nclauses:\n  - "7.5"\n  - "8.4"', [("7.5", 4), ("8.4", 5)]),
        ('clauses: "7.5"', [("7.5", 2)]),
        ("clauses: 8", [("8", 2)]),
        ('clauses: ["7.5", "7.5.", "clause 7.5"]', [("7.5", 2)]),  # one clause, once
        ("clauses: []", []),
    ],
)
def test_front_matter_clauses(front: str, declared: list[tuple[str, int]]) -> None:
    result = read(f"---\n{front}\n---\n\n# Page\n")
    assert result.findings == []
    assert [(d.clause, d.line) for d in result.clauses] == declared
    assert all(d.source == "front-matter" and d.section is None for d in result.clauses)
    assert all(d.page == "p.md" and d.catalogue == "iso9001-2015" for d in result.clauses)


@pytest.mark.parametrize(
    ("front", "code", "line", "message", "hint"),
    [
        ("clauses: 7.5", "bad-clause-id", 2, "not a list of clause ids", 'clauses: ["7.5"]'),
        ("clauses: {a: 1}", "bad-front-matter", 2, "must be a list of clause ids", None),
        ("clauses: true", "bad-front-matter", 2, "must be a list of clause ids", None),
        ("clauses: null", "bad-front-matter", 2, "must be a list of clause ids", None),
        (
            'title: T\nclauses:\n  - "4"\n  - 8.4',
            "bad-clause-id",
            5,
            "8.4 is not a clause id",
            'write "8.4" in quotes: unquoted, YAML reads it as a number',
        ),
        ('clauses: ["7,5"]', "bad-clause-id", 2, "'7,5' is not a clause id", "write 7.5"),
    ],
)
def test_front_matter_clauses_of_the_wrong_type(
    front: str, code: str, line: int, message: str, hint: str | None
) -> None:
    finding = only_finding(read(f"---\n{front}\n---\n"))
    assert (finding.code, finding.path, finding.line) == (code, "p.md", line)
    assert message in finding.message
    assert finding.severity is Severity.ERROR
    if hint is not None:
        assert hint in finding.hint


def test_unquoted_numbers_are_named_as_written_each_with_its_own_hint() -> None:
    findings = read("---\nclauses: [7.10, 8.4]\n---\n").findings
    assert [(f.message, f.hint) for f in findings] == [
        (
            "clauses: 7.10 is not a clause id",
            'write "7.10" in quotes: unquoted, YAML reads it as the number 7.1',
        ),
        (
            "clauses: 8.4 is not a clause id",
            'write "8.4" in quotes: unquoted, YAML reads it as a number',
        ),
    ]


@pytest.mark.parametrize(
    ("front", "line", "clause", "hint"),
    [
        ('clauses: ["7.9"]', 2, "7.9", "ISO 9001:2015 7 Support has 7.1, 7.2, 7.3, 7.4, 7.5"),
        ('title: T\nclauses:\n  - "4"\n  - "7.2.1"', 5, "7.2.1", "did you mean 7.2 Competence?"),
        (
            'title: a\n\n\nclauses: ["4",\n  "7.5.4"]',
            6,
            "7.5.4",
            "7.5 Documented information has 7.5.1, 7.5.2, 7.5.3",
        ),
        ('clauses: ["11"]', 2, "11", "has clauses 0 to 10 and annexes A, B"),
    ],
)
def test_front_matter_unknown_clause_has_line_and_hint(
    front: str, line: int, clause: str, hint: str
) -> None:
    result = read(f"---\n{front}\n---\n")
    finding = only_finding(result)
    assert (finding.code, finding.line) == ("unknown-clause", line)
    assert f"ISO 9001:2015 has no clause {clause}" in finding.message
    assert finding.hint == hint or hint in finding.hint
    assert clause not in [d.clause for d in result.clauses]


def test_front_matter_unknown_clause_keeps_the_good_ones() -> None:
    result = read('---\nclauses: ["4.1", "7.9", "4.2"]\n---\n')
    assert [d.clause for d in result.clauses] == ["4.1", "4.2"]


# read_front_matter: not_applicable ---------------------------------------------------------


def test_front_matter_exclusion_with_justification() -> None:
    result = read(
        '---\ntitle: Scope\nnot_applicable:\n  "8.3": "  We make to customer   drawings.  "\n---\n'
    )
    assert result.findings == []
    (exclusion,) = result.exclusions
    assert (exclusion.clause, exclusion.page, exclusion.line) == ("8.3", "p.md", 4)
    assert exclusion.justification == "We make to customer drawings."


@pytest.mark.parametrize(
    ("mapping", "line", "code", "message"),
    [
        ('  "8.3": ""', 3, "missing-justification", "clause 8.3 is declared not applicable"),
        ('  "8.3": "   "', 3, "missing-justification", "without a justification"),
        ('  "8.3":', 3, "missing-justification", "without a justification"),
        ('  "7.1.5.2": 3', 3, "missing-justification", "clause 7.1.5.2"),
        ('  "8.9": "We do none"', 3, "unknown-clause", "ISO 9001:2015 has no clause 8.9"),
        ('  "0.3": "Not ours"', 3, "not-applicable-not-required", "0.3 carries no requirements"),
        ('  "A.4": "Not ours"', 3, "not-applicable-not-required", "A.4 carries no requirements"),
        ('  8.3: "unquoted"', 3, "bad-clause-id", "8.3 is not a clause id"),
    ],
)
def test_front_matter_bad_exclusion(mapping: str, line: int, code: str, message: str) -> None:
    result = read(f"---\nnot_applicable:\n{mapping}\n---\n")
    finding = only_finding(result)
    assert (finding.code, finding.path, finding.line) == (code, "p.md", line)
    assert message in finding.message
    assert finding.severity is Severity.ERROR
    assert result.exclusions == []


def test_front_matter_missing_justifications_each_on_their_line() -> None:
    result = read('---\ntitle: t\nnot_applicable:\n  "8.3": ""\n  "8.4":\n  "8.5": "ok"\n---\n')
    assert [(f.code, f.line) for f in result.findings] == [
        ("missing-justification", 4),
        ("missing-justification", 5),
    ]
    assert [e.clause for e in result.exclusions] == ["8.5"]


@pytest.mark.parametrize("value", ['["8.3"]', '"8.3"', "true"])
def test_front_matter_exclusions_must_be_a_mapping(value: str) -> None:
    finding = only_finding(read(f"---\ntitle: t\nnot_applicable: {value}\n---\n"))
    assert (finding.code, finding.line) == ("bad-front-matter", 3)
    assert "must map each clause to its justification" in finding.message


# read_front_matter: page options -----------------------------------------------------------


@pytest.mark.parametrize(
    ("options", "heading_coverage", "link_clauses"),
    [
        ("{heading_coverage: numbers}", "numbers", None),
        ("{heading_coverage: titles}", "titles", None),
        ("{heading_coverage: off}", "off", None),  # YAML false reads as "off"
        ('{heading_coverage: "off"}', "off", None),
        ("{link_clauses: false}", None, False),
        ("{heading_coverage: numbers, link_clauses: true}", "numbers", True),
    ],
)
def test_front_matter_page_options(
    options: str, heading_coverage: str | None, link_clauses: bool | None
) -> None:
    result = read(f"---\nqmsdocs: {options}\n---\n")
    assert result.findings == []
    assert result.options.heading_coverage == heading_coverage
    assert result.options.link_clauses == link_clauses


def test_front_matter_without_page_options_means_as_configured() -> None:
    result = read('---\nclauses: ["4"]\n---\n')
    assert result.options.heading_coverage is None
    assert result.options.link_clauses is None


@pytest.mark.parametrize(
    ("options", "line", "severity", "message", "hint"),
    [
        ("  heading_coverage: all", 3, Severity.ERROR, "'all' is not one of titles", None),
        ('  link_clauses: "no"', 3, Severity.ERROR, "link_clauses: must be true or false", None),
        (
            "  heading_coverag: off",
            3,
            Severity.WARNING,
            "qmsdocs.heading_coverag: unknown page option",
            "did you mean heading_coverage?",
        ),
        ("  zzz: 1", 3, Severity.WARNING, "qmsdocs.zzz: unknown page option", "allowed: "),
    ],
)
def test_front_matter_bad_page_option(
    options: str, line: int, severity: Severity, message: str, hint: str | None
) -> None:
    result = read(f"---\nqmsdocs:\n{options}\n---\n")
    finding = only_finding(result)
    assert (finding.code, finding.line, finding.severity) == ("bad-front-matter", line, severity)
    assert message in finding.message
    if hint is not None:
        assert hint in finding.hint
    assert result.options.heading_coverage is None


def test_front_matter_page_options_must_be_a_mapping() -> None:
    finding = only_finding(read("---\ntitle: t\nqmsdocs: yes\n---\n"))
    assert (finding.code, finding.line) == ("bad-front-matter", 3)
    assert "qmsdocs: must be a mapping of page options" in finding.message


# read_front_matter: the block itself -------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("---\ntitle: x\nfoo: bar: baz\n---\n# h\n", 3),
        ("---\ntitle: x\n\tclauses: []\n---\n# h\n", 3),
        ('---\ntitle: x\n\n\nclauses: ["4"\n  not_applicable: {}\n---\n', 6),
    ],
)
def test_malformed_front_matter_is_a_finding_with_its_line(text: str, line: int) -> None:
    result = read(text)
    finding = only_finding(result)
    assert (finding.code, finding.path, finding.line) == ("bad-front-matter", "p.md", line)
    assert finding.message.startswith("front matter is not valid YAML")
    assert result.clauses == [] and result.exclusions == []


@pytest.mark.parametrize(
    "text",
    [
        "---\n- a\n- b\n---\n",  # a list between two horizontal rules
        "---\n\nIssued by the quality office.\n\n---\n# Page\n",
        "---\nSee http://intranet/qms for the forms.\n---\n",
    ],
)
def test_lines_that_are_no_mapping_are_the_page_s_as_mkdocs_reads_them(text: str) -> None:
    # MkDocs takes them for front matter only if they are a YAML mapping.
    result = read(text)
    assert result.findings == [] and result.data == {}
    assert result.body_line == 1


@pytest.mark.parametrize(
    "text",
    [
        '# Page\n\nclauses: ["7.5"]\n',  # not front matter: the body says it
        "---\ntitle: Only a title\n---\n\n# Page\n",
        "",
    ],
)
def test_no_declarations_without_front_matter_keys(text: str) -> None:
    result = read(text)
    assert (result.clauses, result.exclusions, result.findings) == ([], [], [])


def test_body_line_follows_front_matter() -> None:
    assert read('---\ntitle: x\nclauses: ["4"]\n---\n\n# Page\n').body_line == 6
    assert read("# Page\n").body_line == 1


# cite_heading ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("heading", "clause", "rule"),
    [
        # Rule 1: the number, then the clause's title or a close variant.
        ("7.5.3 Control of documented information", "7.5.3", "title"),
        ("7.1.6 Organisational knowledge", "7.1.6", "title"),
        ("7.1.6 Organizational knowledge", "7.1.6", "title"),
        ("4.1 Understanding the organisation and its context", "4.1", "title"),
        ("5.3 Organisational roles, responsibilities and authorities", "5.3", "title"),
        ("8.4 Control of externally provided processes", "8.4", "title"),
        ("9.2 Internal Audits", "9.2", "title"),
        ("9.2 - Internal audit", "9.2", "title"),
        ("9.2: Internal audit", "9.2", "title"),
        ("9.2 – Internal audit", "9.2", "title"),
        ("9.2. Internal audit", "9.2", "title"),
        ("10 Improvement", "10", "title"),
        ("10.2 Nonconformity and corrective action", "10.2", "title"),
        ("  7.4   Communication ", "7.4", "title"),
        # Numbered paragraphs without a heading of their own: the bare number.
        ("7.5.3.1", "7.5.3.1", "title"),
        ("7.5.3.2.", "7.5.3.2", "title"),
        ("4.4.1", "4.4.1", "title"),
        ("8.7.1", "8.7.1", "title"),
        # Rule 2: the number in parentheses at the end.
        ("Design inputs (8.3.3)", "8.3.3", "parentheses"),
        ("Design inputs (clause 8.3.3)", "8.3.3", "parentheses"),
        ("Design inputs (sub-clause 8.3.3)", "8.3.3", "parentheses"),
        ("Design inputs (ISO 9001 8.3.3)", "8.3.3", "parentheses"),
        ("Design inputs (ISO 9001:2015, 8.3.3)", "8.3.3", "parentheses"),
        ("Design inputs (§ 8.3.3)", "8.3.3", "parentheses"),
        ("Design inputs (8.3.3) ", "8.3.3", "parentheses"),
        # Rule 3: the standard or "clause" named before the number.
        ("ISO 9001 8.4 Control of external providers", "8.4", "explicit"),
        ("ISO 9001:2015 8.4", "8.4", "explicit"),
        ("ISO 9001:2015 clause 8.4 Suppliers", "8.4", "explicit"),
        ("Clause 9.2: Internal audit", "9.2", "explicit"),
        ("clause 9.2 internal audit", "9.2", "explicit"),
        ("ISO 9001 Clause 4.1", "4.1", "explicit"),
    ],
)
def test_heading_cites_clause(heading: str, clause: str, rule: str) -> None:
    citation = cite_heading(heading, CATALOGUE, RECOGNIZER)
    assert citation is not None
    assert (citation.clause, citation.rule) == (clause, rule)


@pytest.mark.parametrize(
    "heading",
    [
        # A procedure's own section numbers.
        "4.1 Confirm the workflow",
        "4.1. Confirm the workflow",
        "4.2 Record the result",
        "7 Purchase orders",
        "7.2 Training",
        "7.4 Communicate with the customer",
        "8.5.1 Production",
        "5.3 Roles",
        # Close, but not the clause's title.
        "8.4 Control of external providers",
        "4 Context",
        "7.5.3.1 Availability",
        # Numbers that are no clause, or no number first.
        "7.10 Something",
        "12.5 Foo",
        "1.2 Confirm the workflow",
        "Procedure 4.1 Confirm",
        "Overview",
        # Another standard's clause.
        "ISO 13485:2016 7.2 Customer-related processes",
        "ISO 13485 7.3 Design and development",
        "Design controls (see ISO 13485 7.3)",
        "Design controls (ISO 13485 7.3)",
        "Design controls (IEC 62304 5.1)",
        # A citation that is not at the start or the end is prose, not a section's subject.
        "See clause 9.2 for audits",
        "Our approach to clause 9.2",
        "Design (8.3.3) inputs",
        "Design inputs (8.3.3).",
        "Design inputs [8.3.3]",
        # Parentheses naming no clause of the standard.
        "Design inputs (8.9)",
        "Design controls (see 7.3)",
        "Clause 7.9 Foo",
    ],
)
def test_heading_does_not_cite_a_clause(heading: str) -> None:
    assert cite_heading(heading, CATALOGUE, RECOGNIZER) is None


@pytest.mark.parametrize(
    ("heading", "clause"),
    [
        # The titles of the German-language editions (DIN EN ISO 9001:2015), shipped with the
        # built-in catalogue.
        ("7.5.3 Lenkung dokumentierter Information", "7.5.3"),
        ("4.1 Verstehen der Organisation und ihres Kontextes", "4.1"),
        ("8.5.1 Steuerung der Produktion und der Dienstleistungserbringung", "8.5.1"),
        # A German heading shortens or drops an article like an English one does.
        ("8.5.1 Steuerung der Produktion und Dienstleistungserbringung", "8.5.1"),
        ("9.2 Internes Audit", "9.2"),
        ("9.3.2 – Eingaben für die Managementbewertung", "9.3.2"),
        ("10.3 Fortlaufende Verbesserung", "10.3"),
    ],
)
def test_a_german_heading_cites_its_clause_by_the_german_title(heading: str, clause: str) -> None:
    citation = cite_heading(heading, CATALOGUE, RECOGNIZER)
    assert citation is not None
    assert (citation.clause, citation.rule) == (clause, "title")


@pytest.mark.parametrize(
    "heading",
    [
        # A German procedure's own section numbers.
        "4.1 Auftrag prüfen",
        "7.2 Schulung",
        "8.5.1 Fertigung",
        # Machine translations of the English headings are not the standard's titles.
        "9.2 Interne Revision",
        "8 Lauf",
    ],
)
def test_a_german_procedure_numbering_is_not_a_clause_citation(heading: str) -> None:
    assert cite_heading(heading, CATALOGUE, RECOGNIZER) is None


@pytest.mark.parametrize(
    "heading",
    [
        "Design inputs, ISO 13485:2016 (7.3)",
        "Software, IEC 62304 (5.1)",
    ],
)
def test_parenthesised_number_after_another_standard_is_not_a_citation(heading: str) -> None:
    # A number binds to the standard named before it (DESIGN.md); cite_heading means to skip
    # these (it scans the text before the parentheses for another standard) but the scan only
    # sees a standard that is followed by a clause number.
    assert cite_heading(heading, CATALOGUE, RECOGNIZER) is None


@pytest.mark.parametrize(
    ("heading", "clause"),
    [
        ("4.1 Confirm the workflow", "4.1"),
        ("7.2 Training", "7.2"),
        ("7.5.3 Control of documented information", "7.5.3"),
        ("7.5.3.1 Availability", "7.5.3.1"),
        ("10. Improvement", "10"),
        ("8.4", "8.4"),
    ],
)
def test_numbers_mode_counts_any_heading_that_starts_with_a_clause_number(
    heading: str, clause: str
) -> None:
    citation = cite_heading(heading, CATALOGUE, RECOGNIZER, "numbers")
    assert citation is not None
    assert (citation.clause, citation.rule) == (clause, "number")


@pytest.mark.parametrize(
    "heading", ["7.10 Something", "12.5 Foo", "Overview", "Procedure 4.1 Confirm"]
)
def test_numbers_mode_ignores_headings_without_a_clause_number_first(heading: str) -> None:
    assert cite_heading(heading, CATALOGUE, RECOGNIZER, "numbers") is None


@pytest.mark.parametrize(
    "heading",
    [
        "7.5.3 Control of documented information",
        "Design inputs (8.3.3)",
        "ISO 9001 8.4 Control of external providers",
        "Clause 9.2: Internal audit",
        "7.5.3.1",
    ],
)
def test_off_mode_never_counts_a_heading(heading: str) -> None:
    assert cite_heading(heading, CATALOGUE, RECOGNIZER) is not None
    assert cite_heading(heading, CATALOGUE, RECOGNIZER, "off") is None


# title_matches -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("Control of documented information", "Control of documented information"),
        ("control of documented information", "Control of documented information"),
        ("Organisational knowledge", "Organizational knowledge"),
        (
            "Control of externally provided processes",
            "Control of externally provided processes, products and services",
        ),
        ("Understanding the organisation", "Understanding the organization and its context"),
        (
            "Roles, responsibilities and authorities",
            "Organizational roles, responsibilities and authorities",
        ),
        ("Internal audits", "Internal audit"),
        ("Communications", "Communication"),
        ("Internal audit programme", "Internal audit"),
        ("Nonconformity & corrective action", "Nonconformity and corrective action"),
    ],
)
def test_title_matches(text: str, title: str) -> None:
    assert title_matches(text, title)


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("Confirm the workflow", "Understanding the organization and its context"),
        ("Record the result", "Understanding the needs and expectations of interested parties"),
        ("Training", "Competence"),
        ("Production", "Control of production and service provision"),
        ("Context", "Context of the organization"),
        (
            "Control of external providers",
            "Control of externally provided processes, products and services",
        ),
        ("Policy on travel expenses", "Policy"),
        ("", "Competence"),
        ("the of and", "Competence"),
        ("Competence", ""),
    ],
)
def test_title_does_not_match(text: str, title: str) -> None:
    assert not title_matches(text, title)


# iter_source_headings ----------------------------------------------------------------------


def headings(body: str, first_line: int = 1) -> list[tuple[str, int, int]]:
    return list(iter_source_headings(body, first_line))


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("# One\n\n## Two\n\n###### Six\n", [("One", 1, 1), ("Two", 2, 3), ("Six", 6, 5)]),
        ("## 7.5 Documented information ##\n", [("7.5 Documented information", 2, 1)]),
        ("### Closing hashes ###########\n", [("Closing hashes", 3, 1)]),
        ("Title\n=====\n\nSection\n-------\n", [("Title", 1, 1), ("Section", 2, 4)]),
        ("## 8.4 Suppliers {#suppliers}\n", [("8.4 Suppliers", 2, 1)]),
        ("## 8.4 Suppliers { #suppliers .wide }\n", [("8.4 Suppliers", 2, 1)]),
        ("#### Scope {: .cls }\n", [("Scope", 4, 1)]),
        (
            "### 8.4 *Control* of **external** `providers`\n",
            [("8.4 Control of external providers", 3, 1)],
        ),
        ("## [Internal audit](audit.md) (9.2)\n", [("Internal audit (9.2)", 2, 1)]),
        ("## __Bold__ and _em_\n", [("Bold and em", 2, 1)]),
    ],
)
def test_source_headings(body: str, expected: list[tuple[str, int, int]]) -> None:
    assert headings(body) == expected


@pytest.mark.parametrize(
    "body",
    [
        "```text\n# 8.3 Not a heading\n## 9.2 Internal audit\n```\n",
        "~~~\n# 8.3 Not a heading\n~~~\n",
        "````markdown\n```\n# 8.3 Not a heading\n```\n````\n",
        "~~~\n```\n# 8.3 Not a heading\n~~~\n",
        "```\n# 8.3 Not a heading\n~~~\n# Still code\n```\n",
        "Paragraph\n\n    # 8.3 indented code\n",
    ],
)
def test_source_headings_skip_code(body: str) -> None:
    assert headings(body) == []


def test_source_headings_after_a_fence_are_read_again() -> None:
    body = "# Top\n\n```\n# code\n```\n\n## 8.4 After\n"
    assert headings(body) == [("Top", 1, 1), ("8.4 After", 2, 7)]


def test_source_headings_count_lines_from_first_line() -> None:
    body = "# Title\n\nText\n\n## 7.5 Documented information\n\nSetext\n------\n"
    assert headings(body, first_line=5) == [
        ("Title", 1, 5),
        ("7.5 Documented information", 2, 9),
        ("Setext", 2, 11),
    ]


def test_source_headings_line_numbers_match_the_file() -> None:
    text = '---\ntitle: T\nclauses: ["4"]\n---\n\n# T\n\n## 8.4 Suppliers\n'
    _raw, body, body_line = split_front_matter(text)
    lines = text.split("\n")
    for heading, _level, line in headings(body, body_line):
        assert heading in lines[line - 1]


def rendered_headings(source: str) -> list[tuple[str, int]]:
    """Headings as MkDocs' Python-Markdown (default extensions + attr_list) renders them."""
    output = markdown.markdown(source, extensions=["toc", "tables", "fenced_code", "attr_list"])
    return [
        (html.unescape(re.sub(r"<[^>]+>", "", m.group(2))), int(m.group(1)))
        for m in re.finditer(r"<h([1-6])[^>]*>(.*?)</h\1>", output, re.DOTALL)
    ]


@pytest.mark.parametrize(
    "source",
    [
        pytest.param("## 7.5 Documented information ##\n", id="closing-hashes"),
        pytest.param("7.5 Documented information\n---\n", id="setext"),
        pytest.param("## 8.4 *Control* of `providers` {#ext}\n", id="markup-attr-list"),
        pytest.param("```\n# 8.3 code\n```\n\n## After\n", id="fenced-code"),
        pytest.param("Text\n\n---\n", id="rule-after-blank-line"),
        pytest.param("#7.5 Documented information\n", id="no-space-after-hashes"),
        pytest.param(" ## 7.5 Documented information\n", id="indented-one-space"),
        pytest.param(
            "Some prose\n7.5 Documented information\n---\n", id="paragraph-continuation-then-rule"
        ),
        pytest.param("> ## 7.5 Documented information\n", id="blockquote"),
        pytest.param("7.5 Documented information\n-\n", id="setext-single-dash"),
        pytest.param("7.5 Documented information\n   ===\n", id="setext-indented-underline"),
    ],
)
def test_source_headings_are_the_headings_python_markdown_renders(source: str) -> None:
    # `qmsdocs check` reads headings from source; the plugin reads the rendered ones. Where
    # they differ, the two give different verdicts on the same manual.
    assert [(text, level) for text, level, _ in headings(source)] == rendered_headings(source)


_TITLES = [c.title for c in CATALOGUE if c.title][:40]
_HEADING_PARTS = st.sampled_from(
    [
        *_TITLES,
        "ISO 9001",
        "ISO 9001:2015",
        "ISO 13485",
        "Clause",
        "clause",
        "Annex",
        "§",
        "A",
        "B",
        "A.4",
        "(",
        ")",
        "(8.4)",
        "7.5.3",
        "4",
        "10.2",
        "8.9",
        "Purpose",
        "of",
        "the",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_HEADING_PARTS, min_size=1, max_size=6).map(" ".join))
def test_the_number_precheck_never_changes_a_heading_citation(heading: str) -> None:
    """Headings without a digit or a one-letter annex id skip the rules; for every heading
    the rules give the same answer with and without that shortcut."""
    import qmsdocs.manual as manual

    for mode in ("titles", "numbers"):
        fast = cite_heading(heading, CATALOGUE, RECOGNIZER, mode)
        shortcut = manual._may_cite_clause
        manual._may_cite_clause = lambda _text: True
        try:
            full = cite_heading(heading, CATALOGUE, RECOGNIZER, mode)
        finally:
            manual._may_cite_clause = shortcut
        assert fast == full
