"""The vocabulary: shipped ISO 9000:2015 term list, glossary overrides and extensions, findings."""

from __future__ import annotations

import re
import textwrap
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest

from qmsdocs.findings import Finding, Severity
from qmsdocs.vocabulary import (
    SHIPPED_SOURCE,
    Group,
    Origin,
    Term,
    Vocabulary,
    load_vocabulary,
    slugify,
)

# Entries per group of ISO 9000:2015 clause 3 (138 in all).
GROUP_SIZES = {
    "3.1": 6,
    "3.2": 9,
    "3.3": 13,
    "3.4": 8,
    "3.5": 12,
    "3.6": 15,
    "3.7": 11,
    "3.8": 15,
    "3.9": 6,
    "3.10": 7,
    "3.11": 9,
    "3.12": 10,
    "3.13": 17,
}


@pytest.fixture(scope="module")
def iso() -> Vocabulary:
    vocabulary, findings = load_vocabulary([])
    assert findings == []
    return vocabulary


WriteGlossary = Callable[..., Path]


@pytest.fixture
def write(tmp_path: Path) -> WriteGlossary:
    """`write(text, name="glossary.yml")` writes a dedented glossary file and returns its path."""

    def make(text: str, name: str = "glossary.yml") -> Path:
        path = tmp_path / name
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return path

    return make


def load(*paths: Path, include_standard: bool = True) -> tuple[Vocabulary, list[Finding]]:
    return load_vocabulary(list(paths), include_standard=include_standard)


def codes(findings: list[Finding]) -> list[tuple[str, int | None]]:
    return [(f.code, f.line) for f in findings]


def sentences(text: str) -> int:
    return len(re.findall(r"[.!?](?=\s|$)", text))


# --- shipped data ----------------------------------------------------------------------------


def test_shipped_list_has_138_entries(iso: Vocabulary) -> None:
    assert len(iso) == 138


def test_shipped_numbers_are_unique(iso: Vocabulary) -> None:
    numbers = [term.number for term in iso]
    assert len(set(numbers)) == len(numbers)


def test_shipped_numbers_are_well_formed(iso: Vocabulary) -> None:
    assert all(re.fullmatch(r"3\.(?:[1-9]|1[0-3])\.[1-9]\d?", t.number or "") for t in iso)


def test_shipped_group_sizes(iso: Vocabulary) -> None:
    assert Counter(term.group for term in iso) == GROUP_SIZES


@pytest.mark.parametrize("group", list(GROUP_SIZES))
def test_each_group_is_listed_with_a_title(iso: Vocabulary, group: str) -> None:
    found = iso.group(group)
    assert found is not None
    assert found.title.startswith("Terms related to ")


@pytest.mark.parametrize("group", list(GROUP_SIZES))
def test_numbers_run_without_gaps_within_each_group(iso: Vocabulary, group: str) -> None:
    numbers = [int((t.number or "").rsplit(".", 1)[1]) for t in iso.in_group(group)]
    assert numbers == list(range(1, GROUP_SIZES[group] + 1))


def test_groups_are_in_the_standards_order(iso: Vocabulary) -> None:
    assert [g.id for g in iso.groups] == list(GROUP_SIZES)


@pytest.mark.parametrize(
    ("number", "term", "admitted"),
    [
        ("3.1.1", "top management", ()),
        ("3.1.5", "configuration authority", ("configuration control board",
                                              "dispositioning authority")),
        ("3.2.1", "organization", ()),
        ("3.2.2", "context of the organization", ()),
        ("3.2.3", "interested party", ("stakeholder",)),
        ("3.2.5", "provider", ("supplier",)),
        ("3.2.6", "external provider", ("external supplier",)),
        ("3.2.7", "DRP-provider", ("dispute resolution process provider",)),
        ("3.3.2", "continual improvement", ()),
        ("3.4.1", "process", ()),
        ("3.4.5", "procedure", ()),
        ("3.5.4", "quality management system", ()),
        ("3.6.1", "object", ("entity", "item")),
        ("3.6.4", "requirement", ()),
        ("3.6.9", "nonconformity", ()),
        ("3.6.11", "conformity", ()),
        ("3.7.5", "output", ()),
        ("3.7.6", "product", ()),
        ("3.7.7", "service", ()),
        ("3.7.9", "risk", ()),
        ("3.8.6", "documented information", ()),
        ("3.8.10", "record", ()),
        ("3.8.12", "verification", ()),
        ("3.8.13", "validation", ()),
        ("3.10.4", "competence", ()),
        ("3.11.4", "measurement", ()),
        ("3.12.2", "corrective action", ()),
        ("3.12.3", "correction", ()),
        ("3.13.1", "audit", ()),
        ("3.13.9", "audit findings", ()),
        ("3.13.17", "observer", ()),
    ],
)  # fmt: skip
def test_known_entries(iso: Vocabulary, number: str, term: str, admitted: tuple[str, ...]) -> None:
    (entry,) = [t for t in iso if t.number == number]
    assert (entry.term, entry.admitted) == (term, admitted)


def test_shipped_entries_are_marked_as_ours(iso: Vocabulary) -> None:
    assert {(t.origin, t.standard, t.source) for t in iso} == {
        (Origin.STANDARD, "ISO 9000:2015", SHIPPED_SOURCE)
    }


def test_shipped_entries_know_their_line(iso: Vocabulary) -> None:
    assert all(isinstance(t.line, int) for t in iso)
    lines = [t.line or 0 for t in iso]
    assert lines == sorted(lines)


def test_keys_are_slugs_of_the_preferred_term(iso: Vocabulary) -> None:
    assert all(t.key == slugify(t.term) for t in iso)
    assert iso.get("documented-information") is not None
    assert iso.get("drp-provider") is not None


@pytest.mark.parametrize("index", range(138))
def test_explanation_is_one_to_three_sentences(iso: Vocabulary, index: int) -> None:
    term = iso.terms[index]
    assert term.explanation.strip() == term.explanation
    assert 1 <= sentences(term.explanation) <= 3, term.key


def test_explanations_do_not_start_with_the_term(iso: Vocabulary) -> None:
    # A definition-shaped "X: ..." or "X is ..." opening is a sign of copied text.
    assert not [t.key for t in iso if t.explanation.lower().startswith(t.term.lower() + " is")]


def test_every_see_resolves_to_another_entry(iso: Vocabulary) -> None:
    for term in iso:
        assert all(key in iso and key != term.key for key in term.see), term.key


def test_every_entry_has_see_references(iso: Vocabulary) -> None:
    assert sum(bool(t.see) for t in iso) == len(iso)


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Stakeholder", "interested-party"),
        ("SUPPLIER", "provider"),
        ("documented  information", "documented-information"),
        ("drp-provider", "drp-provider"),
        ("item", "object"),
    ],
)
def test_lookup_by_preferred_or_admitted_term(iso: Vocabulary, name: str, key: str) -> None:
    term = iso.lookup(name)
    assert term is not None
    assert term.key == key


def test_lookup_of_an_unknown_name(iso: Vocabulary) -> None:
    assert iso.lookup("widget") is None


def test_vocabulary_rejects_a_shared_name() -> None:
    with pytest.raises(ValueError, match="names both"):
        Vocabulary(
            [
                Term(key="a", term="audit", explanation="x"),
                Term(key="b", term="review", admitted=("Audit",), explanation="y"),
            ]
        )


def test_vocabulary_iterates_in_order() -> None:
    terms = [Term(key="b", term="b", explanation="x"), Term(key="a", term="a", explanation="y")]
    vocabulary = Vocabulary(terms, [Group("g", "G")])
    assert [t.key for t in vocabulary] == ["b", "a"]
    assert "a" in vocabulary


# --- overrides -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "selector",
    [
        "term: documented information",
        "term: Documented Information",
        'ref: "ISO 9000:2015 3.8.6"',
        'ref: "3.8.6"',
        'ref: "ISO 9000 3.8.6"',
        'ref: "ISO 9000:2015, 3.8.6"',
    ],
)
def test_override_is_found_by_name_or_ref(write: WriteGlossary, selector: str) -> None:
    path = write(f"- {selector}\n  explanation: Our own words.\n")
    vocabulary, findings = load(path)
    assert findings == []
    term = vocabulary.get("documented-information")
    assert term is not None
    assert (term.explanation, term.number, term.source, term.line) == (
        "Our own words.",
        "3.8.6",
        str(path),
        1,
    )
    assert len(vocabulary) == 138


def test_override_by_admitted_term(write: WriteGlossary) -> None:
    vocabulary, findings = load(write("- term: stakeholder\n  explanation: Ours.\n"))
    assert findings == []
    term = vocabulary.get("interested-party")
    assert term is not None
    assert (term.term, term.admitted, term.explanation) == (
        "stakeholder",
        ("interested party",),
        "Ours.",
    )


def test_override_in_own_words_keeps_origin_standard(write: WriteGlossary) -> None:
    vocabulary, _ = load(write("- term: record\n  explanation: Ours.\n"))
    term = vocabulary.get("record")
    assert term is not None
    assert term.origin is Origin.STANDARD


def test_official_wording_marks_the_origin(write: WriteGlossary) -> None:
    path = write(
        """
        - term: record
          ref: ISO 9000:2015 3.8.10
          wording: official
          explanation: The licensed text.
        """
    )
    vocabulary, findings = load(path)
    assert findings == []
    term = vocabulary.get("record")
    assert term is not None
    assert (term.origin, term.explanation) == (Origin.OFFICIAL, "The licensed text.")


def test_override_inherits_fields_it_does_not_give(write: WriteGlossary, iso: Vocabulary) -> None:
    vocabulary, findings = load(write("- term: nonconformity\n  forms: [NC]\n"))
    assert findings == []
    term, shipped = vocabulary.get("nonconformity"), iso.get("nonconformity")
    assert term is not None and shipped is not None
    assert (term.forms, term.explanation, term.see) == (("NC",), shipped.explanation, shipped.see)


def test_rename_keeps_key_and_standard_term(write: WriteGlossary) -> None:
    vocabulary, findings = load(write('- term: vendor\n  ref: "3.2.5"\n'))
    assert findings == []
    term = vocabulary.lookup("provider")
    assert term is not None
    assert (term.key, term.term, term.admitted) == ("provider", "vendor", ("supplier", "provider"))


def test_override_replaces_admitted_and_see(write: WriteGlossary) -> None:
    path = write("- term: audit\n  admitted: [assessment]\n  see: [record]\n")
    vocabulary, findings = load(path)
    assert findings == []
    term = vocabulary.get("audit")
    assert term is not None
    assert (term.admitted, term.see) == (("assessment",), ("record",))


def test_selection_without_the_standard(write: WriteGlossary) -> None:
    path = write(
        """
        - term: audit
          see: [auditor, record]
        - term: auditor
        - term: CAPA
          explanation: Our action register.
        """
    )
    vocabulary, findings = load(path, include_standard=False)
    assert codes(findings) == [("unknown-see", 2)]
    assert [t.key for t in vocabulary] == ["audit", "auditor", "capa"]
    assert [g.id for g in vocabulary.groups] == ["3.13"]
    audit = vocabulary.get("audit")
    assert audit is not None
    assert audit.see == ("auditor",)


def test_shipped_see_to_unselected_terms_is_dropped(write: WriteGlossary) -> None:
    vocabulary, findings = load(write("- term: auditor\n"), include_standard=False)
    assert findings == []
    auditor = vocabulary.get("auditor")
    assert auditor is not None
    assert auditor.see == ()


# --- extensions ------------------------------------------------------------------------------


def test_extension_entries(write: WriteGlossary) -> None:
    path = write(
        """
        terms:
          - term: CAPA
            admitted: [corrective and preventive action]
            explanation: Our register of actions.
            see: [corrective action, preventive action]
          - term: 8D
            explanation: An eight-step problem-solving report.
            see: [CAPA]
        """
    )
    vocabulary, findings = load(path)
    assert findings == []
    capa, eight_d = vocabulary.get("capa"), vocabulary.get("8d")
    assert capa is not None and eight_d is not None
    assert (capa.origin, capa.number, capa.group, capa.line) == (Origin.ORGANISATION, None, None, 2)
    assert capa.see == ("corrective-action", "preventive-action")
    assert eight_d.see == ("capa",)
    assert [t.key for t in vocabulary][-2:] == ["capa", "8d"]


def test_extension_citing_another_standard(write: WriteGlossary) -> None:
    path = write('- term: audit sampling\n  ref: "ISO 19011:2018 3.30"\n  explanation: x.\n')
    vocabulary, findings = load(path)
    assert findings == []
    term = vocabulary.get("audit-sampling")
    assert term is not None
    assert (term.standard, term.number, term.reference) == (
        "ISO 19011:2018",
        "3.30",
        "ISO 19011:2018 3.30",
    )


def test_extensions_across_files_keep_file_order(write: WriteGlossary) -> None:
    first = write("- {term: zeta, explanation: z.}\n", "a.yml")
    second = write("- {term: alpha, explanation: a.}\n", "b.yml")
    vocabulary, findings = load(first, second)
    assert findings == []
    assert [t.key for t in vocabulary][-2:] == ["zeta", "alpha"]


# --- findings --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("- explanation: x.\n", [("missing-field", 1)], id="no-term"),
        pytest.param("- term: widget\n", [("missing-field", 1)], id="no-explanation"),
        pytest.param('- term: widget\n  explanation: ""\n', [("missing-field", 2)],
                     id="empty-explanation"),
        pytest.param("- term: 42\n  explanation: x.\n", [("bad-field", 1)], id="term-number"),
        pytest.param("- term: widget\n  explanation: [a]\n", [("bad-field", 2)],
                     id="explanation-list"),
        pytest.param("- term: widget\n  explanation: x.\n  admitted: {a: b}\n",
                     [("bad-field", 3)], id="admitted-mapping"),
        pytest.param("- term: widget\n  explanation: x.\n  see:\n    - record\n    - 5\n",
                     [("bad-field", 5)], id="see-item-number"),
        pytest.param("- term: widget\n  explanation: x.\n  wording: licensed\n",
                     [("bad-field", 3)], id="wording-value"),
        pytest.param("- term: record\n  wording: official\n", [("missing-field", 2)],
                     id="official-without-text"),
        pytest.param("- term: widget\n  explaination: x.\n",
                     [("missing-field", 1), ("unknown-field", 2)], id="misspelt-field"),
        pytest.param("- term: widget\n  explanation: x.\n- term: Widget\n  explanation: y.\n",
                     [("duplicate-term", 3)], id="duplicate-term"),
        pytest.param("- term: widget\n  explanation: x.\n"
                     "- term: gadget\n  admitted: [WIDGET]\n  explanation: y.\n",
                     [("duplicate-term", 4)], id="admitted-clashes"),
        pytest.param("- term: audit-plan\n  explanation: x.\n", [("duplicate-term", 1)],
                     id="same-anchor"),
        pytest.param("- term: record\n  explanation: a.\n- term: Record\n  explanation: b.\n",
                     [("duplicate-term", 3)], id="overridden-twice"),
        pytest.param("- term: widget\n  explanation: x.\n  see: [recrod]\n",
                     [("unknown-see", 3)], id="unknown-see"),
        pytest.param('- term: widget\n  ref: "3.8.99"\n  explanation: x.\n',
                     [("unknown-term-ref", 2)], id="unknown-number"),
        pytest.param("- term: widget\n  ref: chapter five\n  explanation: x.\n",
                     [("bad-term-ref", 2)], id="unreadable-ref"),
        pytest.param('- term: audit\n  ref: "ISO 19011:2018 3.1"\n  explanation: x.\n',
                     [("bad-term-ref", 2)], id="ref-to-other-standard-for-iso-term"),
        pytest.param("- term: provider\n  admitted: [customer]\n  explanation: x.\n",
                     [("ambiguous-override", 1)], id="ambiguous-override"),
        pytest.param("just a sentence\n", [("bad-glossary", 1)], id="top-level-text"),
        pytest.param("- documented information\n", [("bad-glossary", 1)], id="entry-text"),
        pytest.param("title: Ours\n", [("bad-glossary", 1)], id="mapping-without-terms"),
        pytest.param("terms: {term: x}\n", [("bad-glossary", 1)], id="terms-not-a-list"),
        pytest.param("title: Ours\ntems: []\n",
                     [("bad-glossary", 1), ("unknown-field", 2)], id="unknown-top-field"),
        pytest.param("- term: widget\n  explanation: [x\n", [("bad-yaml", 3)], id="bad-yaml"),
        pytest.param("- term: widget\n explanation: x.\n", [("bad-yaml", 2)], id="bad-indent"),
    ],
)  # fmt: skip
def test_glossary_findings(
    write: WriteGlossary, text: str, expected: list[tuple[str, int]]
) -> None:
    path = write(text)
    _vocabulary, findings = load(path)
    assert codes(findings) == expected
    assert {f.path for f in findings} == {str(path)}
    assert all(f.hint for f in findings if f.code not in {"missing-field", "bad-field"})


@pytest.mark.parametrize(
    ("code", "severity"),
    [("unknown-field", Severity.WARNING), ("unknown-see", Severity.WARNING)],
)
def test_harmless_findings_are_warnings(
    write: WriteGlossary, code: str, severity: Severity
) -> None:
    path = write("- term: widget\n  explanation: x.\n  see: [nothing]\n  colour: red\n")
    _vocabulary, findings = load(path)
    assert [f.severity for f in findings if f.code == code] == [severity]


def test_unknown_see_suggests_a_close_name(write: WriteGlossary) -> None:
    _vocabulary, findings = load(write("- term: widget\n  explanation: x.\n  see: [recrod]\n"))
    assert findings[0].hint == "did you mean 'record'?"


def test_unknown_field_lists_the_allowed_ones(write: WriteGlossary) -> None:
    _vocabulary, findings = load(write("- term: widget\n  explaination: x.\n"))
    (unknown,) = [f for f in findings if f.code == "unknown-field"]
    assert unknown.hint is not None
    assert unknown.hint.startswith("did you mean 'explanation'? allowed fields: term, ref")


def test_duplicate_across_files_is_reported_in_the_later_file(write: WriteGlossary) -> None:
    first = write("- {term: widget, explanation: x.}\n", "a.yml")
    second = write("# second file\n- {term: Widget, explanation: y.}\n", "b.yml")
    vocabulary, findings = load(first, second)
    assert [(f.code, f.path, f.line) for f in findings] == [("duplicate-term", str(second), 2)]
    widget = vocabulary.lookup("widget")
    assert widget is not None
    assert widget.explanation == "x."


def test_clashing_extension_is_left_out(write: WriteGlossary) -> None:
    vocabulary, _ = load(write("- {term: audit-plan, explanation: x.}\n"))
    assert len(vocabulary) == 138


def test_clashing_rename_keeps_the_standard_term(write: WriteGlossary) -> None:
    vocabulary, findings = load(write('- term: record\n  ref: "3.8.6"\n'))
    assert codes(findings) == [("duplicate-term", 1)]
    term = vocabulary.get("documented-information")
    assert term is not None
    assert term.term == "documented information"


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yml"
    path.write_bytes("- term: widget\n  explanation: Qualität\n".encode("latin-1"))
    _vocabulary, findings = load(path)
    assert [(f.code, f.path, f.line) for f in findings] == [("not-utf8", str(path), 2)]


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "absent.yml"
    vocabulary, findings = load(path)
    assert [(f.code, f.path) for f in findings] == [("file-not-found", str(path))]
    assert len(vocabulary) == 138


def test_all_findings_are_returned_together(write: WriteGlossary) -> None:
    first = write("- term: 1\n- term: b\n  explanation: x.\n  see: [nope]\n", "a.yml")
    second = write("- [x]\n", "b.yml")
    _vocabulary, findings = load(first, second)
    assert [(f.path[-5:], f.code, f.line) for f in findings] == [
        ("a.yml", "bad-field", 1),
        ("a.yml", "missing-field", 1),
        ("a.yml", "unknown-see", 4),
        ("b.yml", "bad-glossary", 1),
    ]


def test_errors_are_errors(write: WriteGlossary) -> None:
    _vocabulary, findings = load(write("- term: widget\n"))
    assert [f.severity for f in findings] == [Severity.ERROR]
