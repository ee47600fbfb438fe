"""The quality management principles: the shipped data, the loader and its validation."""

from __future__ import annotations

import textwrap
import tomllib
from pathlib import Path

import pytest

from qmsdocs.findings import QMSDataError
from qmsdocs.principles import (
    Principle,
    PrincipleSet,
    builtin_principles,
    check_principles,
    load_principles,
)
from qmsdocs.standards import load_builtin_catalogue
from qmsdocs.vocabulary import load_vocabulary

from .conftest import REPO

NAMES = [
    ("2.3.1", "Customer focus"),
    ("2.3.2", "Leadership"),
    ("2.3.3", "Engagement of people"),
    ("2.3.4", "Process approach"),
    ("2.3.5", "Improvement"),
    ("2.3.6", "Evidence-based decision making"),
    ("2.3.7", "Relationship management"),
]


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "principles.yml"
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def test_the_seven_principles_of_iso_9000() -> None:
    principles = builtin_principles()
    assert [(p.number, p.name) for p in principles] == NAMES
    assert principles.standard == "ISO 9000:2015"
    assert principles.catalogue == "iso9001-2015"
    for principle in principles:
        assert principle.clauses and principle.terms
        assert 200 < len(principle.summary) < 700, principle.name
        assert "\n" not in principle.summary


def test_every_clause_and_term_of_the_mapping_exists() -> None:
    catalogue = load_builtin_catalogue("iso9001-2015")
    vocabulary, findings = load_vocabulary([])
    assert findings == []
    assert check_principles(builtin_principles(), catalogue, vocabulary) == []
    for principle in builtin_principles():
        assert all(clause in catalogue for clause in principle.clauses)
        assert all(vocabulary.lookup(term) for term in principle.terms)


def test_the_mapping_avoids_the_clause_the_example_excludes() -> None:
    # The example manual declares 8.3 not applicable; its principles must not point there.
    for principle in builtin_principles():
        assert not any(c == "8.3" or c.startswith("8.3.") for c in principle.clauses)


@pytest.mark.parametrize(
    ("key", "number"),
    [
        ("2.3.4", "2.3.4"),
        (4, "2.3.4"),
        ("4", "2.3.4"),
        ("Process approach", "2.3.4"),
        ("  process   APPROACH ", "2.3.4"),
        ("process-approach", "2.3.4"),
        ("evidence-based-decision-making", "2.3.6"),
        ("Evidence‑based decision making", "2.3.6"),  # non-breaking hyphen
    ],
)
def test_lookup(key: str | int, number: str) -> None:
    principle = builtin_principles().get(key)
    assert principle is not None and principle.number == number


def test_unknown_key_and_suggestions() -> None:
    principles = builtin_principles()
    assert principles.get("2.3.8") is None
    assert principles.get("Quality") is None
    assert principles.suggest("Leadershp") == "did you mean 2.3.2 'Leadership'?"
    assert principles.suggest("zzz").startswith("the principles are 2.3.1 Customer focus, ")


def test_slugs_and_citations() -> None:
    principles = builtin_principles()
    principle = principles.get("2.3.6")
    assert principle is not None
    assert principle.slug == "evidence-based-decision-making"
    assert principles.citation(principle) == "ISO 9000:2015 2.3.6"


def test_the_example_site_has_an_explainer_per_principle() -> None:
    for principle in builtin_principles():
        assert (REPO / "docs" / "principles" / f"{principle.slug}.md").is_file()


def test_the_data_file_is_package_data() -> None:
    pyproject = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    assert "principles/*.yml" in pyproject["tool"]["setuptools"]["package-data"]["qmsdocs"]


def test_load_a_valid_file(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
        id: ours
        title: Our principles
        standard: ISO 9000:2015
        catalogue: iso9001-2015
        principles:
          - number: "1"
            name: Safety first
            summary: >
              We stop the line
              when in doubt.
            clauses: ["8.5.1"]
            terms: [process]
        """,
    )
    principles = load_principles(path)
    assert isinstance(principles, PrincipleSet)
    assert principles.principles == (
        Principle(
            "1", "Safety first", "We stop the line when in doubt.", ("8.5.1",), ("process",), 6
        ),
    )
    assert principles.principles[0].clause_lines == (11,)
    assert principles.source == str(path)


def test_every_problem_is_reported_with_its_line(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
        id: ours
        title: Our principles
        catalogue: iso9001-2015
        colour: blue
        principles:
          - number: 2.3
            name: A
            summary: x
          - number: "2.3.1"
            name: ""
            summary: x
          - number: "2.3.2"
            name: Customer focus
            summary: x
            clauses: [8.4]
            extra: 1
          - number: "2.3.3"
            name: B
            summary: x
          - number: "2.3.3"
            name: C
            summary: x
          - just text
        """,
    )
    with pytest.raises(QMSDataError) as raised:
        load_principles(path, display="principles.yml")
    found = [(f.code, f.line) for f in raised.value.findings]
    assert found == [
        ("missing-field", 1),  # 'standard' is missing
        ("unknown-field", 4),
        ("bad-field", 6),
        ("missing-field", 10),
        ("bad-clause-id", 15),
        ("unknown-field", 16),
        ("duplicate-principle", 20),
        ("bad-principle", 23),
    ]
    assert all(f.path == "principles.yml" for f in raised.value.findings)
    texts = [str(f) for f in raised.value.findings]
    assert any('write number: "2.3"' in t for t in texts)
    assert any("first listed on line 17" in t for t in texts)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "empty-file"),
        ("id: [unclosed\n", "bad-yaml"),
        ("- a\n- b\n", "bad-principles"),
        ("id: x\ntitle: y\nstandard: z\ncatalogue: c\nprinciples: []\n", "missing-field"),
    ],
)
def test_unusable_files(tmp_path: Path, text: str, code: str) -> None:
    path = tmp_path / "p.yml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(QMSDataError) as raised:
        load_principles(path)
    assert [f.code for f in raised.value.findings] == [code]


def test_check_reports_unknown_clauses_and_terms_with_file_and_line(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
        id: ours
        title: Our principles
        standard: ISO 9000:2015
        catalogue: iso9001-2015
        principles:
          - number: "1"
            name: A
            summary: x
            clauses: ["8.4", "8.9"]
            terms: [process, nonconformaty]
        """,
    )
    catalogue = load_builtin_catalogue("iso9001-2015")
    vocabulary, _ = load_vocabulary([])
    findings = check_principles(load_principles(path, "p.yml"), catalogue, vocabulary)
    assert [str(f) for f in findings] == [
        "p.yml:9: principle 1 A: ISO 9001:2015 has no clause 8.9 (ISO 9001:2015 8 Operation "
        "has 8.1, 8.2, 8.3, 8.4, 8.5, 8.6, 8.7) [unknown-clause]",
        "p.yml:10: principle 1 A: 'nonconformaty' names no term of the vocabulary "
        "(did you mean 'nonconformity'?) [unknown-term]",
    ]


def test_check_refuses_another_catalogue() -> None:
    principles = builtin_principles()
    other = PrincipleSet("x", "X", "ISO 9000:2015", "iso9999", principles.principles, "x.yml")
    vocabulary, _ = load_vocabulary([])
    findings = check_principles(other, load_builtin_catalogue("iso9001-2015"), vocabulary)
    assert [f.code for f in findings] == ["wrong-catalogue"]
