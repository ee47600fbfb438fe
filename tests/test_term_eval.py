"""The term links on the labelled evaluation set (`tests/term_eval`) do not get worse.

The README states the figures. The aim is 98 % precision with 90 % of the ISO-sense (page,
term) pairs linked right (`link_terms: first`); the whole set meets it. Each set of pages
written independently of the rules fell short of it when it arrived (`s`: 93.8 %, `t`: 85.3 %,
`u`: 93.8 %, `v`: 94.4 %), so this test holds today's level on the whole set, and fails when a
page holds a term occurrence nobody labelled.
"""

from __future__ import annotations

import pytest

from .term_eval import evaluate as evaluation


@pytest.fixture(scope="module")
def scores():  # type: ignore[no-untyped-def]
    matcher, senses = evaluation.default_reader()
    return evaluation.evaluate(matcher, senses), evaluation.evaluate(matcher, None)


def test_the_set_is_large_and_fully_labelled(scores) -> None:  # type: ignore[no-untyped-def]
    (every, first, labels), _baseline = scores
    assert labels >= 2600
    assert every.unlabelled == 0 and first.unlabelled == 0


def test_precision_and_recall_hold_their_level(scores) -> None:  # type: ignore[no-untyped-def]
    (every, first, _labels), _baseline = scores
    assert first.precision >= 0.98
    assert first.recall >= 0.915
    assert every.precision >= 0.975


def test_the_sense_rules_do_better_than_the_bare_matcher(scores) -> None:  # type: ignore[no-untyped-def]
    (_every, first, _labels), (_b_every, b_first, _b_labels) = scores
    assert first.precision > b_first.precision + 0.1
    assert first.recall >= b_first.recall


def test_labels_strip_to_the_text() -> None:
    text, spans = evaluation.strip_labels("the ⟦+audit⟧ of the ⟦-Quality⟧ Manager")
    assert text == "the audit of the Quality Manager"
    assert [(text[s.start : s.end], s.sign) for s in spans] == [("audit", "+"), ("Quality", "-")]
