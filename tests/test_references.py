"""The clause reference recogniser, over the notations real quality documents use."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qmsdocs.binding import Binding
from qmsdocs.references import Recognizer, citation_findings
from qmsdocs.standards import load_builtin_catalogue

from .conftest import CORPORA


@pytest.fixture(scope="module")
def recognizer() -> Recognizer:
    return Recognizer([load_builtin_catalogue("iso9001-2015")])


def linked(recognizer: Recognizer, text: str) -> list[str]:
    """The clause numbers that get links, in order."""
    return [link.clause_id for c in recognizer.scan(text) for link in c.links]


def linked_text(recognizer: Recognizer, text: str) -> list[str]:
    return [text[link.start : link.end] for c in recognizer.scan(text) for link in c.links]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("per §9.3.", ["9.3"]),
        ("per § 8.5.2, the", ["8.5.2"]),
        ("§§ 7.5.2–7.5.3", ["7.5.2", "7.5.3"]),
        ("§§ 7.5.2-7.5.3", ["7.5.2", "7.5.3"]),
        ("§6.1, §6.2, §6.3", ["6.1", "6.2", "6.3"]),
        ("see Annex A.4 on risk", ["A.4"]),
        ("Annex A explains", ["A"]),
    ],
)
def test_a_bare_section_sign_or_annex_links_where_the_standard_is_named(
    recognizer: Recognizer, text: str, expected: list[str]
) -> None:
    page = Binding("iso9001-2015", None, True, "the page declares ISO 9001 clauses")
    assert [link.clause_id for c in recognizer.scan(text, page) for link in c.links] == expected
    # Where nothing names ISO 9001, "§ 7" is far more often a document's own section.
    assert linked(recognizer, text) == []
    assert linked(recognizer, f"ISO 9001 sets the order. {text}") == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("as clause 7.5.3 requires", ["7.5.3"]),
        ("Clause 9.3.2 lists the inputs", ["9.3.2"]),
        ("see sub-clause 8.5.1.", ["8.5.1"]),
        ("see subclause 8.5.1.", ["8.5.1"]),
        ("ISO 9001:2015 8.4 applies", ["8.4"]),
        ("ISO 9001 Clause 4.1", ["4.1"]),
        ("ISO 9001:2015, Clause 9.1", ["9.1"]),
        ("clauses 5.1 - 5.3 and 9.3", ["5.1", "5.3", "9.3"]),
        ("Clauses 4-10", ["4", "10"]),
        ("clauses 4 to 10", ["4", "10"]),
        ("clauses 8.2.1, 8.2.2 and 8.2.3", ["8.2.1", "8.2.2", "8.2.3"]),
        ("clauses 8.2.1, 8.2.2, and 8.2.3", ["8.2.1", "8.2.2", "8.2.3"]),
        ("clause 9.2 or 9.3", ["9.2", "9.3"]),
        ("ISO 9001:2015/Amd 1:2024 4.1", ["4.1"]),
        ("ISO 9001:2015 + Amd 1:2024, clause 4.2", ["4.2"]),
        ("DIN EN ISO 9001:2015 Abschnitt 8.5", ["8.5"]),
        ("EN ISO 9001 section 7.1.5", ["7.1.5"]),
        ("clause 4.4.1", ["4.4.1"]),
        ("(Clause 9.1)", ["9.1"]),
        ("## General Requirements (clause 9.1.1)", ["9.1.1"]),
        ("siehe Kapitel 4.1", ["4.1"]),
        ("gemäß Abschnitt 4.2 der Norm", ["4.2"]),
        ("Clause 9.3.", ["9.3"]),
        ("clause 7.5; then", ["7.5"]),
        ("clause\u00a08.4", ["8.4"]),
        ("CLAUSE 8.4", ["8.4"]),
        ("clause 0.3 on the process approach", ["0.3"]),
        ("**ISO 9001:2015** clause 10.2", ["10.2"]),
    ],
)
def test_notations_link(recognizer: Recognizer, text: str, expected: list[str]) -> None:
    assert linked(recognizer, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("clause 8.5.1 b) asks", ["8.5.1 b)"]),
        ("clause 7.5.3.2(b)", ["7.5.3.2(b)"]),
        ("ISO 9001:2015 8.4", ["8.4"]),
    ],
)
def test_link_text_is_the_number(recognizer: Recognizer, text: str, expected: list[str]) -> None:
    assert linked_text(recognizer, text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "ISO 13485:2016 7.2 asks for more",
        "ISO 13485:2016 clause 7.3.2",
        "clause 7.3 of ISO 13485",
        "clause 7.3 of ISO 13485:2016",
        "ISO 13485 requires, in clause 7.3, design controls",
        "IEC 62304 §6",
        "IEC 62304:2006/Amd 1:2015 5.1",
        "21 CFR 820.198",
        "21 CFR Part 820.30",
        "Regulation (EU) 2017/745, ANNEX I, clauses 1 and 8",
        "Directive 93/42/EEC, clause 4",
        "MPDG §8",
        "§ 8 Abs. 1 MPDG",
        "§ 257 HGB",
        "Annex A.5.17 of ISO 27001",
        "ISO/IEC 27001:2022 Annex A.5.17",
        "ISO/IEC 17025 6.4",
        "ISO 14001:2015 6.1.2",
        "IATF 16949 8.5.1.1",
        "§ 4 of the Works Agreement",
        "Section 5.1 of this manual",
        "see section 4.1",
        "version 7.5.3",
        "MkDocs 1.6",
        "costs 8.50 EUR",
        "192.168.1.1",
        "2026-02-20",
        "20.02.2026",
        "±0.05 mm",
        "part no. 7.5.3-A",
        "ISO 9001 certified for 10 years",
        "ISO 9001:2015 since 2019",
        "ISO 9001:2008 4.2.3",
        "the 4.1 release",
        "7.5.3",
    ],
)
def test_not_iso9001_clauses(recognizer: Recognizer, text: str) -> None:
    assert linked(recognizer, text) == []
    assert all(not c.unknown for c in recognizer.scan(text))


@pytest.mark.parametrize(
    ("text", "standard"),
    [
        ("ISO 13485:2016 7.2", "ISO 13485:2016"),
        ("IEC 62304 §6", "IEC 62304"),
        ("clause 7.3 of ISO 13485", "ISO 13485"),
    ],
)
def test_foreign_citations_name_their_standard(
    recognizer: Recognizer, text: str, standard: str
) -> None:
    (citation,) = recognizer.scan(text)
    assert citation.catalogue is None
    assert standard in (citation.foreign or "")


@pytest.mark.parametrize(
    ("text", "unknown"),
    [
        ("clause 7.9", ["7.9"]),
        ("ISO 9001 4.2.3", ["4.2.3"]),
        ("clause 4.2.3 (2008 numbering)", ["4.2.3"]),
        ("clauses 5.1 - 5.3, 5.5", ["5.5"]),
        ("ISO 9001:2015 clause 11", ["11"]),
    ],
)
def test_explicit_unknown_clauses(recognizer: Recognizer, text: str, unknown: list[str]) -> None:
    assert [u.number for c in recognizer.scan(text) for u in c.unknown] == unknown


@pytest.mark.parametrize(
    "text", ["§ 6.8", "§ 12", "Kapitel 12.3", "Annex C", "Annex A.9", "Anhang A: Prozesslandkarte"]
)
def test_tentative_unknown_numbers_are_left_alone(recognizer: Recognizer, text: str) -> None:
    for citation in recognizer.scan(text):
        assert not citation.links
        assert not citation.unknown


def test_unknown_clause_finding_has_hint(recognizer: Recognizer) -> None:
    catalogue = recognizer.default
    (citation,) = recognizer.scan("see clause 7.9 for this")
    (finding,) = citation_findings(citation, catalogue, "manual/x.md", 12)
    assert (finding.code, finding.path, finding.line) == ("unknown-clause", "manual/x.md", 12)
    assert "7.9" in finding.message
    assert finding.hint == "ISO 9001:2015 7 Support has 7.1, 7.2, 7.3, 7.4, 7.5"


def test_backward_range_is_a_finding(recognizer: Recognizer) -> None:
    (citation,) = recognizer.scan("clauses 5.3-5.1")
    (finding,) = citation_findings(citation, recognizer.default, "p.md")
    assert finding.code == "bad-clause-range"


@pytest.mark.parametrize(
    ("text", "cited"),
    [
        ("clauses 5.1 - 5.3", ["5.1", "5.2", "5.3"]),
        ("Clauses 4-10", [str(n) for n in range(4, 11)]),
        ("clauses 8.5.6 to 8.7", ["8.5.6", "8.6", "8.7"]),
        ("clause 9.1 and 9.1", ["9.1"]),
    ],
)
def test_ranges_expand_to_the_clauses_they_span(
    recognizer: Recognizer, text: str, cited: list[str]
) -> None:
    assert [c for citation in recognizer.scan(text) for c in citation.clauses] == cited


def test_a_standard_named_earlier_in_the_paragraph_binds_its_numbers(
    recognizer: Recognizer,
) -> None:
    text = "ISO 13485 asks for design controls. Our clause 8.4 process differs."
    assert linked(recognizer, text) == []
    assert recognizer.scan(text)[0].binding == Binding(
        None,
        "ISO 13485",
        True,
        "ISO 13485 is named earlier in the paragraph, list item or table row",
    )


def test_of_the_standard_names_the_standard_of_the_context(recognizer: Recognizer) -> None:
    # A bare "§" binds where the standard is named, and "of the standard" names it.
    assert linked(recognizer, "the production page points to § 8.5.2 of the standard") == ["8.5.2"]
    assert linked(recognizer, "gemäß Abschnitt 4.2 der Norm") == ["4.2"]
    # ... the standard the sentence is about, which need not be ours.
    assert linked(recognizer, "ISO 14001 applies here. § 6.1 of the standard asks it.") == []


def test_a_law_binds_only_its_own_sentence(recognizer: Recognizer) -> None:
    # "HIPAA" or "GDPR" named in passing does not own the next sentence's clause numbers.
    assert linked(recognizer, "HIPAA applies to patient data. See clause 7.5.3.") == ["7.5.3"]
    assert linked(recognizer, "GDPR applies; clause 7.5.3 too.") == ["7.5.3"]
    assert linked(recognizer, "Under HIPAA clause 8.4 means the contract.") == []


def test_two_standards_named_together_leave_the_number_unbound(recognizer: Recognizer) -> None:
    for text in (
        "ISO 9001 and ISO 14001 clause 6.1",
        "Both ISO 9001 and ISO 14001 require it (clause 6.1).",
        "ISO 9001/ISO 14001 clause 6.1",
    ):
        citations = recognizer.scan(text)
        assert [c.catalogue for c in citations] == [None], text
        assert citations[0].binding is not None and citations[0].binding.ambiguous, text


def test_binding_follows_the_last_standard_named(recognizer: Recognizer) -> None:
    text = "Unlike ISO 14001, ISO 9001 puts this in clause 6.1"
    assert linked(recognizer, text) == ["6.1"]


@pytest.mark.parametrize(
    "text",
    [
        "§" * 50_000,
        "1." * 100_000,
        "clause " + "1.1" * 50_000,
        "clause " + "1, " * 50_000,
        "ISO 9001 " * 20_000,
        "§§ 1-" * 30_000,
        "clause 7.5.3 " * 20_000,
        "9" * 200_000,
    ],
)
def test_adversarial_input_is_linear(recognizer: Recognizer, text: str) -> None:
    started = time.perf_counter()
    recognizer.scan(text)
    # Generous: a quadratic scan of these inputs would take minutes, not seconds.
    assert time.perf_counter() - started < 5


@settings(max_examples=300, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from(list("0123456789.,-–§ ()abcISOclause\n:/+AmdIEC")),
        max_size=200,
    )
)
def test_any_text_scans_without_error(text: str) -> None:
    recognizer = Recognizer([load_builtin_catalogue("iso9001-2015")])
    previous_end = 0
    for citation in recognizer.scan(text):
        assert 0 <= citation.start < citation.end <= len(text)
        assert citation.start >= previous_end
        previous_end = citation.end
        for link in citation.links:
            assert citation.start <= link.start < link.end <= citation.end
            assert text[link.start : link.end].startswith(link.clause_id)
            assert link.clause_id in recognizer.default


def _corpus_files(*parts: str) -> list[Path]:
    folder = CORPORA.joinpath(*parts)
    return sorted(folder.rglob("*.md")) if folder.is_dir() else []


@pytest.mark.skipif(not CORPORA.is_dir(), reason="the shared corpora are not beside the repo")
def test_iso9001_templates_cite_their_clauses(recognizer: Recognizer) -> None:
    """The English ISO 9001 templates: every template cites the clause it implements."""
    files = _corpus_files("handbook-generator-iso9001", "templates", "en", "iso-9001")
    assert len(files) > 25
    cited: set[str] = set()
    for path in files:
        for citation in recognizer.scan(path.read_text(encoding="utf-8")):
            cited.update(citation.clauses)
    # What the templates cover, by their own mapping (9999_Framework_Mapping.md).
    for clause in ["4.1", "4.2", "4.3", "4.4", "5.2", "6.1", "7.5", "8.4", "9.2", "9.3", "10.2"]:
        assert clause in cited


@pytest.mark.skipif(not CORPORA.is_dir(), reason="the shared corpora are not beside the repo")
def test_iso13485_documents_never_cite_iso9001(recognizer: Recognizer) -> None:
    """OpenRegulatory's ISO 13485 templates must not produce ISO 9001 links or findings.

    Their only ISO 9001-looking citations are ones bound to other standards or tentative.
    """
    files = [p for p in _corpus_files("openregulatory") if p.name != "LICENSE.md"]
    assert len(files) > 50
    explicit_iso9001 = []
    for path in files:
        text = path.read_text(encoding="utf-8")
        for citation in recognizer.scan(text):
            if citation.catalogue and citation.explicit:
                explicit_iso9001.append((path.name, citation.text))
    assert explicit_iso9001 == []


@pytest.mark.skipif(not CORPORA.is_dir(), reason="the shared corpora are not beside the repo")
def test_corpora_scan_fast() -> None:
    recognizer = Recognizer([load_builtin_catalogue("iso9001-2015")])
    texts = [p.read_text(encoding="utf-8") for p in CORPORA.rglob("*.md")]
    size = sum(map(len, texts))
    started = time.perf_counter()
    for text in texts:
        recognizer.scan(text)
    elapsed = time.perf_counter() - started
    assert elapsed < 2.0 * max(1.0, size / 1_000_000)
