"""Term recognition in running text: longest match, inflections, boundaries, case, speed."""

from __future__ import annotations

import time
from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qmsdocs.terms import TermMatch, TermMatcher, default_inflections
from qmsdocs.vocabulary import Term, Vocabulary, load_vocabulary, normalise_name
from qmsdocs.vocabulary.model import NAME_CHARACTERS

# Organisation terms next to the ISO list: acronyms, a code, a name with capitals and
# punctuation, a non-English term, and an irregular form.
OWN_TERMS = [
    Term(key="capa", term="CAPA", admitted=("corrective and preventive action",), explanation="x"),
    Term(key="8d", term="8D", explanation="x"),
    Term(key="management-review", term="Management Review", explanation="x"),
    Term(key="qualitat", term="Qualität", explanation="x"),
    Term(key="kaizen-event", term="kaizen event", forms=("kaizen blitz",), explanation="x"),
    Term(key="r-d", term="R&D", explanation="x"),
    Term(key="c-plus-plus", term="C++", explanation="x"),
    Term(key="site-s-policy", term="site's policy", explanation="x"),
]


@pytest.fixture(scope="module")
def vocabulary() -> Vocabulary:
    iso, findings = load_vocabulary([])
    assert findings == []
    return Vocabulary([*iso, *OWN_TERMS], iso.groups)


@pytest.fixture(scope="module")
def matcher(vocabulary: Vocabulary) -> TermMatcher:
    return TermMatcher(vocabulary)


def found(matcher: TermMatcher, text: str) -> list[tuple[str, str]]:
    """The matched text and key of every match."""
    return [(text[m.start : m.end], m.key) for m in matcher.find_all(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("the quality management system", [("quality management system",
                                            "quality-management-system")]),
        ("quality management system consultant", [("quality management system consultant",
                                                   "quality-management-system-consultant")]),
        ("quality management", [("quality management", "quality-management")]),
        ("a corrective action", [("corrective action", "corrective-action")]),
        ("action", []),
        ("customer satisfaction code of conduct", [("customer satisfaction code of conduct",
                                                    "customer-satisfaction-code-of-conduct")]),
        ("customer service", [("customer service", "customer-service")]),
        ("measurement management system", [("measurement management system",
                                            "measurement-management-system")]),
        ("context of the organization", [("context of the organization",
                                          "context-of-the-organization")]),
    ],
)  # fmt: skip
def test_longest_match_wins(
    matcher: TermMatcher, text: str, expected: list[tuple[str, str]]
) -> None:
    assert found(matcher, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("quality management systems", [("quality management systems",
                                         "quality-management-system")]),
        ("quality management, system", [("quality management", "quality-management"),
                                        ("system", "system")]),
        ("quality management system-wide", [("quality management", "quality-management")]),
        ("top management review", [("top management", "top-management"), ("review", "review")]),
        ("audit plan audit", [("audit plan", "audit-plan"), ("audit", "audit")]),
        ("quality quality", [("quality", "quality"), ("quality", "quality")]),
    ],
)  # fmt: skip
def test_overlapping_terms_do_not_overlap(
    matcher: TermMatcher, text: str, expected: list[tuple[str, str]]
) -> None:
    assert found(matcher, text) == expected


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("nonconformities", "nonconformity"),
        ("interested parties", "interested-party"),
        ("audits", "audit"),
        ("processes", "process"),
        ("policies", "policy"),
        ("quality objectives", "quality-objective"),
        ("external suppliers", "external-provider"),
        ("stakeholders", "interested-party"),
        ("DRP-providers", "drp-provider"),
        ("customer satisfaction codes of conduct", "customer-satisfaction-code-of-conduct"),
        ("CAPAs", "capa"),
        ("8Ds", "8d"),
        ("Management Reviews", "management-review"),
        ("outsourced", "outsource"),
        ("outsourcing", "outsource"),
        ("non-conformities", "nonconformity"),
        ("audit finding", "audit-findings"),
        ("audit criterion", "audit-criteria"),
        ("organisations", "organization"),
        ("kaizen blitz", "kaizen-event"),
    ],
)
def test_inflections_and_forms(matcher: TermMatcher, text: str, key: str) -> None:
    assert found(matcher, text) == [(text, key)]


@pytest.mark.parametrize(
    "text",
    ["datas", "top managements", "audit findingses", "audit criterias", "processs", "CAPAS"],
)
def test_no_made_up_inflections(matcher: TermMatcher, text: str) -> None:
    assert all(match != text for match, _key in found(matcher, text))


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("nonconformity", ("nonconformities",)),
        ("interested party", ("interested parties",)),
        ("process", ("processes",)),
        ("key", ("keys",)),
        ("CAPA", ("CAPAs",)),
        ("8D", ("8Ds",)),
        ("DRP-provider", ("DRP-providers",)),
        ("customer satisfaction code of conduct", ("customer satisfaction codes of conduct",)),
        ("audit criterion", ("audit criteria",)),
        ("audit criteria", ()),
        ("audit findings", ()),
        ("design and development", ()),
        ("top management", ()),
        ("data", ()),
        ("QMS", ()),
        ("ISO 9001", ()),
    ],
)
def test_default_inflections(name: str, expected: tuple[str, ...]) -> None:
    assert default_inflections(name) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("sub-process", []),
        ("process-based", []),
        ("the process-", [("process", "process")]),
        ("re-audit", []),
        ("audit_plan", []),
        ("see audit.md", []),
        ("audit@example.com", []),
        ("subprocess", []),
        ("processor", []),
        ("auditee", [("auditee", "auditee")]),
        ("(process)", [("process", "process")]),
        ('"audit"', [("audit", "audit")]),
        ("«audit»", [("audit", "audit")]),
        ("audit, review; test.", [("audit", "audit"), ("review", "review"), ("test", "test")]),
        ("the process. Next", [("process", "process")]),
        ("the organization's policy", [("organization", "organization"), ("policy", "policy")]),
        ("**audit**", [("audit", "audit")]),
        ("_audit_", [("audit", "audit")]),
        ("process 8.4", [("process", "process")]),
        ("DRP-provider", [("DRP-provider", "drp-provider")]),
        ("DRP provider", [("provider", "provider")]),
        ("8D-report", []),
    ],
)  # fmt: skip
def test_word_boundaries(matcher: TermMatcher, text: str, expected: list[tuple[str, str]]) -> None:
    assert found(matcher, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Top management", [("Top management", "top-management")]),
        ("TOP MANAGEMENT", [("TOP MANAGEMENT", "top-management")]),
        ("Quality Management System", [("Quality Management System",
                                        "quality-management-system")]),
        ("CAPA", [("CAPA", "capa")]),
        ("capa", []),
        ("Capa", []),
        ("8d", []),
        ("Management Review", [("Management Review", "management-review")]),
        ("management review", [("management", "management"), ("review", "review")]),
        ("drp-provider", []),
        ("DRP-Provider", [("DRP-Provider", "drp-provider")]),
        ("QMS", [("QMS", "quality-management-system")]),
        ("qms", []),
    ],
)  # fmt: skip
def test_case_rules(matcher: TermMatcher, text: str, expected: list[tuple[str, str]]) -> None:
    assert found(matcher, text) == expected


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("stakeholder", "interested-party"),
        ("supplier", "provider"),
        ("external supplier", "external-provider"),
        ("configuration control board", "configuration-authority"),
        ("dispute resolution process provider", "drp-provider"),
        ("entity", "object"),
        ("corrective and preventive action", "capa"),
    ],
)
def test_admitted_terms_resolve_to_their_entry(matcher: TermMatcher, text: str, key: str) -> None:
    assert found(matcher, text) == [(text, key)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("quality\nmanagement  system", [("quality\nmanagement  system",
                                          "quality-management-system")]),
        ("quality\u00a0management", [("quality\u00a0management", "quality-management")]),
        ("the organization\u2019s scope", [("organization", "organization")]),
        ("the site\u2019s policy", [("site\u2019s policy", "site-s-policy")]),
        ("non\u2011conformity", [("non\u2011conformity", "nonconformity")]),
        ("DRP\u2010provider", [("DRP\u2010provider", "drp-provider")]),
        ("Qualität und Straße", [("Qualität", "qualitat")]),
        ("QUALITÄT", []),
        ("Qualita\u0308t", []),
        ("Straße audit", [("audit", "audit")]),
        ("ÄUDIT audit", [("audit", "audit")]),
        ("audité", []),
        ("audite\u0301", []),
        ("审核 audit 审核", [("audit", "audit")]),
        ("R&D and C++", [("R&D", "r-d"), ("C++", "c-plus-plus")]),
        ("C+", []),
    ],
)  # fmt: skip
def test_unicode_and_typography(
    matcher: TermMatcher, text: str, expected: list[tuple[str, str]]
) -> None:
    assert found(matcher, text) == expected


def test_offsets_survive_case_folding_that_changes_length(matcher: TermMatcher) -> None:
    text = "STRASSE Straße İstanbul ﬁle top management"
    (match,) = matcher.find_all(text)
    assert text[match.start : match.end] == "top management"


def test_empty_text(matcher: TermMatcher) -> None:
    assert matcher.find_all("") == []


def test_matches_are_term_match_objects(matcher: TermMatcher) -> None:
    assert matcher.find_all("an audit") == [TermMatch(3, 8, "audit")]


def test_forms_lists_every_surface_form(matcher: TermMatcher) -> None:
    assert matcher.forms("interested-party") == (
        "interested party",
        "stakeholder",
        "interested parties",
        "stakeholders",
    )


def test_earlier_term_keeps_a_shared_form() -> None:
    matcher = TermMatcher(
        [
            Term(key="a", term="widget", explanation="x"),
            Term(key="b", term="gadget", forms=("widgets",), explanation="y"),
        ]
    )
    # An explicit form outranks a generated plural.
    assert [m.key for m in matcher.find_all("widgets widget")] == ["b", "a"]


@pytest.mark.parametrize(
    "text",
    [
        "quality " * 140_000,
        "quality management " * 60_000,
        "sub-process-quality-" * 55_000,
        "-" * 1_000_000,
        "quality" + " " * 1_000_000 + "management",
        "a" * 1_000_000,
        ("The organization’s quality management system covers nonconformities. " * 16_000),
    ],
    ids=["one-word", "two-words", "compounds", "hyphens", "one-long-gap", "one-long-word",
         "prose"],
)  # fmt: skip
def test_adversarial_megabyte_completes(matcher: TermMatcher, text: str) -> None:
    started = time.perf_counter()
    matches = matcher.find_all(text)
    assert time.perf_counter() - started < 5  # typically 0.1 to 0.4 s
    assert all(a.end <= b.start for a, b in pairwise(matches))


# Fragments from which the property test builds text: words of terms in various cases,
# separators, joiners, punctuation, typographic characters and non-ASCII letters.
FRAGMENTS = [
    "quality", "Quality", "QUALITY", "management", "system", "systems", "top", "audit", "audits",
    "plan", "process", "processes", "non", "conformity", "nonconformities", "interested",
    "party", "parties", "corrective", "action", "CAPA", "capa", "8D", "DRP", "provider",
    "stakeholder", "of", "the", "organization", "customer", "satisfaction", "code", "conduct",
    "Qualität", "straße", "ﬁ", "e\u0301", "审核", "R", "D", "C", "+", "&",
    " ", " ", " ", "  ", "\n", "\u00a0", "-", "\u2010", "_", ".", "@", ",", "'", "\u2019",
    "(", ")", '"', "\ufffc",
]  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(
    text=st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=3)), max_size=40).map(
        "".join
    )
)
def test_matches_are_ordered_disjoint_and_self_consistent(
    vocabulary: Vocabulary, matcher: TermMatcher, text: str
) -> None:
    matches = matcher.find_all(text)
    # Typographic apostrophes count as apostrophes, even U+02BC, which Unicode calls a letter.
    plain = text.translate(NAME_CHARACTERS)
    position = 0
    for match in matches:
        assert position <= match.start < match.end <= len(text)
        position = match.end
        # No match starts or ends inside a word.
        assert match.start == 0 or not plain[match.start - 1].isalnum()
        assert match.end == len(text) or not plain[match.end].isalnum()
        # The matched text, on its own, is that same term.
        alone = text[match.start : match.end]
        assert matcher.find_all(alone) == [TermMatch(0, len(alone), match.key)]
        # ... and one of the surface forms of an entry of the vocabulary.
        assert match.key in vocabulary
        assert normalise_name(alone) in {normalise_name(f) for f in matcher.forms(match.key)}
