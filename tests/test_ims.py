"""Integrated management systems: one manual that claims ISO 9001, ISO 14001 and ISO 45001.

Each claimed standard gets its clause pages, coverage, exports and gate; pages declare another
standard's clauses with qualified ids ("iso14001-2015:6.1.2") and a shared clause of the
harmonized structure once for all ("all:7.5").
"""

from __future__ import annotations

import json
import logging
import shutil
from pathlib import Path

import jsonschema
import pytest
import yaml
from click.testing import CliRunner
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort

from qmsdocs.cli import main
from qmsdocs.editions import load_editions
from qmsdocs.exports import load_schema
from qmsdocs.harmonized import same_clause
from qmsdocs.manual import read_front_matter
from qmsdocs.references import Recognizer
from qmsdocs.standards import load_builtin_catalogue

from .conftest import build_site

IMS = ["iso9001-2015", "iso14001-2015", "iso45001-2018"]
Q, E, S = (load_builtin_catalogue(i) for i in IMS)


def _recognizer() -> Recognizer:
    editions = load_editions(IMS)
    return Recognizer(editions.catalogues, standards=[c.id for c in editions.standards])


def _front(clauses: str) -> tuple[list[tuple[str, str]], list[str]]:
    front = read_front_matter("p.md", f"---\n{clauses}\n---\n# P\n", Q, _recognizer())
    return [(d.catalogue, d.clause) for d in front.clauses], [
        f"{f.code}: {f.message} ({f.hint})" for f in front.findings
    ]


def test_a_qualified_id_names_another_standards_clause() -> None:
    declared, findings = _front(
        'clauses: ["8.4", "iso14001-2015:6.1.2", "iso45001-2018: 5.4", "Clause: 9.2"]'
    )
    assert declared == [
        ("iso9001-2015", "8.4"),
        ("iso14001-2015", "6.1.2"),
        ("iso45001-2018", "5.4"),
        ("iso9001-2015", "9.2"),  # "Clause:" names no standard: the first standard's
    ]
    assert findings == []


def test_all_declares_a_shared_clause_for_every_standard() -> None:
    declared, findings = _front('clauses: ["all:7.5", "ALL: 9.2"]')
    assert declared == [(s, c) for c in ("7.5", "9.2") for s in IMS]
    assert findings == []


@pytest.mark.parametrize(
    ("clause", "expected"),
    [
        # ISO 45001's 5 is "Leadership and worker participation"
        ("all:5", "unshared-clause: clauses: all:5: the standards do not share this clause"),
        # the same number, three different clauses
        ("all:6.1.2", "ISO 14001:2015 6.1.2 Environmental aspects"),
        # only ISO 45001 has it
        ("all:5.4", "unknown-clause: clauses: all:5.4: ISO 9001:2015 and ISO 14001:2015 have no"),
        ("iso14002-2015:4.1", "did you mean 'iso14001-2015'?"),
        ("iso14001-2015:6.1.9", "unknown-clause: clauses: ISO 14001:2015 has no clause 6.1.9"),
    ],
)
def test_what_cannot_be_declared_is_named(clause: str, expected: str) -> None:
    declared, findings = _front(f'clauses: ["{clause}"]')
    assert declared == []
    assert len(findings) == 1 and expected in findings[0], findings


def test_a_standard_the_site_does_not_claim_is_named_with_what_to_do() -> None:
    editions = load_editions(IMS[:2])
    recognizer = Recognizer(editions.catalogues, standards=[c.id for c in editions.standards])
    front = read_front_matter("p.md", '---\nclauses: ["iso45001-2018:5.4"]\n---\n', Q, recognizer)
    assert "add it to standards: in mkdocs.yml" in (front.findings[0].hint or "")


def test_not_applicable_is_declared_per_standard() -> None:
    front = read_front_matter(
        "p.md",
        '---\nnot_applicable: {"all:8.3": "We design nothing."}\n---\n',
        Q,
        _recognizer(),
    )
    assert [f.code for f in front.findings] == ["bad-clause-id"]
    assert "under clauses: only" in (front.findings[0].hint or "")


def test_shared_means_same_number_and_same_headings() -> None:
    assert same_clause(Q, E, "7.5") and same_clause(Q, S, "7.5.3")
    assert not same_clause(Q, S, "5")  # Leadership and worker participation
    assert not same_clause(E, S, "6.1.2")
    assert not same_clause(Q, E, "6.1.1")  # untitled in ISO 9001, "General" in ISO 14001


# A site that addresses every required clause of the three standards: ISO 9001 and ISO 45001
# by top-level clause (naming each leaf, so that none is covered in name only), ISO 14001 leaf
# by leaf on one page and 6.1.2 on a page of its own.
def _naming(catalogue_id: str) -> str:
    catalogue = load_builtin_catalogue(catalogue_id)
    return "".join(f"- {catalogue.label} clause {c.id}\n" for c in catalogue.required_leaves())


def _ims_docs() -> dict[str, str]:
    tops = ["4", "5", "6", "7", "8", "9", "10"]
    leaves = [c.id for c in E.required_leaves() if c.id != "6.1.2"]
    front = [*tops, *(f"iso45001-2018:{t}" for t in tops), *(f"iso14001-2015:{c}" for c in leaves)]
    return {
        "index.md": f"---\nclauses: {json.dumps(front)}\n---\n\n# Our IMS\n\n"
        + _naming("iso9001-2015")
        + _naming("iso45001-2018"),
        "aspects.md": '---\nclauses: ["iso14001-2015:6.1.2"]\n---\n\n# Environmental aspects\n\n'
        "We list each activity's environmental aspects and their impacts. Read ISO 45001 "
        "clause 5.4 for how workers take part.\n\nThe legal duties come from clause 6.1.3.\n",
        "records.md": '---\nclauses: ["all:7.5"]\n---\n\n# Documented information\n\n'
        "One set of documents serves all three systems, as clauses 7.5.1, 7.5.2, 7.5.3, "
        "7.5.3.1 and 7.5.3.2 ask.\n\nSuppliers are chosen as clause 8.4 asks.\n",
    }


@pytest.fixture(scope="module")
def ims(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    root = tmp_path_factory.mktemp("ims")
    return build_site(
        root, _ims_docs(), complete=False, plugins=["search", {"qmsdocs": {"standards": IMS}}]
    )


def test_each_standard_gets_its_clause_pages_and_citations_link_there(ims) -> None:  # type: ignore[no-untyped-def]
    for standard in IMS:
        assert (ims.site_dir / "clauses" / standard / "8" / "index.html").is_file()
    html = ims.page("aspects.md")
    assert 'href="../clauses/iso45001-2018/5/#clause-5-4"' in html
    # A page that declares clauses of ISO 14001 only is about ISO 14001: its plain numbers are
    assert 'href="../clauses/iso14001-2015/6/#clause-6-1-3"' in html
    # ... and on a page that declares the first standard's clauses, they are the first's.
    assert 'href="../clauses/iso9001-2015/8/#clause-8-4"' in ims.page("records.md")
    # The shared pages first, then one section per standard.
    nav = [item.title for item in ims.config.nav] if ims.config.nav else None
    assert nav is None  # the site has no nav: of its own
    text = html.split("md-nav--primary")[1]
    order = [
        text.index(t)
        for t in (
            "Standards",
            "Clause coverage",
            "ISO 9001:2015",
            "ISO 14001:2015",
            "ISO 45001:2018",
        )
    ]
    assert order == sorted(order)
    page = ims.html("clauses/iso14001-2015/6/index.html")
    assert "aspects/" in page.split('id="clause-6-1-2"')[1].split('id="clause-6-1-3"')[0]


def test_coverage_json_has_a_section_per_standard(ims) -> None:  # type: ignore[no-untyped-def]
    data = json.loads(ims.html("coverage.json"))
    jsonschema.validate(data, load_schema())
    assert data["schema"] == "qmsdocs-coverage/4"
    assert [s["catalogue"]["id"] for s in data["standards"]] == IMS
    assert all(s["complete"] for s in data["standards"])
    assert data["catalogue"]["id"] == "iso9001-2015"
    shared = [
        s["catalogue"]["id"]
        for s in data["standards"]
        for c in s["clauses"]
        if c["clause"] == "7.5" and [a["page"] for a in c["addressed_by"]] == ["records.md"]
    ]
    assert shared == IMS


def test_the_coverage_page_shows_the_standards_side_by_side(ims) -> None:  # type: ignore[no-untyped-def]
    html = ims.html("coverage/index.html")
    table = html.split('class="qms-table qms-side-by-side"')[1].split("</table>")[0]
    assert [h for h in ("ISO 9001:2015", "ISO 14001:2015", "ISO 45001:2018") if h in table] == [
        "ISO 9001:2015",
        "ISO 14001:2015",
        "ISO 45001:2018",
    ]
    assert table.count("100.0&nbsp;%") == 3 * 8  # seven top-level clauses and the total
    assert "ISO 45001:2018: Leadership and worker participation" in table


def test_removing_the_page_that_addresses_a_clause_names_it_and_nothing_else(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    docs = _ims_docs()
    del docs["aspects.md"]
    with caplog.at_level(logging.ERROR), pytest.raises(Abort):
        build_site(tmp_path, docs, complete=False, plugins=[{"qmsdocs": {"standards": IMS}}])
    errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    report = "\n".join(errors)
    assert "1 error(s)" in report
    assert "ISO 14001:2015 6.1.2 Environmental aspects is not addressed by any page" in report


def test_a_one_standard_site_names_clauses_as_before(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.ERROR), pytest.raises(Abort):
        build_site(tmp_path, {"index.md": "# Nothing\n"}, complete=False)
    report = "\n".join(r.getMessage() for r in caplog.records)
    assert "- clause 4.4.1 (part of 4.4" not in report  # grouped, as before
    assert "ISO 9001:2015 4 Context of the organization: 4.1, 4.2" in report


def test_standard_and_standards_together_is_a_config_error(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "mkdocs.yml").write_text(
        yaml.safe_dump(
            {
                "site_name": "x",
                "plugins": [{"qmsdocs": {"standard": "iso9001-2026", "standards": IMS}}],
            }
        )
    )
    with pytest.raises(Abort):
        load_config(str(tmp_path / "mkdocs.yml"))


def test_init_writes_an_ims_skeleton_that_covers_all_three(tmp_path: Path) -> None:
    target = tmp_path / "ims"
    result = CliRunner().invoke(
        main, ["init", str(target), "--organisation", "Brook Foods", "--standards", ",".join(IMS)]
    )
    assert result.exit_code == 0, result.output
    config = yaml.safe_load((target / "mkdocs.yml").read_text())
    plugin = next(p["qmsdocs"] for p in config["plugins"] if isinstance(p, dict) and "qmsdocs" in p)
    assert plugin == {"standards": IMS}
    planning = (target / "docs" / "planning" / "risks-and-opportunities.md").read_text()
    assert '"all:6.1"' in planning and '"iso14001-2015:6.1.2"' in planning
    assert "## Environmental aspects (ISO 14001:2015)" in planning
    plugin["publish_drafts"] = True
    (target / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False))
    cfg = load_config(str(target / "mkdocs.yml"))
    build(cfg)
    data = json.loads((Path(cfg.site_dir) / "coverage.json").read_text())
    assert [s["complete"] for s in data["standards"]] == [True, True, True]


def test_check_and_coverage_report_every_standard(tmp_path: Path) -> None:
    from .conftest import write_site

    config = write_site(
        tmp_path, _ims_docs(), complete=False, plugins=[{"qmsdocs": {"standards": IMS}}]
    )
    runner = CliRunner()
    result = runner.invoke(main, ["check", str(config)])
    assert result.exit_code == 0, result.output
    assert [
        line.split(":")[0] for line in result.output.splitlines() if "lowest-level" in line
    ] == [
        "ISO 9001",
        "ISO 14001",
        "ISO 45001",
    ]
    data = json.loads(runner.invoke(main, ["coverage", str(config), "--format", "json"]).output)
    jsonschema.validate(data, load_schema())
    assert [s["catalogue"]["id"] for s in data["standards"]] == IMS
    csv = runner.invoke(main, ["coverage", str(config), "--format", "csv", "--standard", IMS[2]])
    assert "Leadership and worker participation" in csv.output
    wrong = runner.invoke(main, ["coverage", str(config), "--standard", "iso14001"])
    assert wrong.exit_code == 2
    assert "the manual claims iso9001-2015, iso14001-2015, iso45001-2018" in wrong.output


EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "ims"


def _build_example(root: Path, strict: bool = True) -> Path:
    config = load_config(str(root / "mkdocs.yml"), strict=strict, site_dir=str(root / "site"))
    build(config)
    return root / "site"


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("ims-example") / "ims"
    shutil.copytree(EXAMPLE, root, ignore=shutil.ignore_patterns("site"))
    return _build_example(root)


def test_the_ims_example_builds_strict_and_covers_all_three(example: Path) -> None:
    data = json.loads((example / "coverage.json").read_text())
    assert [(s["catalogue"]["id"], s["complete"]) for s in data["standards"]] == [
        (standard, True) for standard in IMS
    ]
    table = (example / "coverage" / "index.html").read_text().split("qms-side-by-side")[1]
    assert table.split("</table>")[0].count("100.0&nbsp;%") == 3 * 8


def test_in_the_example_one_declaration_covers_7_5_in_all_three(example: Path) -> None:
    data = json.loads((example / "coverage.json").read_text())
    for section in data["standards"]:
        verdict = next(c for c in section["clauses"] if c["clause"] == "7.5")
        pages = [a["page"] for a in verdict["addressed_by"]]
        assert pages == ["support/documented-information.md"], section["catalogue"]["id"]
    text = (EXAMPLE / "docs" / "support" / "documented-information.md").read_text()
    assert '"all:7.5"' in text


def test_without_its_environmental_aspects_page_the_example_is_refused_for_that_alone(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    root = tmp_path / "ims"
    shutil.copytree(EXAMPLE, root, ignore=shutil.ignore_patterns("site"))
    page = root / "docs" / "planning" / "environmental-aspects.md"
    assert '"iso14001-2015:6.1.2"' in page.read_text()
    page.unlink()
    config = root / "mkdocs.yml"
    config.write_text(
        "\n".join(
            line
            for line in config.read_text().splitlines()
            if "environmental-aspects.md" not in line
        )
    )
    with caplog.at_level(logging.ERROR), pytest.raises(Abort):
        _build_example(root, strict=False)
    report = "\n".join(r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR)
    assert "the manual was not published: 1 error(s)" in report
    lines = [line for line in report.splitlines() if line.startswith("  - ")]
    assert len(lines) == 1
    assert lines[0].startswith("  - ISO 14001:2015 6.1.2 Environmental aspects is not addressed")


def test_headings_cite_shared_clauses_and_each_standards_own(tmp_path: Path) -> None:
    from .conftest import SECTION_TEXT, write_site

    page = "\n\n".join(
        f"## {heading}\n\n{SECTION_TEXT}"
        for heading in (
            "6.1.2 Environmental aspects",
            "8.2 Emergency preparedness and response",
            "7.5.3 Control of documented information",
            "8.4 Control of externally provided processes, products and services",
            "6.1.2 Hazard identification and assessment of risks and opportunities",
        )
    )
    config = write_site(
        tmp_path,
        {"index.md": f"# IMS\n\n{page}\n"},
        complete=False,
        plugins=[{"qmsdocs": {"standards": IMS, "checks": {"missing-clause": "ignore"}}}],
    )
    data = json.loads(
        CliRunner().invoke(main, ["coverage", str(config), "--format", "json"]).output
    )
    addressed = {
        s["catalogue"]["id"]: sorted(c["clause"] for c in s["clauses"] if c["addressed_by"])
        for s in data["standards"]
    }
    assert addressed == {
        "iso9001-2015": ["7.5.3", "8.4"],
        "iso14001-2015": ["6.1.2", "7.5.3", "8.2"],
        "iso45001-2018": ["6.1.2", "7.5.3", "8.2"],
    }


def test_an_integrated_manual_in_transition_keeps_the_new_edition_apart(tmp_path: Path) -> None:
    # ISO 9001:2026 loaded for the transition is no standard the manual claims: not a column of
    # the side-by-side table, not gated, but its section and exports are there.
    root = tmp_path / "ims"
    shutil.copytree(EXAMPLE, root, ignore=shutil.ignore_patterns("site"))
    config = root / "mkdocs.yml"
    config.write_text(
        config.read_text().replace(
            "standards: [iso9001-2015, iso14001-2015, iso45001-2018]",
            "standards: [iso9001-2015, iso14001-2015, iso45001-2018]\n"
            "      editions: [iso9001-2026]",
        )
    )
    site = _build_example(root, strict=False)
    html = (site / "coverage" / "index.html").read_text()
    table = html.split("qms-side-by-side")[1].split("</table>")[0]
    assert "ISO 9001:2026" not in table
    assert 'id="iso-90012026-provisional"' in html
    data = json.loads((site / "coverage.json").read_text())
    assert [s["catalogue"]["id"] for s in data["standards"]] == IMS
    assert (site / "coverage-iso9001-2026.json").is_file()
    assert (site / "transition" / "index.html").is_file()


def test_a_translated_integrated_manual_has_each_language_version(tmp_path: Path) -> None:
    from .conftest import write_site
    from .test_translated import languages

    front = '---\nclauses: ["all:7.5", "iso14001-2015:6.1.2"]\n---\n'
    config = write_site(
        tmp_path,
        {
            "index.md": front + "# Manual\n\nSee ISO 14001 clause 6.1.3.\n",
            "index.de.md": front + "# Handbuch\n\nSiehe ISO 14001 Abschnitt 6.1.3.\n",
        },
        complete=False,
        plugins=[
            *languages("suffix")["plugins"][:2],
            {
                "qmsdocs": {
                    "standards": IMS[:2],
                    "checks": {"missing-clause": "ignore", "thin-coverage": "ignore"},
                }
            },
        ],
    )
    cfg = load_config(str(config))
    build(cfg)
    site = Path(cfg.site_dir)
    for prefix, heading in (
        ("", "The standards side by side"),
        ("de/", "Die Normen nebeneinander"),
    ):
        page = (site / prefix / "index.html").read_text()
        assert 'href="clauses/iso14001-2015/6/#clause-6-1-3"' in page, prefix
        assert heading in (site / prefix / "coverage" / "index.html").read_text()
        data = json.loads((site / prefix / "coverage.json").read_text())
        assert [s["catalogue"]["id"] for s in data["standards"]] == IMS[:2]


def test_a_page_about_a_transition_edition_keeps_the_manuals_standard(site) -> None:  # type: ignore[no-untyped-def]
    # Only standards the manual claims make a page about them: a page declaring a clause of
    # ISO 9001:2026, loaded for the transition, still reads its plain numbers as ISO 9001:2015's.
    built = site(
        {"new.md": '---\nclauses: ["ISO 9001:2026 6.1.3"]\n---\n\n# New\n\nSee clause 8.4.\n'},
        plugins=[{"qmsdocs": {"editions": ["iso9001-2026"]}}],
    )
    assert 'href="../clauses/iso9001-2015/8/#clause-8-4"' in built.page("new.md")
