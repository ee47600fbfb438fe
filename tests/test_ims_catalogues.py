"""The ISO 14001:2015 and ISO 45001:2018 catalogues, checked against the sources they cite.

Each source's clause numbers and headings, as it prints them, are kept in
`tests/data/catalogue_sources/<catalogue id>/<source>.yml` (numbers and headings only), so
that the catalogues can be checked without a network: every heading must be printed by at
least two sources, and every number a source gives must be in the catalogue.
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
from pathlib import Path

import click
import pytest
import yaml
from click.testing import CliRunner

from qmsdocs.cli import main
from qmsdocs.findings import QMSDataError
from qmsdocs.standards import (
    CLAUSE_ID_RE,
    Catalogue,
    builtin_catalogue_ids,
    catalogues_by_alias,
    load_builtin_catalogue,
    load_catalogue,
    normalise_designation,
)

CATALOGUES = ("iso14001-2015", "iso45001-2018")
SOURCES = Path(__file__).parent / "data" / "catalogue_sources"
REQUIRED_TOPS = {str(n) for n in range(4, 11)}

# Clause numbers a source gives that the catalogue leaves out on purpose, by catalogue:
# (source, number). None so far: the sources give no number the catalogues lack.
KNOWN_DIFFERENCES: dict[str, set[tuple[str, str]]] = {c: set() for c in CATALOGUES}

_DASHES_RE = re.compile(r"[\u2010-\u2015-]")


def normalise(heading: str) -> str:
    """A heading as compared with a source's: case, spacing and dashes ignored, "&" read as
    "and". Nothing else: "organisation" is not "organization", "the EMS" not the words."""
    text = _DASHES_RE.sub(" ", heading).replace("&", " and ")
    return " ".join(text.split()).casefold()


def sources_of(catalogue_id: str) -> dict[str, dict[str, str]]:
    """Each source's headings by clause number, by the source's short name (its file name)."""
    folder = SOURCES / catalogue_id
    return {
        path.stem: yaml.safe_load(path.read_text(encoding="utf-8"))
        for path in sorted(folder.glob("*.yml"))
    }


@pytest.fixture(scope="module", params=CATALOGUES)
def catalogue(request: pytest.FixtureRequest) -> Catalogue:
    return load_builtin_catalogue(request.param)


def test_normalise_ignores_only_case_spacing_dashes_and_ampersands() -> None:
    assert normalise("OH & S management  system") == normalise("OH&S Management System")
    assert normalise("Plan-Do-Check-Act") == normalise("Plan – Do – Check – Act")
    assert normalise("Nonconformity & corrective action") == "nonconformity and corrective action"
    assert normalise("organisation") != normalise("organization")
    assert normalise("Determining the scope of the EMS") != normalise(
        "Determining the scope of the environmental management system"
    )


@pytest.mark.parametrize("catalogue_id", CATALOGUES)
def test_catalogue_is_built_in_and_valid(catalogue_id: str) -> None:
    assert catalogue_id in builtin_catalogue_ids()
    catalogue = load_builtin_catalogue(catalogue_id)  # validates, or raises QMSDataError
    assert catalogue.id == catalogue_id
    assert not catalogue.provisional
    assert catalogue.sources
    # The file as it ships loads the same by path.
    path = Path(__file__).parents[1] / "src/qmsdocs/standards" / f"{catalogue_id}.yml"
    assert load_catalogue(path).clauses == catalogue.clauses


def test_source_files_map_clause_numbers_to_headings() -> None:
    for catalogue_id in CATALOGUES:
        sources = sources_of(catalogue_id)
        assert len(sources) >= 2, catalogue_id
        for name, headings in sources.items():
            assert isinstance(headings, dict) and headings, (catalogue_id, name)
            for number, heading in headings.items():
                # Quoted in the file: YAML would read 4.1 as a number and 4.10 as 4.1.
                assert isinstance(number, str) and CLAUSE_ID_RE.fullmatch(number), (name, number)
                assert isinstance(heading, str) and heading.strip(), (name, number)


def test_every_heading_is_printed_by_two_sources(catalogue: Catalogue) -> None:
    sources = sources_of(catalogue.id)
    unconfirmed = []
    for clause in catalogue:
        if clause.title is None:
            continue
        confirming = [
            name
            for name, headings in sources.items()
            if clause.id in headings and normalise(headings[clause.id]) == normalise(clause.title)
        ]
        if len(confirming) < 2:
            unconfirmed.append((clause.id, clause.title, confirming))
    assert unconfirmed == []


def test_every_number_a_source_gives_is_in_the_catalogue(catalogue: Catalogue) -> None:
    missing = [
        (name, number)
        for name, headings in sources_of(catalogue.id).items()
        for number in headings
        if number not in catalogue and (name, number) not in KNOWN_DIFFERENCES[catalogue.id]
    ]
    assert missing == []
    # ... and a known difference is one: its number is not in the catalogue.
    assert not any(number in catalogue for _, number in KNOWN_DIFFERENCES[catalogue.id])


def test_every_source_is_named_in_the_catalogue(catalogue: Catalogue) -> None:
    names = set(sources_of(catalogue.id))
    listed = {entry.split(":", 1)[0] for entry in catalogue.sources}
    assert names <= listed, "source files not in the catalogue's sources"
    assert listed <= names, "sources in the catalogue without their numbers and headings"
    # Described in words, not by a path on someone's machine.
    assert all(":" in entry and "/" not in entry.split(":", 1)[1] for entry in catalogue.sources)


def test_requirements_exactly_in_clauses_4_to_10(catalogue: Catalogue) -> None:
    assert {c.top for c in catalogue.required()} == REQUIRED_TOPS
    for clause in catalogue:
        assert clause.requirements == (clause.top in REQUIRED_TOPS), clause.id
        assert clause.annex is None and clause.confidence is None, clause.id


def test_the_clause_tree(catalogue: Catalogue) -> None:
    assert [c.id for c in catalogue.top_level()] == [str(n) for n in range(1, 11)]
    ids = [c.id for c in catalogue]
    assert len(ids) == len(set(ids))
    for clause in catalogue:
        expected = clause.id.rsplit(".", 1)[0] if "." in clause.id else None
        assert clause.parent == expected, clause.id
        if expected is not None:
            assert ids.index(expected) < ids.index(clause.id), clause.id
        # Every clause has a heading of its own: neither standard has headless paragraphs.
        assert clause.title, clause.id
    # Siblings in the standard's order: 7.4.1, 7.4.2, 7.4.3.
    for clause in catalogue:
        numbers = [int(c.id.rsplit(".", 1)[1]) for c in catalogue.children(clause.id)]
        assert numbers == list(range(1, len(numbers) + 1)), clause.id


@pytest.mark.parametrize(
    ("catalogue_id", "clause_id", "title", "children"),
    [
        ("iso14001-2015", "6.1.2", "Environmental aspects", []),
        ("iso14001-2015", "6.1.3", "Compliance obligations", []),
        ("iso14001-2015", "8", "Operation", ["8.1", "8.2"]),
        ("iso14001-2015", "8.2", "Emergency preparedness and response", []),
        (
            "iso14001-2015",
            "9.1",
            "Monitoring, measurement, analysis and evaluation",
            ["9.1.1", "9.1.2"],
        ),
        ("iso14001-2015", "9.1.2", "Evaluation of compliance", []),
        ("iso45001-2018", "5", "Leadership and worker participation", ["5.1", "5.2", "5.3", "5.4"]),
        ("iso45001-2018", "5.4", "Consultation and participation of workers", []),
        (
            "iso45001-2018",
            "6.1.2",
            "Hazard identification and assessment of risks and opportunities",
            ["6.1.2.1", "6.1.2.2", "6.1.2.3"],
        ),
        ("iso45001-2018", "8.1.2", "Eliminating hazards and reducing OH&S risks", []),
        ("iso45001-2018", "8.1.3", "Management of change", []),
        ("iso45001-2018", "8.1.4", "Procurement", ["8.1.4.1", "8.1.4.2", "8.1.4.3"]),
        (
            "iso45001-2018",
            "9.1",
            "Monitoring, measurement, analysis and performance evaluation",
            ["9.1.1", "9.1.2"],
        ),
        ("iso45001-2018", "10.2", "Incident, nonconformity and corrective action", []),
    ],
)
def test_headings_of_each_standard(
    catalogue_id: str, clause_id: str, title: str, children: list[str]
) -> None:
    catalogue = load_builtin_catalogue(catalogue_id)
    assert catalogue[clause_id].title == title
    assert [c.id for c in catalogue.children(clause_id)] == children


@pytest.mark.parametrize(
    ("designation", "catalogue_id"),
    [
        ("ISO 14001", "iso14001-2015"),
        ("BS EN ISO 14001:2015", "iso14001-2015"),
        ("ISO 14001:2015/Amd 1:2024", "iso14001-2015"),
        ("ISO 45001:2018", "iso45001-2018"),
        ("DIN EN ISO 45001:2023", "iso45001-2018"),
        ("BS ISO 45001:2018", "iso45001-2018"),
        ("ISO 9001:2015", "iso9001-2015"),
    ],
)
def test_designations_name_their_catalogue(designation: str, catalogue_id: str) -> None:
    by_alias = catalogues_by_alias([load_builtin_catalogue(i) for i in builtin_catalogue_ids()])
    assert by_alias[normalise_designation(designation)].id == catalogue_id


def test_no_alias_is_shared_with_another_standard() -> None:
    catalogues = [load_builtin_catalogue(i) for i in builtin_catalogue_ids()]
    owner: dict[str, str] = {}
    for catalogue in catalogues:
        for alias in catalogue.aliases:
            key = normalise_designation(alias)
            assert owner.setdefault(key, catalogue.standard) == catalogue.standard, alias


# The `sources` field of a catalogue file.

HEAD = 'id: x\nstandard: X 1\ntitle: "X 1 Widgets"\nclauses:\n  - {id: "1", title: "Scope"}\n'


def test_sources_are_optional_and_kept(tmp_path: Path) -> None:
    path = tmp_path / "x.yml"
    path.write_text(HEAD)
    assert load_catalogue(path).sources == ()
    path.write_text(HEAD + 'sources:\n  - "a  certification body\'s page"\n  - "a repository"\n')
    assert load_catalogue(path).sources == ("a certification body's page", "a repository")


@pytest.mark.parametrize(
    "sources", ['"one text"', "[one, 2]", '[""]', "[[nested]]", "{a: b}", "[' ']"]
)
def test_sources_must_be_a_list_of_texts(tmp_path: Path, sources: str) -> None:
    path = tmp_path / "x.yml"
    path.write_text(HEAD + f"sources: {sources}\n")
    with pytest.raises(QMSDataError) as raised:
        load_catalogue(path)
    assert [(f.code, f.line) for f in raised.value.findings] == [("bad-field", 6)]


# The command line lists them, in every format.


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def clause_formats() -> list[str]:
    command = main.commands["clauses"]
    option = next(p for p in command.params if p.name == "fmt")
    assert isinstance(option.type, click.Choice)
    return list(option.type.choices)


def test_clauses_command_has_the_expected_formats() -> None:
    # A new format must be added to the test below.
    assert sorted(clause_formats()) == ["csv", "json", "markdown", "table"]


@pytest.mark.parametrize("fmt", clause_formats())
@pytest.mark.parametrize("catalogue_id", CATALOGUES)
def test_clauses_command_lists_the_catalogue(catalogue_id: str, fmt: str) -> None:
    catalogue = load_builtin_catalogue(catalogue_id)
    code, out, err = run("clauses", "--standard", catalogue_id, "--format", fmt)
    assert code == 0, err
    rows = [
        {"clause": c.id, "title": c.title, "parent": c.parent or "", "requirements": c.requirements}
        for c in catalogue
    ]
    if fmt == "json":
        payload = json.loads(out)
        assert payload["catalogue"] == catalogue_id
        assert payload["title"] == catalogue.title
        assert payload["clauses"] == rows
    elif fmt == "csv":
        listed = list(csv.DictReader(io.StringIO(out)))
        assert listed == [{**row, "requirements": str(row["requirements"])} for row in rows]
    elif fmt == "markdown":
        lines = out.splitlines()
        assert lines[:2] == ["| Clause | Title | Requirements |", "|---|---|---|"]
        # "&" is written "&amp;" so that a Markdown renderer shows it as written.
        assert [html.unescape(line) for line in lines[2:]] == [
            f"| {c.id} | {c.title} | {'yes' if c.requirements else ''} |" for c in catalogue
        ]
    else:
        lines = out.splitlines()
        assert lines[0] == f"{catalogue.title}  [{catalogue_id}]"
        table = lines[3 : lines.index("")]  # the rows, up to the blank line before the sum
        numbers = [line.split()[0] for line in table if line[:1].strip()]
        assert numbers == [c.id for c in catalogue]
        required = len(catalogue.required())
        assert (
            f"{len(catalogue)} clauses listed; {required} carry requirements, "
            f"{len(catalogue.required_leaves())} of them at the lowest level." in out
        )


@pytest.mark.parametrize("catalogue_id", CATALOGUES)
def test_clauses_command_lists_required_leaves(catalogue_id: str) -> None:
    catalogue = load_builtin_catalogue(catalogue_id)
    code, out, _ = run("clauses", "--standard", catalogue_id, "--leaves", "--format", "json")
    assert code == 0
    leaves = [row["clause"] for row in json.loads(out)["clauses"]]
    assert leaves == [c.id for c in catalogue.required_leaves()]
    assert "6.1" not in leaves and "9.1.2" in leaves


def test_catalogues_command_lists_them() -> None:
    code, out, _ = run("catalogues")
    assert code == 0
    for catalogue_id in CATALOGUES:
        title = load_builtin_catalogue(catalogue_id).title
        assert f"{catalogue_id:<16} {title}\n" in out
