"""The catalogue: shipped ISO 9001:2015 data, the loader's validation, tree queries."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from qmsdocs.findings import QMSDataError
from qmsdocs.standards import (
    Catalogue,
    Clause,
    builtin_catalogue_ids,
    load_builtin_catalogue,
    load_catalogue,
    normalise_designation,
    resolve_catalogue,
)


@pytest.fixture(scope="module")
def iso9001():
    return load_builtin_catalogue("iso9001-2015")


def test_builtin_catalogues_listed() -> None:
    assert "iso9001-2015" in builtin_catalogue_ids()


def test_required_clauses_of_iso9001(iso9001) -> None:
    # Clauses 4 to 10 with every subclause and numbered paragraph: 91 ids, 65 of them leaves.
    assert len(iso9001.required()) == 91
    assert len(iso9001.required_leaves()) == 65
    assert {c.top for c in iso9001.required()} == {str(n) for n in range(4, 11)}


def test_every_clause_of_0_to_10_and_the_annexes(iso9001) -> None:
    ids = [c.id for c in iso9001]
    assert len(ids) == len(set(ids))
    for top in [*map(str, range(11)), "A", "B"]:
        assert top in iso9001
    assert [c.id for c in iso9001.children("A")] == [f"A.{n}" for n in range(1, 9)]
    assert not any(c.requirements for c in iso9001 if c.top in {"0", "1", "2", "3", "A", "B"})


@pytest.mark.parametrize(
    ("clause_id", "title"),
    [
        ("4.4", "Quality management system and its processes"),
        ("7.1.5.2", "Measurement traceability"),
        ("7.5.3", "Control of documented information"),
        ("8.4", "Control of externally provided processes, products and services"),
        ("8.5.3", "Property belonging to customers or external providers"),
        ("9.3.2", "Management review inputs"),
        ("10.3", "Continual improvement"),
        ("A.4", "Risk-based thinking"),
    ],
)
def test_titles_are_the_standards_headings(iso9001, clause_id: str, title: str) -> None:
    assert iso9001[clause_id].title == title


@pytest.mark.parametrize(
    "clause_id",
    [
        "4.4.1",
        "4.4.2",
        "6.1.1",
        "6.1.2",
        "6.2.1",
        "6.2.2",
        "7.5.3.1",
        "7.5.3.2",
        "8.2.3.1",
        "8.2.3.2",
        "8.7.1",
        "8.7.2",
        "9.2.1",
        "9.2.2",
        "10.2.1",
        "10.2.2",
    ],
)
def test_headless_paragraphs_have_no_invented_title(iso9001, clause_id: str) -> None:
    clause = iso9001[clause_id]
    assert clause.title is None
    parent = iso9001[clause.parent]
    assert iso9001.context_title(clause_id) == f"part of {parent.id} {parent.title}"
    assert iso9001.tooltip(clause_id) == (
        f"ISO 9001:2015 {clause_id} (part of {parent.id} {parent.title})"
    )


def test_tree_order_and_parents(iso9001) -> None:
    orders = [c.order for c in iso9001]
    assert orders == sorted(orders)
    for clause in iso9001:
        if clause.parent is not None:
            assert iso9001[clause.parent].order < clause.order
            assert clause.id.startswith(clause.parent + ".")


@pytest.mark.parametrize(
    ("first", "last", "expected"),
    [
        ("5.1", "5.3", ["5.1", "5.2", "5.3"]),
        ("4", "10", [str(n) for n in range(4, 11)]),
        ("7.5.2", "7.5.3", ["7.5.2", "7.5.3"]),
        ("8.5.6", "8.7", ["8.5.6", "8.6", "8.7"]),
        ("9.2", "9.2", ["9.2"]),
    ],
)
def test_span_of_a_range(iso9001, first: str, last: str, expected: list[str]) -> None:
    assert [c.id for c in iso9001.span(first, last)] == expected


def test_backward_range_has_no_span(iso9001) -> None:
    assert iso9001.span("5.3", "5.1") is None


@pytest.mark.parametrize(
    ("clause_id", "hint"),
    [
        ("7.9", "ISO 9001:2015 7 Support has 7.1, 7.2, 7.3, 7.4, 7.5"),
        (
            "4.2.3",
            "did you mean 4.2 Understanding the needs and expectations of interested parties?",
        ),
        ("7.5.4", "ISO 9001:2015 7.5 Documented information has 7.5.1, 7.5.2, 7.5.3"),
        ("11", "ISO 9001:2015 has clauses 0 to 10 and annexes A, B"),
    ],
)
def test_did_you_mean(iso9001, clause_id: str, hint: str) -> None:
    assert iso9001.suggest(clause_id) == hint


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("ISO 9001:2015", "iso 9001:2015"),
        ("DIN EN ISO 9001:2015", "ISO 9001:2015"),
        ("ISO 9001:2015/Amd 1:2024", "ISO 9001:2015"),
        ("ISO 9001:2015 + Amd 1:2024", "ISO 9001:2015"),
        ("BS EN ISO 9001", "ISO 9001"),
    ],
)
def test_designations_normalise_alike(a: str, b: str) -> None:
    assert normalise_designation(a) == normalise_designation(b)


def test_anchor_is_css_safe(iso9001) -> None:
    for clause in iso9001:
        assert re.fullmatch(r"clause-[0-9A-Z-]+", clause.anchor)


# The loader's validation -------------------------------------------------------------------

GOOD_HEAD = 'id: mine\nstandard: "XYZ 1"\nedition: "2020"\ntitle: "XYZ 1:2020 Things"\n'


def write(tmp_path: Path, text: str, name: str = "cat.yml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def codes_and_lines(error: QMSDataError) -> list[tuple[str, int | None]]:
    return [(f.code, f.line) for f in error.findings]


def test_custom_catalogue_loads(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        GOOD_HEAD + 'clauses:\n  - {id: "1", title: "One", requirements: true}\n'
        '  - {id: "1.1", title: "Sub", requirements: true}\n',
    )
    catalogue = load_catalogue(path)
    assert catalogue.label == "XYZ 1:2020"
    assert [c.id for c in catalogue.required_leaves()] == ["1.1"]
    assert catalogue["1.1"].parent == "1"


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            'clauses:\n  - {id: "1", title: "One"}\n  - {id: "1", title: "Again"}\n',
            [("duplicate-clause", 7)],
        ),
        ('clauses:\n  - {id: "2.1", title: "Orphan"}\n', [("unknown-parent", 6)]),
        ("clauses:\n  - {id: 4.1, title: Float}\n", [("bad-clause-id", 6)]),
        ('clauses:\n  - {id: "4..1", title: Bad}\n', [("bad-clause-id", 6)]),
        ('clauses:\n  - {id: "1", titel: Typo}\n', [("unknown-field", 6)]),
        ('clauses:\n  - {id: "1", requirements: "yes"}\n', [("bad-field", 6)]),
        ("clauses: []\n", [("missing-field", 5)]),
        (
            'clauses:\n  - {id: "1.1", title: "Child"}\n  - {id: "1", title: "Parent"}\n',
            [("parent-after-child", 6)],
        ),
        ('clauses:\n  - {id: "4", parent: "4"}\n', [("parent-cycle", 6)]),
        ('clauses:\n  - {id: "4"}\n  - {id: "4.1", parent: "4.1"}\n', [("parent-cycle", 7)]),
        (
            'clauses:\n  - {id: "1", parent: "2"}\n  - {id: "2", parent: "1"}\n',
            [("parent-after-child", 6)],
        ),
    ],
)
def test_catalogue_errors_name_file_and_line(
    tmp_path: Path, body: str, expected: list[tuple[str, int]]
) -> None:
    path = write(tmp_path, GOOD_HEAD + body)
    with pytest.raises(QMSDataError) as caught:
        load_catalogue(path, display="my-standard.yml")
    assert codes_and_lines(caught.value) == expected
    assert all(f.path == "my-standard.yml" for f in caught.value.findings)


def test_all_problems_reported_together(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        'id: x\nstandard: "S"\ntitle: T\nclauses:\n  - {id: "1", colour: red}\n'
        '  - {id: "1", title: Two}\n  - {id: 3.5}\n',
    )
    with pytest.raises(QMSDataError) as caught:
        load_catalogue(path)
    assert sorted(f.code for f in caught.value.findings) == [
        "bad-clause-id",
        "duplicate-clause",
        "unknown-field",
    ]


def test_bad_yaml_names_the_line(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD_HEAD + 'clauses:\n  - {id: "1", title: "One"\n  - x\n')
    with pytest.raises(QMSDataError) as caught:
        load_catalogue(path)
    (finding,) = caught.value.findings
    assert finding.code == "bad-yaml"
    assert finding.line in (6, 7)
    assert "invalid YAML" in finding.message


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yml"
    path.write_bytes(
        (GOOD_HEAD + 'clauses:\n  - {id: "1", title: "Qualit\xe4t"}\n').encode("latin-1")
    )
    with pytest.raises(QMSDataError) as caught:
        load_catalogue(path)
    (finding,) = caught.value.findings
    assert (finding.code, finding.line) == ("not-utf8", 6)
    assert "UTF-8" in (finding.hint or "")


@pytest.mark.parametrize(("text", "code"), [("", "empty-file"), ("- a\n- b\n", "bad-catalogue")])
def test_unusable_top_level(tmp_path: Path, text: str, code: str) -> None:
    with pytest.raises(QMSDataError) as caught:
        load_catalogue(write(tmp_path, text))
    assert [f.code for f in caught.value.findings] == [code]


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(QMSDataError) as caught:
        resolve_catalogue("no/such/catalogue.yml", tmp_path)
    assert [f.code for f in caught.value.findings] == ["file-not-found"]


def test_unknown_builtin() -> None:
    with pytest.raises(QMSDataError) as caught:
        resolve_catalogue("iso9001-1987")
    (finding,) = caught.value.findings
    assert finding.code == "unknown-catalogue"
    assert "iso9001-2015" in (finding.hint or "")


def test_a_catalogue_brings_its_titles_in_other_languages(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        GOOD_HEAD + 'clauses:\n  - {id: "1", title: "One", requirements: true}\n'
        '  - {id: "1.1", title: "Sub", requirements: true}\n'
        'translations:\n  de: {"1": "Eins", "1.1": "  Unter\\n  abschnitt "}\n'
        '  fr: {"1": "Un"}\n',
    )
    catalogue = load_catalogue(path)
    assert catalogue.titles("1") == ["One", "Eins", "Un"]
    assert catalogue.title_in("1.1", "de") == "Unter abschnitt"
    assert catalogue.title_in("1.1", "de-AT") == "Unter abschnitt"
    assert catalogue.title_in("1.1", "fr") is None
    assert catalogue.title_in("1", "es") is None


@pytest.mark.parametrize(
    ("translations", "expected"),
    [
        ('  de: {"9": "Neun"}\n', [("unknown-clause", 8)]),
        ('  de: {"1": ""}\n', [("bad-translation", 8)]),
        ('  Deutsch: {"1": "Eins"}\n', [("bad-field", 8)]),
        ('  de: ["Eins"]\n', [("bad-translation", 8)]),
    ],
)
def test_bad_translations_name_the_line(
    tmp_path: Path, translations: str, expected: list[tuple[str, int]]
) -> None:
    path = write(
        tmp_path,
        GOOD_HEAD
        + 'clauses:\n  - {id: "1", title: "One", requirements: true}\ntranslations:\n'
        + translations,
    )
    with pytest.raises(QMSDataError) as raised:
        load_catalogue(path)
    assert codes_and_lines(raised.value) == expected


def test_a_catalogue_built_in_code_with_a_cycle_fails_instead_of_looping() -> None:
    looped = Catalogue(
        id="x",
        standard="X",
        edition="",
        title="X",
        aliases=("X",),
        clauses=(
            Clause(id="1", title="One", parent="2", requirements=True, order=0),
            Clause(id="2", title="Two", parent="1", requirements=True, order=1),
        ),
    )
    with pytest.raises(ValueError, match="own ancestor"):
        looped.ancestors("1")
