"""Clause coverage verdicts on the built-in ISO 9001:2015 catalogue."""

from __future__ import annotations

from collections.abc import Iterable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qmsdocs.coverage import STATUS_LABELS, Coverage, compute_coverage
from qmsdocs.findings import Severity
from qmsdocs.manual import Declaration, Exclusion
from qmsdocs.records import Reference
from qmsdocs.standards import load_builtin_catalogue

CATALOGUE = load_builtin_catalogue("iso9001-2015")
ISO = CATALOGUE.id
REQUIRED = [c.id for c in CATALOGUE.required()]
LEAVES = [c.id for c in CATALOGUE.required_leaves()]
LEAF_STATUSES = {"covered", "through-parent", "not-applicable", "missing"}


def declare(clause: str, page: str = "p.md", line: int = 2, catalogue: str = ISO) -> Declaration:
    return Declaration(catalogue, clause, page, line)


def exclude(
    clause: str, page: str = "scope.md", line: int = 3, why: str = "Not ours."
) -> Exclusion:
    return Exclusion(ISO, clause, why, page, line)


def coverage(
    declared: Iterable[str] = (),
    excluded: Iterable[str] = (),
    *,
    references: Iterable[Reference] = (),
    parent_covers_children: bool = True,
) -> Coverage:
    return compute_coverage(
        CATALOGUE,
        [declare(c) for c in declared],
        [exclude(c) for c in excluded],
        references,
        parent_covers_children=parent_covers_children,
    )


def codes(result: Coverage, code: str) -> list[str]:
    return [f.message for f in result.findings if f.code == code]


def missing_ids(result: Coverage) -> list[str]:
    return [c.id for c in result.missing()]


# The required set ----------------------------------------------------------------------------


def test_gated_clauses_are_the_65_required_leaves() -> None:
    result = coverage()
    gated = [v.clause.id for v in result.gated()]
    assert len(gated) == 65
    assert gated == LEAVES


def test_every_required_clause_has_a_verdict_in_catalogue_order() -> None:
    assert list(coverage().verdicts) == REQUIRED
    assert len(REQUIRED) == 91


def test_nothing_declared_everything_missing() -> None:
    result = coverage()
    assert missing_ids(result) == LEAVES
    assert not result.complete


@pytest.mark.parametrize("clause", ["7.5", "8", "4.4", "7.5.3", "10.2"])
def test_clause_with_subclauses_is_not_gated(clause: str) -> None:
    assert not coverage().verdicts[clause].gated


# Statuses --------------------------------------------------------------------------------------


def test_declared_leaf_is_covered() -> None:
    verdict = coverage(["7.2"]).verdicts["7.2"]
    assert verdict.status == "covered"
    assert verdict.through is None
    assert [d.clause for d in verdict.addressed_by] == ["7.2"]
    assert verdict.label == "Covered"


def test_parent_covers_its_subclauses() -> None:
    result = coverage(["7.5"])
    for clause in ["7.5.1", "7.5.2", "7.5.3", "7.5.3.1", "7.5.3.2"]:
        verdict = result.verdicts[clause]
        assert verdict.status == "through-parent", clause
        assert verdict.through == "7.5"
        assert [d.clause for d in verdict.inherited] == ["7.5"]
        assert verdict.addressed_by == []
    assert result.verdicts["7.5.3.1"].label == "Covered through parent (7.5)"


def test_nearest_declared_ancestor_decides() -> None:
    result = coverage(["7", "7.5"])
    assert result.verdicts["7.5.3.1"].through == "7.5"
    assert result.verdicts["7.1.1"].through == "7"


def test_own_declaration_wins_over_parent() -> None:
    verdict = coverage(["7.5", "7.5.2"]).verdicts["7.5.2"]
    assert verdict.status == "covered"
    assert verdict.through is None


def test_whole_standard_declared_is_complete() -> None:
    result = coverage(["4", "5", "6", "7", "8", "9", "10"])
    assert result.complete
    assert result.findings == []


def test_parent_covers_children_off_requires_every_leaf() -> None:
    result = coverage(["7.5"], parent_covers_children=False)
    assert result.verdicts["7.5"].status == "covered"
    for clause in ["7.5.1", "7.5.2", "7.5.3.1", "7.5.3.2"]:
        assert result.verdicts[clause].status == "missing", clause
    assert result.verdicts["7.5.3"].status == "missing"
    assert not result.parent_covers_children


def test_parent_covers_children_off_leaves_declared_leaves_covered() -> None:
    result = coverage(["7.5.1", "7.5.2", "7.5.3.1", "7.5.3.2"], parent_covers_children=False)
    assert result.verdicts["7.5"].status == "through-subclauses"
    assert all(result.verdicts[c].status == "covered" for c in ["7.5.1", "7.5.3.2"])


def test_parent_covers_children_off_still_excludes_subclauses() -> None:
    result = coverage([], ["8.3"], parent_covers_children=False)
    assert {result.verdicts[f"8.3.{n}"].status for n in range(1, 7)} == {"not-applicable"}


def test_exclusion_of_a_leaf() -> None:
    verdict = coverage([], ["8.3.3"]).verdicts["8.3.3"]
    assert verdict.status == "not-applicable"
    assert verdict.through is None
    assert verdict.exclusion is not None
    assert (verdict.exclusion.page, verdict.exclusion.justification) == ("scope.md", "Not ours.")
    assert verdict.label == "Not applicable"


def test_exclusion_of_a_parent_excludes_its_subclauses() -> None:
    result = coverage([], ["8.3"])
    assert result.verdicts["8.3"].status == "not-applicable"
    assert result.verdicts["8.3"].through is None
    for n in range(1, 7):
        verdict = result.verdicts[f"8.3.{n}"]
        assert verdict.status == "not-applicable"
        assert verdict.through == "8.3"
        assert verdict.exclusion is not None and verdict.exclusion.clause == "8.3"
    assert result.verdicts["8.3.4"].label == "Not applicable (8.3)"
    assert not any(c.startswith("8.3") for c in missing_ids(result))


def test_nearest_exclusion_applies() -> None:
    result = compute_coverage(
        CATALOGUE, [], [exclude("8.3", why="All design."), exclude("8.3.3", line=4, why="Inputs.")]
    )
    assert result.verdicts["8.3.3"].exclusion.justification == "Inputs."  # type: ignore[union-attr]
    assert result.verdicts["8.3.2"].exclusion.justification == "All design."  # type: ignore[union-attr]


def test_excluded_parent_declared_grandparent() -> None:
    result = coverage(["8"], ["8.3"])
    assert result.verdicts["8.3.1"].status == "not-applicable"
    assert result.verdicts["8.4.1"].status == "through-parent"
    assert result.verdicts["8"].status == "covered"


def test_clause_with_all_subclauses_covered_is_through_subclauses() -> None:
    result = coverage(["7.5.1", "7.5.2", "7.5.3.1", "7.5.3.2"])
    assert result.verdicts["7.5.3"].status == "through-subclauses"
    assert result.verdicts["7.5"].status == "through-subclauses"
    assert result.verdicts["7.5"].label == "Covered through subclauses"


def test_subclauses_covered_or_excluded_count_as_through_subclauses() -> None:
    result = coverage(["8.3.1", "8.3.2", "8.3.3"], ["8.3.4", "8.3.5", "8.3.6"])
    assert result.verdicts["8.3"].status == "through-subclauses"


def test_clause_with_some_subclauses_covered_is_partial() -> None:
    result = coverage(["9.2.1"])
    assert result.verdicts["9.2"].status == "partial"
    assert result.verdicts["9"].status == "partial"
    assert result.verdicts["9.2.2"].status == "missing"
    assert result.verdicts["9.3"].status == "missing"
    assert not result.verdicts["9.2"].ok


def test_clause_with_no_subclause_covered_is_missing_but_not_gated() -> None:
    verdict = coverage().verdicts["9.3"]
    assert verdict.status == "missing"
    assert not verdict.gated


def test_gated_verdicts_take_only_leaf_statuses() -> None:
    result = coverage(["7.5", "9.2.1"], ["8.3"])
    assert {v.status for v in result.gated()} <= LEAF_STATUSES


# Contradictions and duplicates -----------------------------------------------------------------


def test_declaring_an_excluded_subclause_is_a_contradiction() -> None:
    result = compute_coverage(CATALOGUE, [declare("8.3.3", "design.md", 5)], [exclude("8.3")])
    (finding,) = [f for f in result.findings if f.code == "contradiction"]
    assert (finding.path, finding.line, finding.severity) == ("design.md", 5, Severity.ERROR)
    assert "clause 8.3.3 is addressed here (front matter)" in finding.message
    assert "declared not applicable in scope.md" in finding.message
    # The exclusion still decides the verdict.
    assert result.verdicts["8.3.3"].status == "not-applicable"


def test_declaring_the_excluded_clause_itself_is_a_contradiction() -> None:
    assert len(codes(coverage(["8.3"], ["8.3"]), "contradiction")) == 1


def test_contradiction_names_the_heading() -> None:
    heading = Declaration(
        ISO, "8.3.3", "design.md", 9, "inputs", "8.3.3 Design and development inputs", "heading"
    )
    result = compute_coverage(CATALOGUE, [heading], [exclude("8.3")])
    (message,) = codes(result, "contradiction")
    assert "heading '8.3.3 Design and development inputs'" in message


def test_declaring_the_parent_of_an_excluded_clause_is_not_a_contradiction() -> None:
    result = coverage(["8"], ["8.3"])
    assert codes(result, "contradiction") == []
    assert result.complete is False  # 4 to 7, 9, 10 are still missing
    assert not any(c.startswith("8") for c in missing_ids(result))


def test_declaring_a_sibling_of_an_excluded_clause_is_not_a_contradiction() -> None:
    assert codes(coverage(["8.4", "8.3.3"], ["8.3.2"]), "contradiction") == []


def test_declaration_under_nested_exclusions_is_one_contradiction() -> None:
    # 8.3 and 8.3.3 are both declared not applicable; one declaration of 8.3.3 contradicts
    # them once, not once per exclusion above it.
    result = compute_coverage(
        CATALOGUE,
        [declare("8.3.3", "design.md", 5)],
        [exclude("8.3", line=3), exclude("8.3.3", line=4)],
    )
    assert len(codes(result, "contradiction")) == 1


def test_duplicate_exclusion_is_a_warning_and_the_first_wins() -> None:
    result = compute_coverage(
        CATALOGUE,
        [],
        [exclude("8.3", "b.md", 7, "Second."), exclude("8.3", "a.md", 3, "First.")],
    )
    (finding,) = [f for f in result.findings if f.code == "duplicate-exclusion"]
    assert finding.severity is Severity.WARNING
    assert (finding.path, finding.line) == ("b.md", 7)
    assert "the other is in a.md" in (finding.hint or "")
    assert result.verdicts["8.3"].exclusion.justification == "First."  # type: ignore[union-attr]
    assert [e.page for e in result.exclusions] == ["a.md"]


# Findings --------------------------------------------------------------------------------------


def test_missing_findings_in_catalogue_order() -> None:
    result = coverage(["4", "5", "6", "8"], ["8.3"])
    missing = [f for f in result.findings if f.code == "missing-clause"]
    expected = [c for c in LEAVES if c.split(".")[0] in {"7", "9", "10"}]
    assert [f.message.split()[1] for f in missing] == expected
    assert [f.order for f in missing] == sorted(f.order for f in missing)
    assert all(f.severity is Severity.ERROR and f.path == "" for f in missing)


@pytest.mark.parametrize(
    ("clause", "text"),
    [
        ("7.2", "clause 7.2 Competence is not addressed by any page"),
        ("7.5.3.1", "clause 7.5.3.1 (part of 7.5.3 Control of documented information) is not"),
    ],
)
def test_missing_finding_names_the_clause(clause: str, text: str) -> None:
    others = [c for c in LEAVES if c != clause]
    (finding,) = [f for f in coverage(others).findings if f.code == "missing-clause"]
    assert text in finding.message
    assert "not_applicable:" in (finding.hint or "")


def test_references_never_count_as_coverage() -> None:
    references = [
        Reference(ISO, clause, "index.md", None, f"clause {clause}")
        for clause in ["7", "8.4", "9.2.1"]
    ]
    result = coverage(references=references)
    assert missing_ids(result) == LEAVES
    assert [r.page for r in result.verdicts["8.4"].referenced_by] == ["index.md"]
    assert result.verdicts["9.2.1"].status == "missing"
    assert result.verdicts["9.2.1"].referenced_by[0].text == "clause 9.2.1"


def test_references_to_other_catalogues_are_dropped() -> None:
    result = coverage(references=[Reference("iso13485-2016", "8.4", "index.md", None, "x")])
    assert result.verdicts["8.4"].referenced_by == []


def test_declarations_and_exclusions_of_another_catalogue_are_ignored() -> None:
    result = compute_coverage(
        CATALOGUE,
        [declare("7", catalogue="iso13485-2016")],
        [Exclusion("iso13485-2016", "8.3", "x", "s.md", 1)],
    )
    assert result.verdicts["7.2"].status == "missing"
    assert result.verdicts["8.3.1"].status == "missing"
    assert result.declarations == [] and result.exclusions == []


# Summaries -------------------------------------------------------------------------------------


def test_summary_per_top_level_clause_and_overall() -> None:
    result = coverage(["7.5", "8", "9.2.1"], ["8.3", "10.2.1"])
    rows = {(s.clause.id if s.clause else None): s for s in result.summaries()}
    assert list(rows) == ["4", "5", "6", "7", "8", "9", "10", None]
    counts = {k: (s.required, s.covered, s.not_applicable, s.missing) for k, s in rows.items()}
    assert counts == {
        "4": (5, 0, 0, 5),
        "5": (5, 0, 0, 5),
        "6": (5, 0, 0, 5),
        "7": (14, 4, 0, 10),
        "8": (24, 18, 6, 0),
        "9": (8, 1, 0, 7),
        "10": (4, 0, 1, 3),
        None: (65, 23, 7, 35),
    }
    percents = {k: s.percent for k, s in rows.items()}
    assert percents == {
        "4": 0.0,
        "5": 0.0,
        "6": 0.0,
        "7": 28.6,
        "8": 100.0,
        "9": 12.5,
        "10": 0.0,
        None: 39.7,
    }


def test_summary_applicable_excludes_not_applicable() -> None:
    overall = coverage(["8"], ["8.3"]).summary()
    assert overall.applicable == 65 - 6


def test_summary_percent_is_100_when_nothing_applies() -> None:
    top = CATALOGUE["10"]
    summary = coverage([], ["10"]).summary(top)
    assert (summary.required, summary.not_applicable, summary.applicable) == (4, 4, 0)
    assert summary.percent == 100.0


def test_summary_complete_manual() -> None:
    overall = coverage(["4", "5", "6", "7", "8", "9", "10"], ["8.3"]).summary()
    assert (overall.covered, overall.not_applicable, overall.missing) == (59, 6, 0)
    assert overall.percent == 100.0


def test_pages_lists_declarations_per_page_in_clause_order() -> None:
    result = compute_coverage(
        CATALOGUE,
        [
            declare("8.4", "b.md", 9),
            declare("10", "a.md"),
            declare("7.5", "b.md", 3),
            declare("4", "a.md", 5),
        ],
        [],
    )
    assert {page: [d.clause for d in items] for page, items in result.pages().items()} == {
        "a.md": ["4", "10"],
        "b.md": ["7.5", "8.4"],
    }
    assert list(result.pages()) == ["a.md", "b.md"]


# Properties ------------------------------------------------------------------------------------

ALL_IDS = [c.id for c in CATALOGUE]
declarations_st = st.lists(st.sampled_from(ALL_IDS), max_size=25)
exclusions_st = st.lists(st.sampled_from(REQUIRED), max_size=6)
PROPERTY_SETTINGS = settings(max_examples=120, deadline=None, database=None)


@PROPERTY_SETTINGS
@given(declared=declarations_st, excluded=exclusions_st, parent=st.booleans())
def test_property_every_gated_clause_has_exactly_one_status(
    declared: list[str], excluded: list[str], parent: bool
) -> None:
    result = coverage(declared, excluded, parent_covers_children=parent)
    assert list(result.verdicts) == REQUIRED
    assert [v.clause.id for v in result.gated()] == LEAVES
    for verdict in result.verdicts.values():
        assert verdict.status in STATUS_LABELS
        if verdict.gated:
            assert verdict.status in LEAF_STATUSES
    missing = {c.id for c in result.missing()}
    flagged = {f.message.split()[1] for f in result.findings if f.code == "missing-clause"}
    assert missing == flagged
    assert result.complete == (not missing)


@PROPERTY_SETTINGS
@given(declared=declarations_st, excluded=exclusions_st, parent=st.booleans())
def test_property_summary_counts_add_up(
    declared: list[str], excluded: list[str], parent: bool
) -> None:
    result = coverage(declared, excluded, parent_covers_children=parent)
    summaries = result.summaries()
    tops, overall = summaries[:-1], summaries[-1]
    for summary in summaries:
        assert summary.covered + summary.not_applicable + summary.missing == summary.required
        assert 0.0 <= summary.percent <= 100.0
    assert overall.required == 65
    assert overall.clause is None
    for field in ("required", "covered", "not_applicable", "missing"):
        assert sum(getattr(s, field) for s in tops) == getattr(overall, field)
    assert overall.missing == len(result.missing())


@PROPERTY_SETTINGS
@given(
    declared=declarations_st,
    excluded=exclusions_st,
    extra=st.sampled_from(ALL_IDS),
    parent=st.booleans(),
)
def test_property_adding_a_declaration_never_uncovers_a_clause(
    declared: list[str], excluded: list[str], extra: str, parent: bool
) -> None:
    before = coverage(declared, excluded, parent_covers_children=parent)
    after = coverage([*declared, extra], excluded, parent_covers_children=parent)
    for clause in LEAVES:
        if before.verdicts[clause].status != "missing":
            assert after.verdicts[clause].status != "missing", clause
    assert set(missing_ids(after)) <= set(missing_ids(before))
    if extra in after.verdicts and after.verdicts[extra].gated:
        assert after.verdicts[extra].status in {"covered", "not-applicable"}


@PROPERTY_SETTINGS
@given(declared=declarations_st, excluded=exclusions_st)
def test_property_excluded_clauses_are_never_missing(
    declared: list[str], excluded: list[str]
) -> None:
    result = coverage(declared, excluded)
    for clause in excluded:
        below = [clause, *(c.id for c in CATALOGUE.descendants(clause))]
        for clause_id in below:
            assert result.verdicts[clause_id].status == "not-applicable"
