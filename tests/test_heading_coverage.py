"""What a heading covers, on manuals written the way people write them.

Overview headings ("Planning (Clause 6)", "Clause 8: Operation") point at a whole clause: they
are references, never coverage. A record that numbers its own sections ("2. Agenda", "7.1 Human
resources") cites no clause by those numbers. Shortened titles, parenthesised citations with
the standard or several clauses, and German keywords do cite their clauses.
"""

from __future__ import annotations

import json
import textwrap

import pytest

from qmsdocs.assessment import assess
from qmsdocs.editions import Editions
from qmsdocs.manual import cite_heading
from qmsdocs.references import Recognizer
from qmsdocs.standards import load_builtin_catalogue

CATALOGUE = load_builtin_catalogue("iso9001-2015")
RECOGNIZER = Recognizer([CATALOGUE])
LEAVES = [c.id for c in CATALOGUE.required_leaves()]


@pytest.mark.parametrize(
    ("heading", "clauses"),
    [
        # Titles as people shorten them.
        ("4.3 Scope of the QMS", ("4.3",)),
        ("4.4 QMS and its processes", ("4.4",)),
        ("6.2 Quality objectives", ("6.2",)),
        ("8.3 Design and development", ("8.3",)),
        ("7.1.6 Organisational knowledge", ("7.1.6",)),
        # Parentheses that hold more than a number.
        ("Outputs (ISO 9001:2015, Clause 9.3.3)", ("9.3.3",)),
        ("Context of the organization (Clauses 4.1 and 4.2)", ("4.1", "4.2")),
        ("Plan-do-check-act (Clause 4.4, General)", ("4.4",)),
        ("Design inputs (8.3.3)", ("8.3.3",)),
        # German keywords.
        ("Managementbewertung (Abschnitt 9.3.2)", ("9.3.2",)),
        ("Abschnitt 8.4: Steuerung extern bereitgestellter Prozesse", ("8.4",)),
        ("Kapitel 7.5 Dokumentierte Information", ("7.5",)),
    ],
)
def test_headings_that_address_clauses(heading: str, clauses: tuple[str, ...]) -> None:
    citation = cite_heading(heading, CATALOGUE, RECOGNIZER)
    assert citation is not None
    assert (citation.clauses, citation.overview) == (clauses, False)


@pytest.mark.parametrize(
    "heading",
    [
        "Planning (Clause 6)",
        "Improvement (Clause 10)",
        "Clause 8: Operation",
        "Clause 4 — Context of the organization",
        "Abschnitt 4: Kontext der Organisation",
        "Clauses 4-5",
        "Clauses 8.1 - 8.3",
        "10 Improvement",
    ],
)
def test_overview_headings_are_references_not_coverage(heading: str) -> None:
    citation = cite_heading(heading, CATALOGUE, RECOGNIZER)
    assert citation is not None and citation.overview


@pytest.mark.parametrize(
    "heading",
    [
        "4.1 Confirm the workflow",
        "8.4 Purchasing",  # one shared idea is not the clause's title
        "7.1 General",
        "Risk (ISO 14001 6.1)",
        "Audit (see section 9.2 of our policy)",
        "Beschaffung (ISO 14001 Abschnitt 8.1)",
    ],
)
def test_headings_that_cite_nothing(heading: str) -> None:
    assert cite_heading(heading, CATALOGUE, RECOGNIZER) is None


def _verdict(pages: dict[str, str]):  # type: ignore[no-untyped-def]
    sources = [(path, textwrap.dedent(text).lstrip("\n")) for path, text in pages.items()]
    return assess(sources, Editions(CATALOGUE))


def test_an_overview_home_page_covers_nothing_and_the_gate_names_every_leaf() -> None:
    home = """
        # Our quality management system

        ## Context (Clause 4)

        We know our context.

        ## Leadership (Clause 5)

        ## Planning (Clause 6)

        ## Support (Clause 7)

        ## Operation (Clause 8)

        ## Performance evaluation (Clause 9)

        ## Improvement (Clause 10)
        """
    checklist = """
        # Internal audit checklist

        ## Clause 8: Operation

        - Are customer requirements reviewed before acceptance?

        ## Clause 9: Performance evaluation

        - Are audits planned?
        """
    result = _verdict({"index.md": home, "audit/checklist.md": checklist})
    assert result.coverage.declarations == []
    missing = sorted(
        (f.subject for f in result.findings if f.code == "missing-clause"),
        key=LEAVES.index,
    )
    assert missing == LEAVES
    # The overviews are still recorded: the clause pages list them as references.
    assert {r.clause for r in result.references} == {"4", "5", "6", "7", "8", "9", "10"}


def test_a_record_that_numbers_its_own_sections_covers_nothing() -> None:
    minutes = """
        # Management review, March 2026

        ## 1. Attendees

        ## 2. Agenda

        ## 3. Actions from the last review

        ### 7.1 Human resources

        Two new inspectors.

        ## 10. Improvement opportunities

        ## Clause 9.3.2: Management review inputs

        The inputs were all presented.
        """
    result = _verdict({"reviews/2026-03.md": minutes})
    # The explicit citation counts; the record's own numbers do not.
    assert [(d.clause, d.line) for d in result.coverage.declarations] == [("9.3.2", 15)]


def test_a_manual_numbered_by_clause_keeps_its_numbered_headings() -> None:
    manual = """
        # Support

        ## 7.1 Resources

        ## 7.2 Competence

        ## 7.3 Awareness

        ## 7.4 Communication

        ### 7.4.1 Our own numbering of a step
        """
    result = _verdict({"support.md": manual})
    assert [d.clause for d in result.coverage.declarations] == ["7.1", "7.2", "7.3", "7.4"]


def test_shortened_and_parenthesised_headings_cover_their_clauses() -> None:
    manual = """
        # Quality manual

        ## 4.3 Scope of the QMS

        ## Context of the organization (Clauses 4.1 and 4.2)

        ## Plan-do-check-act (Clause 4.4, General)

        ## Outputs (ISO 9001:2015, Clause 9.3.3)

        ## Managementbewertung (Abschnitt 9.3.2)
        """
    result = _verdict({"manual.md": manual})
    covered = {c for c, v in result.coverage.verdicts.items() if v.status == "covered"}
    assert {"4.1", "4.2", "4.3", "4.4", "9.3.2", "9.3.3"} <= covered


def test_exports_name_sections_as_readers_see_them(site, plugin_log) -> None:  # type: ignore[no-untyped-def]
    # A contents list above repeats a heading's words; an icon and inline HTML in the headings.
    page = """
        # Planning

        - [Actions (Clause 6.1)](#actions)

        ## <span class="qms-x">Actions</span> (Clause 6.1)

        We keep a risk register of what could go wrong, and of what could go better, and
        review it every quarter.

        ## :material-target: Objectives (6.2)

        We set objectives each year.
        """
    built = site({"planning.md": page}, markdown_extensions=["attr_list", "md_in_html"])
    data = json.loads(built.html("coverage.json"))
    addressed = {
        c["clause"]: c["addressed_by"][0] for c in data["clauses"] if c["clause"] in ("6.1", "6.2")
    }
    assert {k: (v["section_title"], v["line"]) for k, v in addressed.items()} == {
        "6.1": ("Actions (Clause 6.1)", 5),
        "6.2": ("Objectives (6.2)", 10),
    }
    assert all(v["section"] for v in addressed.values())
    assert (addressed["6.1"]["words"], addressed["6.2"]["words"]) == (21, 5)
    # Five words do not address 6.2's subclauses: a warning names them.
    (thin,) = [r.getMessage() for r in plugin_log.records if r.levelname == "WARNING"]
    assert "planning.md:10: clauses 6.2.1 and 6.2.2 are covered in name only" in thin
    plugin_log.mark_all_checked()
