"""How strongly each clause is covered (kind, words, in name only), and drafts that are not
coverage yet: realistic pages of several kinds, read as `qmsdocs check` and the build read them."""

from __future__ import annotations

import json
import textwrap

from hypothesis import given
from hypothesis import strategies as st

from qmsdocs.assessment import Rules, assess
from qmsdocs.editions import Editions
from qmsdocs.findings import Severity, report_lines
from qmsdocs.mentions import TitleIndex
from qmsdocs.prose import prose_text
from qmsdocs.sections import Sections
from qmsdocs.standards import load_builtin_catalogue

from .conftest import NAMES_EVERY_CLAUSE, naming

CATALOGUE = load_builtin_catalogue("iso9001-2015")
REST = '---\nclauses: ["4", "5", "6", "7", "9", "10"]\n---\n# Rest\n\n' + naming(
    "4", "5", "6", "7", "9", "10"
)


def _assess(pages: dict[str, str], **rules: object):  # type: ignore[no-untyped-def]
    sources = [(path, textwrap.dedent(text).lstrip("\n")) for path, text in pages.items()]
    return assess(sources, Editions(CATALOGUE), Rules(**rules))  # type: ignore[arg-type]


def _codes(result, code: str) -> list[str]:  # type: ignore[no-untyped-def]
    return [f.message for f in result.findings if f.code == code]


# Sections --------------------------------------------------------------------------------------


def _sections(body: str) -> Sections:
    lines = body.split("\n")
    headings = [(i + 1, len(line) - len(line.lstrip("#"))) for i, line in enumerate(lines)]
    headings = [(line, level) for line, level in headings if level]
    prose = prose_text(body, {line - 1 for line, _ in headings})
    return Sections(prose, 1, headings)


def test_a_section_counts_its_own_words_and_its_subsections() -> None:
    sections = _sections(
        "# Manual\n\n## 8.4 Purchasing\n\nWe buy from approved suppliers only.\n\n"
        "### 8.4.2 Control\n\nEach order is checked on receipt.\n\n## 8.5 Production\n\nMade.\n"
    )
    assert sections.under(3).words == 6 + 6
    assert sections.under(7).words == 6
    assert sections.under(11).words == 1
    assert sections.page.words == 13


def test_prompts_and_their_text_are_not_the_authors_words() -> None:
    sections = _sections(
        '## 7.2 Competence\n\n!!! warning "To do"\n    Describe how you decide who is competent\n'
        "    for each role.\n\nWe train.\n\n## 7.3 Awareness\n\nSee [ToDo: write this].\n"
    )
    competence = sections.under(1)
    assert (competence.words, competence.prompts) == (2, 1)
    assert sections.under(9).prompted
    assert sections.page.prompts == 2


def test_code_and_html_are_not_words() -> None:
    sections = _sections(
        "## 8.4 Purchasing\n\n```\none two three four five\n```\n\n<div>\nsix\n</div>\n"
    )
    assert sections.under(1).words == 0


@given(
    st.lists(
        st.sampled_from(["## 7.1 Resources", "Some words here.", "", "```", "!!! todo"]),
        max_size=30,
    )
)
def test_sections_never_hold_more_than_the_page(lines: list[str]) -> None:
    body = "\n".join(lines)
    sections = _sections(body)
    for index, line in enumerate(lines):
        if line.startswith("#"):
            extent = sections.under(index + 1)
            assert 0 <= extent.words <= sections.page.words
            assert 0 <= extent.prompts <= sections.page.prompts


# Titles named in prose ---------------------------------------------------------------------------


def test_titles_are_named_by_a_distinctive_pair_of_their_words() -> None:
    index = TitleIndex(CATALOGUE)
    assert {"7.1.3", "7.1.6"} <= index.named_in(
        "Our infrastructure and our organisational knowledge"
    )
    assert "5.2.1" in index.named_in("The Quality Policy is set by the board.")
    assert "8.5.4" in index.named_in("Preservation of parts in stores")
    # Words every operation clause shares name none of them.
    assert not {"8.6", "8.4", "8.3"} & index.named_in("We deliver products and services.")
    # "General" names nothing.
    assert not any(
        c.endswith(".1") and CATALOGUE[c].title == "General" for c in index.named_in("General")
    )


# Thin coverage -----------------------------------------------------------------------------------


def test_a_whole_chapter_declared_on_a_page_that_names_little_of_it_is_thin() -> None:
    operations = """
        ---
        clauses: ["8"]
        ---
        # Operations

        We plan production weekly and release products after final inspection.
        Customer property is logged on arrival; post-delivery support is by phone.
        Design and development is done by our sister company (see clause 8.3).
        """
    result = _assess({"rest.md": REST, "ops.md": operations})
    thin = {v.clause.id for v in result.coverage.thin()}
    # Named: 8.3 by number (and so its subclauses), 8.5.5 and 8.6 by their titles' words.
    assert {"8.3.2", "8.3.6", "8.5.5", "8.6"}.isdisjoint(thin)
    # Not named: "customer property" is not 8.5.3's "property belonging to customers".
    assert {"8.1", "8.2.1", "8.4.2", "8.5.3", "8.5.4", "8.7.1"} <= thin
    (message,) = _codes(result, "thin-coverage")
    assert message.startswith("clauses 8.1, 8.2.1, ")
    assert "declared through clause 8 in front matter" in message
    assert result.coverage.verdicts["8.5.4"].kind == "parent"
    # A warning: the gate still passes.
    assert not [f for f in result.findings if f.severity is Severity.ERROR]


def test_an_empty_heading_is_thin_and_a_written_one_is_not() -> None:
    procedure = """
        # Purchasing procedure

        ## 8.4.2 Type and extent of control

        ## 8.4.3 Information for external providers

        Every purchase order states the drawing, its revision, the material certificate we
        need, and the inspection we will do when the parts arrive at our goods-in bench.
        """
    pages = {
        "rest.md": REST,
        "p.md": procedure,
        "all8.md": '---\nclauses: ["8"]\n---\n# O\n\n' + naming("8"),
    }
    result = _assess(pages)
    verdicts = result.coverage.verdicts
    assert (verdicts["8.4.2"].kind, verdicts["8.4.2"].words, verdicts["8.4.2"].thin) == (
        "heading",
        0,
        True,
    )
    assert (verdicts["8.4.3"].words, verdicts["8.4.3"].thin) == (27, False)
    (message,) = _codes(result, "thin-coverage")
    assert message == (
        "clause 8.4.2 is covered in name only: the section under the heading "
        "'8.4.2 Type and extent of control' has fewer than 15 words"
    )


def test_untitled_and_general_subclauses_are_named_with_their_parent() -> None:
    audit = """
        ---
        clauses: ["9.2"]
        ---
        # Internal audit

        We audit every process once a year against a programme set by the Quality Manager.
        """
    result = _assess({"rest.md": REST.replace('"9", ', '"9.1", "9.3", '), "audit.md": audit})
    assert not result.coverage.verdicts["9.2.1"].thin  # 9.2.1 has no title of its own


# Drafts ------------------------------------------------------------------------------------------


def test_sections_with_prompts_are_drafted_even_on_an_effective_page() -> None:
    page = """
        ---
        document:
          {id: QM-08, revision: "1", status: effective, owner: QM, approved_by: MD,
           approved_on: 2026-01-05}
        ---
        # Operation

        ## 8.1 Operational planning and control

        We plan each order on the weekly production board, with its materials, routings,
        inspections and the records each step leaves behind for the customer.

        ## 8.2 Requirements for products and services

        !!! warning "To do"
            Say how you agree requirements with customers.
        """
    result = _assess(
        {
            "rest.md": REST,
            "op.md": page,
            "more.md": '---\nclauses: ["8.3", "8.4", "8.5", "8.6", "8.7"]\n---\n# M\n\n'
            + naming("8.3", "8.4", "8.5", "8.6", "8.7"),
        }
    )
    verdicts = result.coverage.verdicts
    assert verdicts["8.1"].status == "covered"
    assert {verdicts[c].status for c in ("8.2.1", "8.2.2", "8.2.4")} == {"drafted"}
    overall = result.coverage.summary()
    assert (overall.drafted, overall.missing) == (5, 0)
    lines = report_lines(result.findings)
    drafted = [text for severity, text in lines if "[drafted-clause]" in text]
    assert drafted == [
        "ISO 9001:2015 8 Operation: 8.2.1, 8.2.2, 8.2.3.1, 8.2.3.2, 8.2.4: drafted, not approved: "
        "addressed only by drafts or by sections that still hold To do prompts (approve their "
        "documents and replace the prompts, or set publish_drafts: true to publish the manual "
        "as a draft) [drafted-clause]"
    ]


def test_an_approved_page_outweighs_a_draft_and_publish_drafts_lets_drafts_pass() -> None:
    draft = (
        '---\nclauses: ["8"]\ndocument: {id: D-1, revision: "0.1", status: draft, owner: QM}\n'
        "---\n# D\n\n" + naming("8")
    )
    alone = _assess({"rest.md": REST, "d.md": draft})
    assert alone.coverage.summary().drafted == 24
    assert {f.severity for f in alone.findings if f.code == "drafted-clause"} == {Severity.ERROR}
    published = _assess({"rest.md": REST, "d.md": draft}, publish_drafts=True)
    assert {f.severity for f in published.findings if f.code == "drafted-clause"} == {Severity.INFO}
    assert published.coverage.verdicts["8.5.4"].status == "drafted"
    approved = _assess(
        {
            "rest.md": REST,
            "d.md": draft,
            "all.md": '---\nclauses: ["8"]\n---\n# A\n\n' + naming("8"),
        }
    )
    assert approved.coverage.summary().drafted == 0


def test_the_whole_standard_page_of_the_test_sites_is_neither_thin_nor_drafted() -> None:
    page = (
        '---\nclauses: ["4", "5", "6", "7", "8", "9", "10"]\n---\n\n# All\n\n' + NAMES_EVERY_CLAUSE
    )
    result = _assess({"whole.md": page})
    assert result.coverage.complete and not result.coverage.thin()
    assert not _codes(result, "drafted-clause")


# The build -------------------------------------------------------------------------------------


def test_the_matrix_and_clause_pages_say_how_each_clause_is_covered(site, plugin_log) -> None:  # type: ignore[no-untyped-def]
    procedure = (
        "# Purchasing\n\n## 8.4.3 Information for external providers\n\n"
        "Every purchase order states the drawing, its revision, the material certificate we "
        "need, and the inspection we will do when the parts arrive.\n\n"
        "## 8.4.2 Type and extent of control\n"
    )
    built = site({"p.md": procedure})
    plugin_log.mark_all_checked()  # 8.4.2's empty section: asserted below from the export
    data = {c["clause"]: c for c in json.loads(built.html("coverage.json"))["clauses"]}
    assert (data["8.4.3"]["kind"], data["8.4.3"]["words"], data["8.4.3"]["thin"]) == (
        "heading",
        23,
        False,
    )
    assert (data["8.4.2"]["kind"], data["8.4.2"]["thin"]) == ("heading", True)
    assert data["8.5.4"]["kind"] == "parent" and data["4"]["kind"] == "front-matter"
    matrix = built.html("coverage/index.html")
    assert "cited by a heading (23 words)" in matrix
    assert 'qms-how qms-how--thin">cited by a heading (0 words): in name only' in matrix
    assert "through 8 (front matter)" in matrix
    clause_page = built.html("clauses/iso9001-2015/8/index.html")
    assert "cited by a heading (23 words)" in clause_page
