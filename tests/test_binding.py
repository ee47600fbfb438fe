"""Clause numbers bound to the right standard, on pages that also speak of other standards.

A compliance site lives with ISO 9001 beside ISO/IEC 27001, ISO 22301, ISO/IEC 42001, ISO 14001
and a privacy policy with numbered sections. Every ISO 9001 reference must link, and nothing
else: "clause 8.4" on a continuity page is ISO 22301's, "§3" after "Privacy Policy" is the
policy's. The pages below are written in the styles such sites use (labels, tables, section
signs, own numbering); the test reads what the built site links and what the gate counts.
"""

from __future__ import annotations

import json
import logging
import re
import textwrap

import jsonschema
import markdown
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st
from mkdocs.config import load_config
from mkdocs.exceptions import Abort

from qmsdocs.assessment import Assessor, PageAssessment
from qmsdocs.binding import family, load_known_standards
from qmsdocs.blocks import prose_blocks
from qmsdocs.cli import main
from qmsdocs.editions import Editions
from qmsdocs.exports import load_schema
from qmsdocs.findings import QMSDataError
from qmsdocs.markdown_ext import QMSExtension
from qmsdocs.references import Recognizer
from qmsdocs.scopes import PageScopes, label_binding, page_binding
from qmsdocs.standards import load_builtin_catalogue

from .conftest import CORPORA, REPO, write_site

CATALOGUE = load_builtin_catalogue("iso9001-2015")
RECOGNIZER = Recognizer([CATALOGUE])
CLAUSE_LINK = re.compile(r'<a class="qms-clause" href="[^"]*#clause-(?P<anchor>[0-9A-Za-z-]+)"')

COMPLIANCE_SITE = {
    "quality/purchasing.md": """
        ---
        clauses: ["8.4"]
        ---

        # Purchasing

        Suppliers are evaluated before the first order, as clause 8.4.1 asks; § 8.4.2 sets the
        type and extent of control, and the information we give them follows §8.4.3.

        | Step | Reference |
        |------|-----------|
        | Approve the supplier | Clause 8.4.1 |
        | Check incoming goods | ISO 9001:2015 8.6 |
        """,
    "isms/index.md": """
        # ISO/IEC 27001 information security

        ## Management system (Clauses 4–10)

        The ISMS follows the harmonised structure; clause 9.3 asks for a management review and
        clause 6.1.3 for risk treatment (clause 9.3 requirements are compatible).

        ## Annex A controls

        Access rights follow Annex A.5.18 and Annex A.8.2; the whole of Annex A is in the SoA.

        ## Shared review

        Our ISO 9001 management review (ISO 9001:2015 clause 9.3) also covers the ISMS.
        """,
    "bcm/plans.md": """
        # Continuity plans

        Implements: documented continuity plans per critical process (clause 8.4)
        Standard: ISO 22301:2019

        | Artefact | Clause |
        |----------|--------|
        | BC communication plan | Clause 8.4.3, 7.4 |
        | Exercise report | Clause 8.5 |
        """,
    "ai/governance.md": """
        ---
        standard: ISO/IEC 42001:2023
        ---

        # AI governance

        The AI governance principles (§0) apply to every model. ai-governance.md §8.1 defines
        the impact assessment, and the Impact assessment template §2 lists its questions.
        Controls are in Annex A and the guidance in Annex B; see clause 6.1.4 for the system
        impact assessment.
        """,
    "privacy/policy.md": """
        # Privacy Policy

        ## 3 Subject access requests

        Privacy Policy §3 — subject access requests are answered within one month, as GDPR
        Article 15 requires (see §4 below for exemptions).

        ## 4 Exemptions

        Exemptions are recorded in the register named in this policy, § 2.
        """,
    "ims/environment.md": """
        # Integrated management system

        ## ISO 14001 environmental aspects

        Aspects are evaluated as clause 6.1.2 asks, and the results feed clause 6.2.

        ### Quality objectives (ISO 9001)

        Quality objectives are set as clause 6.2 asks and reviewed under clause 9.3.

        ## Shared planning

        ISO 9001 and ISO 14001 both ask for it (clause 6.1).
        """,
    "quality/review-minutes.md": """
        # Management review minutes, March

        ISO 45001 certification is planned for next year. Its clause 9.2 audit programme is
        drafted by the safety team.

        Inputs per clause 9.3.2 were all covered; outputs are recorded as clause 9.3.3 asks.
        """,
}

# (page, clause) of every link the site must have, and no other.
EXPECTED = {
    ("quality/purchasing.md", "8.4.1"),
    ("quality/purchasing.md", "8.4.2"),
    ("quality/purchasing.md", "8.4.3"),
    ("quality/purchasing.md", "8.6"),
    ("isms/index.md", "9.3"),
    ("ims/environment.md", "6.2"),
    ("ims/environment.md", "9.3"),
    ("quality/review-minutes.md", "9.3.2"),
    ("quality/review-minutes.md", "9.3.3"),
}


def test_every_iso_9001_reference_links_and_nothing_else(site, plugin_log) -> None:
    plugin_log.mark_all_checked()
    built = site(COMPLIANCE_SITE)
    linked = {
        (src, match.group("anchor").removeprefix("clause-").replace("-", "."))
        for src in COMPLIANCE_SITE
        for match in CLAUSE_LINK.finditer(built.page(src))
    }
    assert linked == EXPECTED


def _assess(pages: dict[str, str]) -> dict[str, PageAssessment]:
    assessor = Assessor(Editions(CATALOGUE))
    return {
        path: assessor.page(path, textwrap.dedent(text).lstrip("\n"))
        for path, text in pages.items()
    }


def test_the_gate_counts_what_is_linked() -> None:
    pages = _assess(COMPLIANCE_SITE)
    cited = {(p.path, r.clause) for p in pages.values() for r in p.references}
    # Ranges expand to what they span; the links are the numbers written.
    assert cited == EXPECTED
    # Headings of other standards' sections address nothing of ISO 9001.
    declared = {(p.path, d.clause) for p in pages.values() for d in p.declarations}
    assert declared == {("quality/purchasing.md", "8.4")}


def test_another_standards_numbers_are_never_findings() -> None:
    pages = _assess(COMPLIANCE_SITE)
    codes = [(p.path, f.code) for p in pages.values() for f in p.findings]
    # The one finding: the ambiguous "ISO 9001 and ISO 14001 ... (clause 6.1)", at info level.
    assert codes == [("ims/environment.md", "ambiguous-standard")]
    finding = pages["ims/environment.md"].findings[0]
    assert finding.severity.value == "info"
    assert "ISO 9001 and ISO 14001" in finding.message


def test_a_citation_that_names_iso_9001_is_checked_on_any_page() -> None:
    text = "# ISO/IEC 27001 controls\n\nAs ISO 9001 clause 7.9 says.\n\nOur clause 12 differs.\n"
    page = _assess({"p.md": text})["p.md"]
    assert [(f.code, f.line) for f in page.findings] == [("unknown-clause", 3)]
    assert "7.9" in page.findings[0].message


def test_each_unlinked_citation_says_why() -> None:
    pages = _assess(COMPLIANCE_SITE)
    why = {(u.page, u.text): (u.target, u.why) for p in pages.values() for u in p.unlinked}
    assert why[("bcm/plans.md", "clause 8.4")] == (
        "ISO 22301:2019",
        "the line 'Standard:' names ISO 22301:2019",
    )
    assert why[("privacy/policy.md", "§3")] == (
        "Privacy Policy",
        "'Privacy Policy' is another document",
    )
    assert why[("privacy/policy.md", "§4")][0] == "this document"
    assert why[("ai/governance.md", "clause 6.1.4")] == (
        "ISO/IEC 42001:2023",
        "the page's front matter says standard: ISO/IEC 42001:2023",
    )
    assert why[("isms/index.md", "Annex A.5.18")][1] == (
        "the page's first heading 'ISO/IEC 27001 information security' names ISO/IEC 27001"
    )
    assert why[("ims/environment.md", "clause 6.1.2")][1] == (
        "the heading 'ISO 14001 environmental aspects' names ISO 14001"
    )
    assert why[("quality/review-minutes.md", "clause 9.2")][0] == "ISO 45001"


def test_references_record_why_they_are_ours() -> None:
    pages = _assess(COMPLIANCE_SITE)
    why = {(r.page, r.clause): r.why for p in pages.values() for r in p.references}
    assert why[("isms/index.md", "9.3")] == "the citation names ISO 9001:2015"
    assert (
        why[("ims/environment.md", "6.2")]
        == "the heading 'Quality objectives (ISO 9001)' names ISO 9001"
    )
    assert why[("quality/purchasing.md", "8.4.2")] == "the page declares ISO 9001:2015 clauses"
    assert why[("quality/review-minutes.md", "9.3.2")] == RECOGNIZER.site_default.why


# Scopes, piece by piece --------------------------------------------------------------------


def test_a_section_about_iso_9001_inside_another_standards_page_binds_back() -> None:
    page = page_binding(RECOGNIZER, None, "ISO 22301 business continuity", False)
    scopes = PageScopes.build(
        RECOGNIZER,
        page,
        [(2, "Plans"), (3, "Quality of the plans (ISO 9001)"), (3, "Tests"), (2, "Other")],
    )
    assert [b.target for b in scopes.sections] == [
        "ISO 22301",
        "iso9001-2015",
        "ISO 22301",
        "ISO 22301",
    ]
    assert scopes.parents[1].target == "ISO 22301"


def test_a_heading_naming_two_standards_keeps_its_parents_binding() -> None:
    scopes = PageScopes.build(
        RECOGNIZER, RECOGNIZER.site_default, [(2, "ISO 9001 and ISO 14001 correspondence")]
    )
    assert scopes.sections[0] == RECOGNIZER.site_default


@pytest.mark.parametrize(
    ("block", "target"),
    [
        ("**Standard Reference:** ISO/IEC 27001:2022 Clause 9.3", "ISO/IEC 27001:2022"),
        ("**Document ID:** 0140\n**Standard Reference:** ISO 22301 8.4", "ISO 22301"),
        ("Norm: DIN EN ISO 9001:2015", "iso9001-2015"),
        ("- Framework: SOC 2", "SOC 2"),
        ("References: ISO 9001, ISO 14001", None),
        ("Owner: Quality Manager", None),
        ("ISO 27001 is our standard: clause 8.4", None),
    ],
)
def test_label_lines(block: str, target: str | None) -> None:
    found = label_binding(RECOGNIZER, block)
    assert (found.target if found else None) == target


def test_blocks_follow_the_rendered_blocks() -> None:
    prose = "\n".join(
        [
            "First paragraph,",
            "still the first.",
            "",
            "- item one",
            "  continued",
            "- item two",
            "",
            "| A | ISO 22301 clause |",
            "|---|---|",
            "| x | 8.4 |",
            "!!! note",
            "    inside",
        ]
    )
    blocks = prose_blocks(prose, [])
    texts = [prose[b.start : b.end] for b in blocks]
    assert texts == [
        "First paragraph,\nstill the first.",
        "- item one\n  continued",
        "- item two",
        " A ",
        " ISO 22301 clause ",
        " x ",
        " 8.4 ",
        "!!! note",
        "    inside",
    ]
    assert blocks[6].header == "ISO 22301 clause"
    assert blocks[6].before == " x "


def test_a_column_header_binds_its_cells() -> None:
    text = """
    # Mapping

    | Control | ISO 22301 | ISO 9001 |
    |---|---|---|
    | Plans | Clause 8.4 | Clause 8.4 |
    """
    html = markdown.markdown(textwrap.dedent(text), extensions=[QMSExtension(), "tables"])
    assert CLAUSE_LINK.findall(html) == ["8-4"]
    page = _assess({"m.md": text})["m.md"]
    assert [(r.clause, r.text) for r in page.references] == [("8.4", "Clause 8.4")]


def test_earlier_cells_of_a_row_bind_the_later_ones() -> None:
    text = """
    | Standard | Requirement |
    |---|---|
    | ISO 14001 | clause 6.1.2 |
    | ISO 9001 | clause 6.1 |
    """
    page = _assess({"m.md": text})["m.md"]
    assert [r.clause for r in page.references] == ["6.1"]


def test_front_matter_standard_none_makes_numbers_the_pages_own() -> None:
    text = "---\nstandard: none\n---\n\n# Works agreement\n\nSee clause 8.4 and § 7.\n"
    page = _assess({"w.md": text})["w.md"]
    assert page.references == []
    assert {u.target for u in page.unlinked} == {"this document"}


def test_a_bad_standard_key_is_a_finding_with_its_line() -> None:
    page = _assess({"w.md": "---\ntitle: X\nstandard: [1, 2]\n---\n\nText.\n"})["w.md"]
    assert [(f.code, f.line) for f in page.findings] == [("bad-front-matter", 3)]


# Known standards ------------------------------------------------------------------------------


def test_families_ignore_edition_and_co_publisher() -> None:
    assert family("ISO/IEC 27001:2022") == family("ISO 27001") == family("DIN EN ISO/IEC 27001")
    assert family("ISO 9001:2015/Amd 1:2024") == family("ISO 9001")
    assert family("ISO 14001") != family("ISO 45001")


def test_known_standards_bind_names_the_designation_form_misses() -> None:
    for text in (
        "SOC 2 Type II criteria. See clause 8.4.",
        "AS9100D requires it. See clause 8.4.",
        "TISAX labels. See clause 8.4.",
    ):
        assert [c.catalogue for c in RECOGNIZER.scan(text)] == [None], text


def test_a_site_adds_its_own_standards() -> None:
    known = load_known_standards(
        ["Group Security Standard", {"name": "GSS 100", "kind": "standard"}]
    )
    recognizer = Recognizer([CATALOGUE], known=known)
    assert [c.catalogue for c in recognizer.scan("GSS 100 applies. See clause 8.4.")] == [None]
    assert [c.catalogue for c in RECOGNIZER.scan("GSS 100 applies. See clause 8.4.")] == [
        CATALOGUE.id
    ]


def test_a_bad_site_standard_is_refused_with_its_place() -> None:
    with pytest.raises(QMSDataError) as raised:
        load_known_standards([{"name": "x"}, {"name": "Fine", "kind": "law"}])
    messages = [str(f) for f in raised.value.findings]
    assert any("entry 1" in m and "'x'" in m for m in messages)
    assert any("entry 2" in m and "kind" in m for m in messages)


def test_a_bad_other_standards_option_stops_the_build_with_a_message(tmp_path, caplog) -> None:
    config = write_site(
        tmp_path,
        {"index.md": "# Home\n"},
        plugins=[{"qmsdocs": {"other_standards": [{"name": 3}]}}],
    )
    with caplog.at_level(logging.ERROR), pytest.raises(Abort):
        load_config(str(config))
    assert "option 'other_standards': entry 1: 3 is not a standard's name" in caplog.text


# Property: a page about another standard links no ISO 9001 clause ---------------------------

_OTHERS = [s.name for s in load_known_standards().standards if s.kind == "standard"]
_CLAUSES = [c.id for c in CATALOGUE if c.requirements]
_SENTENCES = [
    "Plans are kept as clause {n} asks.",
    "See § {n} for the details.",
    "Clauses {n} and {m} set the order.",
    "Annex A lists the controls; see Annex {n}.",
    "Records follow Abschnitt {n}.",
    "The review (clause {n}) is yearly.",
    "| Item | Clause {n} |",
]


@st.composite
def _foreign_page(draw: st.DrawFn) -> str:
    standard = draw(st.sampled_from(_OTHERS))
    lines = [f"# {standard} {draw(st.sampled_from(['manual', 'controls', 'requirements']))}", ""]
    for _ in range(draw(st.integers(1, 6))):
        if draw(st.booleans()):
            clause = draw(st.sampled_from(_CLAUSES))
            title = CATALOGUE[clause].title or "General"
            lines += [f"## {clause} {title}", ""]
        sentence = draw(st.sampled_from(_SENTENCES))
        lines += [
            sentence.format(n=draw(st.sampled_from(_CLAUSES)), m=draw(st.sampled_from(_CLAUSES))),
            "",
        ]
    return "\n".join(lines)


@settings(max_examples=60, deadline=None)
@given(_foreign_page(), st.booleans())
def test_a_page_about_another_standard_links_no_iso_9001_clause(page: str, ours: bool) -> None:
    if ours:
        page += "\nOur own ISO 9001 clause 8.4 process applies too.\n"
    html = markdown.markdown(page, extensions=[QMSExtension(), "tables", "toc"])
    assessed = _assess({"p.md": page})["p.md"]
    expected = ["8-4"] if ours else []
    assert CLAUSE_LINK.findall(html) == expected
    assert [r.clause for r in assessed.references] == (["8.4"] if ours else [])
    assert assessed.declarations == []


def test_the_site_default_is_not_named() -> None:
    assert RECOGNIZER.site_default.catalogue == "iso9001-2015"
    assert not RECOGNIZER.site_default.named


# Explaining and exporting ------------------------------------------------------------------


def test_explain_says_why_each_number_was_linked_or_not(tmp_path) -> None:
    config = write_site(tmp_path, COMPLIANCE_SITE)
    result = CliRunner().invoke(main, ["explain", str(config), "--page", "privacy/policy.md"])
    assert result.exit_code == 0, result.output
    assert "'§3': not linked (Privacy Policy), because 'Privacy Policy' is another document" in (
        result.output
    )
    assert "'§ 2': not linked (this policy)" in result.output
    assert "quality/purchasing.md" not in result.output
    data = CliRunner().invoke(main, ["explain", str(config), "--format", "json"])
    pages = {p["page"]: p for p in json.loads(data.output)["pages"]}
    bcm = pages["bcm/plans.md"]["citations"][0]
    assert (bcm["bound_to"], bcm["subject"]) == (
        "ISO 22301:2019",
        "business continuity management systems",
    )
    rows = pages["isms/index.md"]["citations"]
    assert [(r["text"], r["linked"]) for r in rows if r["linked"]] == [
        ("ISO 9001:2015 clause 9.3", True)
    ]
    unknown = CliRunner().invoke(main, ["explain", str(config), "--page", "nope.md"])
    assert unknown.exit_code == 2
    assert "no such page in the manual: nope.md" in unknown.output


def test_the_coverage_export_carries_bindings(site, plugin_log) -> None:
    plugin_log.mark_all_checked()
    built = site(COMPLIANCE_SITE)
    data = json.loads(built.html("coverage.json"))
    jsonschema.validate(data, load_schema())
    by_clause = {c["clause"]: c for c in data["clauses"]}
    assert {
        "page": "isms/index.md",
        "line": 14,
        "text": "ISO 9001:2015 clause 9.3",
        "why": "the citation names ISO 9001:2015",
    } in by_clause["9.3"]["citations"]
    unlinked = {(u["page"], u["text"]): u["bound_to"] for u in data["unlinked"]}
    assert unlinked[("bcm/plans.md", "clause 8.4")] == "ISO 22301:2019"
    assert unlinked[("ims/environment.md", "clause 6.1")] == "ambiguous (ISO 9001 and ISO 14001)"


# What is linked is what is counted, on documents written by others -------------------------

_EXTENSIONS = ["tables", "toc", "admonition", "attr_list", "def_list", "footnotes", "md_in_html"]
_EXTENSIONS += ["pymdownx.tabbed", "pymdownx.details", "pymdownx.superfences"]


def _written_links(page: PageAssessment) -> list[str]:
    """The clause numbers the gate read in the page's prose, as written (ranges not expanded)."""
    heading_lines = {h.line for h in page.headings}
    return sorted(
        r.clause
        for r in page.references
        if r.line not in heading_lines
        and re.search(rf"(?<![\d.]){re.escape(r.clause)}(?![\d])", r.text)
    )


@pytest.mark.skipif(not CORPORA.is_dir(), reason="the shared corpora are not beside the repo")
def test_the_renderer_links_what_the_gate_reads_on_real_documents() -> None:
    assessor = Assessor(Editions(CATALOGUE))
    differing = []
    for path in sorted([*CORPORA.rglob("*.md"), *(REPO / "docs").rglob("*.md")]):
        text = path.read_text(encoding="utf-8", errors="replace")
        if "{%" in text:  # Jinja blocks are the macros plugin's to render
            continue
        extension = QMSExtension(page_path="page.md", glossary_page="")
        html = markdown.markdown(text, extensions=[extension, *_EXTENSIONS])
        rendered = sorted(m.replace("-", ".") for m in CLAUSE_LINK.findall(html))
        if rendered != _written_links(assessor.page("page.md", text)):
            differing.append(str(path.relative_to(path.parents[2])))
    assert differing == []


def test_a_correspondence_table_links_the_column_of_our_standard() -> None:
    text = """
    # Correspondence

    | Topic | ISO 9001:2015 clause | ISO 14001 | Rev |
    |---|---|---|---|
    | Documented information | 7.5 | 7.5 | 2 |
    | Emergency preparedness | – | 8.2 | 3 |
    | Purchasing | **8.4**, 8.4.1 | 8.1 | 4 |
    | Not a clause | 12 | | 5 |
    """
    html = markdown.markdown(textwrap.dedent(text), extensions=[QMSExtension(), "tables"])
    assert CLAUSE_LINK.findall(html) == ["7-5", "8-4", "8-4-1"]
    page = _assess({"m.md": text})["m.md"]
    assert [r.clause for r in page.references] == ["7.5", "8.4", "8.4.1"]
    assert page.references[0].why == "the column 'ISO 9001:2015 clause' names ISO 9001:2015"
    assert page.findings == []
