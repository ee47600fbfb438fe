"""`qmsdocs scan`: pages devoted to one clause, whose title or opening names it ("devoted")."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from qmsdocs.cli import main
from qmsdocs.scan import Evidence, ScanResult, Suggestion, format_report, scan_manual, scan_sources
from qmsdocs.standards import load_builtin_catalogue
from tests.conftest import CORPORA

CATALOGUE = load_builtin_catalogue("iso9001-2015")
needs_corpora = pytest.mark.skipif(
    not CORPORA.is_dir(), reason=f"the shared corpora are not here ({CORPORA})"
)


def _scan(text: str, page: str = "p.md") -> ScanResult:
    return scan_sources([(page, textwrap.dedent(text).lstrip("\n"))], CATALOGUE)


def _devoted(result: ScanResult, page: str = "p.md") -> list[Evidence]:
    return [e for e in result.page(page).addresses if e.kind == "devoted"]


# Pages devoted to one clause ----------------------------------------------------------------

PROCEDURE_WITH_BANNER = """
    # Supplier selection and monitoring

    ISO 9001 Clause 8.4

    **Owner:** Head of purchasing · **Revision:** 4

    ## Selecting a supplier

    New suppliers fill in the self-assessment. Calibration suppliers must also meet
    clause 7.1.5, and their certificates are kept as documented information (clause 7.5.3).

    ## Monitoring

    Purchasing rates every supplier each quarter.
    """

REFERENCE_DOCUMENT = """
    ---
    title: "REF-07: Quality objectives"
    owner: Quality manager
    ---

    **Document:** REF-07 · **Version:** 2.1

    **ISO 9001:2015 reference:** 6.2

    ## Objectives for 2025

    | Objective | Measure | Target |
    |---|---|---|
    | On-time delivery | Deliveries on the confirmed date | 98 % |
    | Complaints | Complaints per 1000 orders | < 2 |

    ## Review

    Progress is reported to the management review (see clause 9.3.2).
    """

VERFAHRENSANWEISUNG = """
    # Verfahrensanweisung VA-07: Lenkung dokumentierter Information

    | Dokument | VA-07 |
    |---|---|
    | Version | 3.1 |
    | Normbezug | ISO 9001:2015 Kapitel 7.5 |
    | Freigabe | Geschäftsführung |

    ## Zweck

    Die VA regelt, wie Dokumente erstellt, geprüft, freigegeben und archiviert werden.

    ## Ablauf

    Aufzeichnungen werden nach § 257 HGB zehn Jahre aufbewahrt.
    """

VERFAHRENSANWEISUNG_IN_A_QUOTE = """
    # Verfahrensanweisung Lenkung dokumentierter Information

    > **Normbezug:** ISO 9001:2015 Kapitel 7.5

    ## Geltungsbereich

    Alle Dokumente des QM-Systems.
    """

BLOCKQUOTE_BANNER = """
    # Purchasing

    > Clause 8.4 — Control of externally provided processes, products and services

    ## Approved suppliers

    Production orders follow clause 8.5.1.
    """

GERMAN_BANNER = """
    # Lenkung dokumentierter Information

    > Kapitel 7.5 – Lenkung dokumentierter Information

    ## Ablauf
    """

TABLE_ROW_REFERENCE = """
    # Quality objectives

    | Field | Value |
    |---|---|
    | Document | QO-01 |
    | Standard reference | ISO 9001 6.2 |

    ## Objectives
    """

ADMONITION_TITLE = """
    # Control of documents

    !!! info "ISO 9001:2015 Clause 7.5"

        Every document has an owner and a reviewer.

    ## Approval
    """

FRONT_MATTER_TITLE = """
    ---
    title: "Clause 9.2: Internal audit"
    ---

    We audit every process at least once in three years.

    ## Programme
    """

TITLED_LIKE_THE_CLAUSE = """
    # Management review

    Top management reviews the quality management system once a year, as clause 9.3
    requires.

    ## Inputs

    ## Outputs
    """


@pytest.mark.parametrize(
    ("text", "clause", "line"),
    [
        (PROCEDURE_WITH_BANNER, "8.4", 3),
        (REFERENCE_DOCUMENT, "6.2", 8),
        (VERFAHRENSANWEISUNG, "7.5", 6),
        (VERFAHRENSANWEISUNG_IN_A_QUOTE, "7.5", 3),
        (BLOCKQUOTE_BANNER, "8.4", 3),
        (GERMAN_BANNER, "7.5", 3),
        (TABLE_ROW_REFERENCE, "6.2", 6),
        (ADMONITION_TITLE, "7.5", 3),
        (FRONT_MATTER_TITLE, "9.2", 2),
        (TITLED_LIKE_THE_CLAUSE, "9.3", 3),
    ],
    ids=[
        "procedure banner",
        "reference document",
        "Verfahrensanweisung",
        "German label in a quote",
        "blockquote banner",
        "German banner with the page's title",
        "table row",
        "admonition title",
        "front matter title",
        "title of the clause",
    ],
)
def test_a_page_devoted_to_one_clause_addresses_it(text: str, clause: str, line: int) -> None:
    result = _scan(text)
    [evidence] = _devoted(result)
    assert (evidence.clause, evidence.line) == (clause, line)
    page = result.page("p.md")
    assert clause in page.clauses(CATALOGUE)
    assert page.suggestion == Suggestion((clause,))
    # The banner is the evidence, not a mention of the clause as well.
    assert (clause, line) not in {(e.clause, e.line) for e in page.mentions}


def test_mentions_further_down_stay_mentions() -> None:
    result = _scan(PROCEDURE_WITH_BANNER)
    assert {e.clause for e in result.page("p.md").mentions} == {"7.1.5", "7.5.3"}
    assert result.page("p.md").clauses(CATALOGUE) == ["8.4"]


def test_the_devoted_clause_is_the_pages_subject() -> None:
    # A subsection citing another clause is then a mention, as under a statement.
    result = _scan(
        """
        # Quality policy

        > ISO 9001:2015 Clause 5.2

        ## Communicating the policy

        ### Awareness (7.3)
        """
    )
    page = result.page("p.md")
    assert page.clauses(CATALOGUE) == ["5.2"]
    assert [(e.clause, e.note) for e in page.mentions] == [
        ("7.3", "a subsection outside the page's subject (5.2)")
    ]
    assert page.suggestion == Suggestion(("5.2",), True)


def test_a_line_that_is_a_statement_already_is_not_counted_twice() -> None:
    labelled = "# Processes\n\nReference: ISO 9001:2015, Clause 4.4\n\n## Process map\n"
    result = _scan(labelled)
    assert {(e.clause, e.kind) for e in result.page("p.md").addresses} == {("4.4", "statement")}
    # A banner of its own beside the statement is still evidence.
    both = _scan(
        """
        # Purchasing

        Reference: ISO 9001:2015, Clause 8.4

        > Clause 8.4 — Control of externally provided processes

        ## Suppliers
        """
    )
    kinds = [(e.kind, e.line) for e in both.page("p.md").addresses]
    assert kinds == [("statement", 3), ("devoted", 5)]


def test_a_level_one_heading_citing_the_clause_is_a_heading() -> None:
    result = _scan("# Clause 9.3: Management review\n\nText.\n\n## Inputs\n")
    assert [(e.kind, e.line) for e in result.page("p.md").addresses] == [("heading", 1)]


def test_a_number_before_the_clauses_own_title() -> None:
    # In front matter, where no heading rule reads it.
    result = _scan("---\ntitle: 6.2 Quality objectives\n---\n\n## Objectives\n")
    assert [(e.clause, e.kind, e.line) for e in _devoted(result)] == [("6.2", "devoted", 2)]


# Not devoted ------------------------------------------------------------------------------

OVERVIEW = """
    # Our quality management system

    This manual covers all requirements of ISO 9001:2015 clauses 4 to 10.

    > ISO 9001:2015 Clause 4 — Context of the organization

    ## Scope
    """

CHAPTER_OVERVIEW = """
    # Operation

    > ISO 9001:2015 Clause 8 — Operation

    This chapter introduces our operational processes.

    ## Planning
    """

CHECKLIST = """
    # Internal audit checklist

    | Clause | Question | Finding |
    |---|---|---|
    | 4.1 | Are internal and external issues determined? | |
    | 4.2 | Are interested parties and their requirements known? | |
    | 5.2 | Is the quality policy communicated? | |

    ## Notes
    """

CHECKLIST_OF_BANNERS = """
    # Audit checklist

    > Clause 4.1 — Understanding the organization and its context

    - Are internal and external issues determined?

    ## Leadership

    > Clause 5.1 — Leadership and commitment

    - Does top management take accountability?
    """

TASK_LIST = """
    # Readiness checklist

    - [ ] Clause 7.5 — Control of documented information
    - [ ] Clause 8.4 — Control of externally provided processes

    ## Sign-off
    """

MANAGEMENT_REVIEW_RECORD = """
    ---
    title: 7.1 Human resources
    ---

    Minutes of the management review of 12 March 2025, item 7.1.

    ## 1. Attendees

    ## 2. Agenda

    ## 3. Decisions
    """

MANAGEMENT_REVIEW_ITEM = """
    ---
    title: 7.1 Resources
    ---

    ## 1. Budget

    ## 2. Staffing
    """

ISO_14001_PAGE = """
    # Environmental aspects

    **Standard reference:** ISO 14001:2015 6.1.2

    ## Method

    Clause 6.1.2 asks for a life cycle perspective.
    """

INTEGRATED_PAGE = """
    # Documented information

    > ISO 9001:2015 7.5 / ISO 14001:2015 7.5

    ## Rules
    """

INTEGRATED_LABELS = """
    # Actions to address risks and opportunities

    **ISO 9001:2015 reference:** 6.1

    **ISO 14001:2015 reference:** 6.1.2

    ## Method
    """

ANOTHER_STANDARDS_LABEL = """
    # Scope of the management system

    <!--
    ISO 27001:2022 Reference: Clause 4.3 - Determining the scope of the ISMS
    -->

    ## Scope

    - [TODO: Interfaces to ISO 9001 or other management systems]
    """

TWO_CLAUSES_IN_THE_BANNER = """
    # Competence and awareness

    > ISO 9001:2015 Clauses 7.2 and 7.3

    ## Training
    """

TWO_BANNERS = """
    # Resources

    > ISO 9001:2015 Clause 7.1

    > ISO 9001:2015 Clause 7.2

    ## People
    """

TEMPLATE_TO_DO = """
    # Quality objectives

    TODO: describe how the objectives support clause 6.2.

    > **To do:** link the KPI register (ISO 9001 Clause 6.2)

    ## Objectives
    """

ANOTHER_CLAUSE_FURTHER_DOWN = """
    # Purchasing

    > Clause 8.4 — Control of externally provided processes

    ## Records (7.5.3)
    """

NAMED_WITH_ANOTHER = """
    # Management review

    Top management reviews the QMS as clause 9.3 requires, using the audit results (9.2)
    and the analysis of clause 9.1.3.

    ## Inputs
    """

NAMED_IN_PASSING = """
    # Planning

    Risks are assessed once a year (see clause 6.1).

    ## Method
    """


@pytest.mark.parametrize(
    "text",
    [
        OVERVIEW,
        CHAPTER_OVERVIEW,
        CHECKLIST,
        CHECKLIST_OF_BANNERS,
        TASK_LIST,
        MANAGEMENT_REVIEW_RECORD,
        MANAGEMENT_REVIEW_ITEM,
        ISO_14001_PAGE,
        INTEGRATED_PAGE,
        INTEGRATED_LABELS,
        ANOTHER_STANDARDS_LABEL,
        TWO_CLAUSES_IN_THE_BANNER,
        TWO_BANNERS,
        TEMPLATE_TO_DO,
        ANOTHER_CLAUSE_FURTHER_DOWN,
        NAMED_WITH_ANOTHER,
        NAMED_IN_PASSING,
    ],
    ids=[
        "overview of clauses 4-10",
        "chapter overview",
        "checklist table",
        "checklist of banners",
        "task list",
        "management review record",
        "record item numbered its own way",
        "ISO 14001 page",
        "integrated page",
        "integrated labels",
        "another standard's label",
        "two clauses in the banner",
        "two banners",
        "template to-do lines",
        "another clause further down",
        "named with another clause",
        "named in passing",
    ],
)
def test_no_devoted_evidence(text: str) -> None:
    assert _devoted(_scan(text)) == []


def test_the_record_and_the_iso_14001_page_address_nothing() -> None:
    assert _scan(MANAGEMENT_REVIEW_RECORD).page("p.md").addresses == []
    page = _scan(ISO_14001_PAGE).page("p.md")
    assert page.addresses == [] and page.foreign == ("ISO 14001:2015",)


# Report, JSON and --write ----------------------------------------------------------------


def test_the_report_names_the_kind() -> None:
    report = format_report(_scan(BLOCKQUOTE_BANNER))
    assert (
        "  addresses 8.4      page devoted to the clause: its title/opening names it (line 3)"
        in report
    )
    assert '  suggest   clauses: ["8.4"]' in report


def test_json_and_write(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    page = textwrap.dedent(REFERENCE_DOCUMENT).lstrip("\n")
    (docs / "ref-07.md").write_text(page, encoding="utf-8")
    scanned = CliRunner().invoke(main, ["scan", str(docs), "--format", "json"])
    assert scanned.exit_code == 0, scanned.output
    [data] = json.loads(scanned.output)["pages"]
    assert data["addresses"] == ["6.2"]
    assert data["evidence"] == [
        {"clause": "6.2", "kind": "devoted", "line": 8, "text": "ISO 9001:2015 reference: 6.2"}
    ]
    assert data["suggested"] == {"clauses": ["6.2"], "heading_coverage_off": False}
    written = CliRunner().invoke(main, ["scan", str(docs), "--write"])
    assert written.exit_code == 0, written.output
    text = (docs / "ref-07.md").read_text(encoding="utf-8")
    assert text == page.replace(
        "owner: Quality manager\n", 'owner: Quality manager\nclauses: ["6.2"]\n'
    )
    # Declared now: nothing more to suggest.
    again = scan_manual(docs)
    assert again.pages[0].suggestion == Suggestion(None)


# The shared corpora ---------------------------------------------------------------------


@needs_corpora
@pytest.mark.parametrize("corpus", ["handbook-generator-iso9001", "openregulatory"])
def test_the_corpora_gain_no_devoted_evidence(corpus: str) -> None:
    # The templates say their clause in a statement (their author note) on the very line a
    # banner would be; the ISMS templates cite ISO/IEC 27001 clauses, the OpenRegulatory ones
    # ISO 13485's. Neither is devoted evidence for ISO 9001.
    result = scan_manual(CORPORA / corpus)
    assert [p.page for p in result.pages if any(e.kind == "devoted" for e in p.addresses)] == []
