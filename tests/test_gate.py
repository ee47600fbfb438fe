"""Integration: clause coverage and the publishing gate in real `mkdocs build` runs, the
generated coverage page and exports, and `qmsdocs check` / `qmsdocs coverage` on the same
sources."""

from __future__ import annotations

import csv
import io
import json
import logging
import re
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from click.testing import CliRunner
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort

from qmsdocs.cli import main
from qmsdocs.exports import load_schema
from qmsdocs.findings import ADOPTION_ADVICE
from qmsdocs.standards import load_builtin_catalogue

from .conftest import REPO, Site, build_site, naming, one_per_finding, write_site, written

CATALOGUE = load_builtin_catalogue("iso9001-2015")
LEAVES = [c.id for c in CATALOGUE.required_leaves()]
REQUIRED = [c.id for c in CATALOGUE.required()]

JUSTIFICATION = "We make parts to customer drawings and do no design of our own."

# A small, complete manual: front matter and headings address 4 to 10, 8.3 is excluded.
_MANUAL = {
    "index.md": """
        ---
        clauses: ["4", "5"]
        ---

        # Home

        Our suppliers are controlled as clause 8.4 asks.
        """,
    "scope.md": f"""
        ---
        title: Scope
        not_applicable:
          "8.3": "{JUSTIFICATION}"
        ---

        # Scope

        ## 4.3 Determining the scope of the quality management system

        What the system covers: the sites, the products, and the processes we run for customers.
        """,
    "support.md": """
        # Planning and support

        ## Planning (Clause 6)

        An overview: it addresses none of the clauses below by itself.

        ### 6.1 Actions to address risks and opportunities

        ### 6.2 Quality objectives

        ### 6.3 Planning of changes

        ## 7.1 Resources

        ### 7.1.6 Organisational knowledge

        ## Competence (7.2)

        ## ISO 9001 7.3 Awareness

        ## Clause 7.4: Communication

        ## 7.5 Documented information

        ### 4.1 Confirm the workflow

        A procedure's own step, not clause 4.1.
        """,
    "operation.md": """
        ---
        clauses: ["8.1", "8.2", "8.4", "8.5", "8.6", "8.7"]
        ---

        # Operation
        """,
    "evaluation.md": """
        ---
        clauses: ["9"]
        ---

        # Evaluation

        ## 10 Improvement

        ### 10.1 General

        ### 10.2 Nonconformity and corrective action

        ### 10.3 Continual improvement
        """,
}
MANUAL = {name: written(textwrap.dedent(text).lstrip("\n")) for name, text in _MANUAL.items()}
# The pages that declare parents name what they cover, as a real manual's text does.
MANUAL["index.md"] += naming("4", "5")
MANUAL["operation.md"] += naming("8")
MANUAL["evaluation.md"] += naming("9")


def leaves_under(*tops: str) -> list[str]:
    """The gated clauses below the given clauses, in catalogue order."""
    return [c for c in LEAVES if any(c == t or c.startswith(f"{t}.") for t in tops)]


def without(*pages: str) -> dict[str, str]:
    return {k: v for k, v in MANUAL.items() if k not in pages}


def qms(**options: Any) -> list[Any]:
    return ["search", {"qmsdocs": options}]


def build_manual(root: Path, docs: dict[str, str], **config: Any) -> Site:
    root.mkdir(parents=True, exist_ok=True)
    return build_site(root, docs, complete=False, **config)


def serve_build(config_file: Path) -> Any:
    """One `mkdocs serve` build, as tests/test_build.py::test_serve_rebuilds_start_clean."""
    config = load_config(str(config_file))
    config.plugins.on_startup(command="serve", dirty=False)
    build(config, serve_url="http://127.0.0.1:8000/")
    return config


def gate_message(caplog: pytest.LogCaptureFixture) -> str:
    (record,) = [
        r
        for r in caplog.records
        if r.name == "mkdocs.commands.build" and "the manual was not published" in r.getMessage()
    ]
    return record.getMessage()


def listed_errors(message: str) -> list[str]:
    """The errors the gate lists, one per finding (missing clauses are printed grouped)."""
    return one_per_finding(re.findall(r"^  - (.*)$", message, re.MULTILINE))


def missing_in(message: str) -> list[str]:
    return [
        m.group(1)
        for m in (
            re.match(r"clause (\S+) .*\[missing-clause\]$", e) for e in listed_errors(message)
        )
        if m
    ]


def plugin_warnings(plugin_log: Any) -> list[str]:
    """The warnings the plugin logged, marked as checked."""
    messages = [message for level, message in plugin_log.actual() if level == "WARNING"]
    plugin_log.mark_all_checked()
    return one_per_finding(messages)


def missing_in_warnings(messages: list[str]) -> list[str]:
    return [
        m.group(1)
        for m in (re.match(r"qmsdocs: clause (\S+) .*\[missing-clause\]", w) for w in messages)
        if m
    ]


def statuses(coverage_json: dict[str, Any]) -> dict[str, str]:
    return {c["clause"]: c["status"] for c in coverage_json["clauses"]}


def gated_missing(coverage_json: dict[str, Any]) -> list[str]:
    return [
        c["clause"] for c in coverage_json["clauses"] if c["gated"] and c["status"] == "missing"
    ]


def read_json(site: Site, name: str = "coverage.json") -> dict[str, Any]:
    data: dict[str, Any] = json.loads((site.site_dir / name).read_text(encoding="utf-8"))
    return data


def coverage_html(site: Site) -> str:
    return site.html("coverage/index.html" if site.config.use_directory_urls else "coverage.html")


def matrix_rows(page_html: str) -> dict[str, str]:
    """clause -> status of the coverage matrix rows."""
    rows = re.findall(r'<tr class="qms-row--([a-z-]+)[^"]*" id="coverage-([0-9-]+)">', page_html)
    return {clause.replace("-", "."): status for status, clause in rows}


def table(page_html: str, css_class: str) -> str:
    start = page_html.index(f'<div class="qms-table {css_class}">')
    return page_html[start : page_html.index("</table>", start)]


def clause_block(page_html: str, clause: str) -> str:
    start = page_html.index(f'data-clause="{clause}"')
    return page_html[start : page_html.index("</div>", start)]


def resolve(site_dir: Path, page_html_path: str, href: str) -> tuple[Path, str]:
    """Follow a relative href from a built page to (file, fragment)."""
    path, _, fragment = href.partition("#")
    base = (site_dir / page_html_path).parent
    target = (base / path).resolve() if path else site_dir / page_html_path
    if target.is_dir():
        target = target / "index.html"
    return target, fragment


def cli(*args: str) -> tuple[int, str, str]:
    """Run the `qmsdocs` command in-process.

    `qmsdocs check` adds a stderr handler to the mkdocs logger when it has none; the handler
    would outlive the runner's stream, so it is taken off again.
    """
    logger = logging.getLogger("mkdocs")
    handlers = list(logger.handlers)
    try:
        result = CliRunner().invoke(main, list(args))
    finally:
        logger.handlers[:] = handlers
    return result.exit_code, result.stdout, result.stderr


# Shared builds (module scope: each is built once) ----------------------------------------------


@pytest.fixture(scope="module", params=[True, False], ids=["directory-urls", "flat-urls"])
def complete(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Site:
    root = tmp_path_factory.mktemp("complete")
    return build_manual(root, MANUAL, use_directory_urls=request.param)


@pytest.fixture(scope="module")
def gappy(tmp_path_factory: pytest.TempPathFactory) -> Site:
    """The manual without its evaluation page, built with missing clauses as info."""
    root = tmp_path_factory.mktemp("gappy")
    return build_manual(
        root, without("evaluation.md"), plugins=qms(checks={"missing-clause": "info"})
    )


# The gate --------------------------------------------------------------------------------------


def test_complete_manual_passes(complete: Site) -> None:
    assert (complete.site_dir / "index.html").is_file()
    data = read_json(complete)
    assert data["complete"] is True
    assert data["summary"][-1] == {
        "clause": None,
        "title": "All clauses",
        "required": 65,
        "covered": 59,
        "drafted": 0,
        "not_applicable": 6,
        "missing": 0,
        "percent": 100.0,
        "drafted_percent": 0.0,
    }


def test_complete_manual_mixes_front_matter_and_headings(complete: Site) -> None:
    data = {c["clause"]: c for c in read_json(complete)["clauses"]}
    clauses = ["4", "7.2", "8.1", "10", "10.1"]
    sources = {c: {a["source"] for a in data[c]["addressed_by"]} for c in clauses}
    assert sources == {
        "4": {"front-matter"},
        "7.2": {"heading"},
        "8.1": {"front-matter"},
        "10": set(),  # "## 10 Improvement" is an overview: a reference, not coverage
        "10.1": {"heading"},
    }
    assert "evaluation.md" in data["10"]["referenced_by"]


@pytest.mark.parametrize(
    ("page", "missing"),
    [
        # 4.3 stays covered by its heading on the scope page; the procedure's own
        # "4.1 Confirm the workflow" does not stand in for clause 4.1.
        ("index.md", [c for c in leaves_under("4", "5") if c != "4.3"]),
        ("support.md", leaves_under("6", "7")),
        ("evaluation.md", leaves_under("9", "10")),
        ("scope.md", leaves_under("8.3")),
    ],
)
def test_missing_page_fails_naming_exactly_the_missing_clauses(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, page: str, missing: list[str]
) -> None:
    with pytest.raises(Abort):
        build_manual(tmp_path, without(page))
    message = gate_message(caplog)
    assert missing_in(message) == missing
    assert f"the manual was not published: {len(missing)} error(s)." in message
    assert len(listed_errors(message)) == len(missing)


def test_every_error_is_listed_in_one_message(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    docs = without("support.md", "scope.md")
    docs["scope.md"] = '---\nnot_applicable:\n  "8.3": ""\n---\n\n# Scope\n'
    docs["operation.md"] = docs["operation.md"].replace('"8.7"]', '"8.7", "8.9"]')
    with pytest.raises(Abort):
        build_manual(tmp_path, docs)
    message = gate_message(caplog)
    missing = leaves_under("6", "7", "8.3")
    assert missing_in(message) == missing
    errors = listed_errors(message)
    assert len(errors) == len(missing) + 2
    assert f"{len(errors)} error(s)." in message
    assert any(e.startswith("scope.md:3: ") and "[missing-justification]" in e for e in errors)
    assert any(e.startswith("operation.md:2: ") and "[unknown-clause]" in e for e in errors)


def test_exclusion_without_justification_fails_naming_file_and_line(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    docs = dict(MANUAL, **{"scope.md": MANUAL["scope.md"].replace(JUSTIFICATION, "")})
    with pytest.raises(Abort):
        build_manual(tmp_path, docs)
    message = gate_message(caplog)
    assert (
        "  - scope.md:4: not_applicable: clause 8.3 is declared not applicable without a "
        "justification"
    ) in message
    assert "[missing-justification]" in message


@pytest.mark.parametrize(
    ("design", "expected"),
    [
        (
            '---\nclauses: ["8.3.3"]\n---\n\n# Design\n',
            "design.md:2: clause 8.3.3 is addressed here (front matter) but declared not "
            "applicable in scope.md",
        ),
        (
            "# Design\n\n## 8.3.3 Design and development inputs\n",
            "design.md:3: clause 8.3.3 is addressed here (heading '8.3.3 Design and development "
            "inputs') but declared not applicable in scope.md",
        ),
    ],
    ids=["front-matter", "heading"],
)
def test_contradiction_fails(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, design: str, expected: str
) -> None:
    with pytest.raises(Abort):
        build_manual(tmp_path, {**MANUAL, "design.md": design})
    errors = listed_errors(gate_message(caplog))
    assert len(errors) == 1
    assert errors[0].startswith(expected)
    assert errors[0].endswith("[contradiction]")


def test_declaring_the_parent_of_an_excluded_clause_passes(tmp_path: Path) -> None:
    docs = {**MANUAL, "design.md": '---\nclauses: ["8"]\n---\n\n# All of operation\n'}
    site = build_manual(tmp_path, docs)
    assert read_json(site)["complete"] is True


def test_failed_gate_writes_no_site(tmp_path: Path) -> None:
    with pytest.raises(Abort):
        build_manual(tmp_path, without("support.md"))
    site_dir = tmp_path / "site"
    assert not (site_dir / "index.html").exists()
    assert not (site_dir / "coverage.json").exists()


def test_checks_turn_missing_clauses_into_warnings(tmp_path: Path, plugin_log: Any) -> None:
    site = build_manual(
        tmp_path, without("evaluation.md"), plugins=qms(checks={"missing-clause": "warning"})
    )
    assert (site.site_dir / "index.html").is_file()
    warnings = plugin_warnings(plugin_log)
    assert missing_in_warnings(warnings) == leaves_under("9", "10")
    assert len(warnings) == len(leaves_under("9", "10"))


def test_checks_regrading_leaves_other_errors_in_force(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    docs = dict(MANUAL, **{"scope.md": MANUAL["scope.md"].replace(JUSTIFICATION, "")})
    with pytest.raises(Abort):
        build_manual(tmp_path, docs, plugins=qms(checks={"missing-clause": "ignore"}))
    errors = listed_errors(gate_message(caplog))
    assert len(errors) == 1
    assert errors[0].endswith("[missing-justification]")


def test_duplicate_exclusion_warns(tmp_path: Path, plugin_log: Any) -> None:
    docs = {**MANUAL, "zz.md": '---\nnot_applicable:\n  "8.3": "Again."\n---\n\n# Z\n'}
    build_manual(tmp_path, docs)
    plugin_log.check(
        (
            "WARNING",
            "qmsdocs: zz.md:3: clause 8.3 is declared not applicable twice (keep one "
            "justification (the other is in scope.md)) [duplicate-exclusion]",
        )
    )


# Serve -----------------------------------------------------------------------------------------


def test_serve_warns_instead_of_failing(tmp_path: Path, plugin_log: Any) -> None:
    config_file = write_site(tmp_path, without("evaluation.md"), complete=False)
    config = serve_build(config_file)
    assert (Path(config.site_dir) / "index.html").is_file()
    warnings = plugin_warnings(plugin_log)
    assert missing_in_warnings(warnings) == leaves_under("9", "10")
    assert len(warnings) == len(leaves_under("9", "10"))
    assert all(w.endswith("[missing-clause] (`mkdocs build` stops on this)") for w in warnings)


def test_serve_coverage_page_shows_the_gaps(tmp_path: Path, plugin_log: Any) -> None:
    config_file = write_site(tmp_path, without("evaluation.md"), complete=False)
    config = serve_build(config_file)
    plugin_log.mark_all_checked()
    page = (Path(config.site_dir) / "coverage" / "index.html").read_text(encoding="utf-8")
    status = page[
        page.index("qms-coverage-status") : page.index("</div>", page.index("qms-coverage-status"))
    ]
    missing = leaves_under("9", "10")
    assert f"{len(missing)} required clauses are not addressed" in status
    assert re.findall(r'#clause-[0-9-]+">([0-9.]+)</a>', status) == missing
    rows = matrix_rows(page)
    assert [c for c in missing if rows[c] == "missing"] == missing


def test_gate_on_serve_fails(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    config_file = write_site(
        tmp_path, without("evaluation.md"), complete=False, plugins=qms(gate_on_serve=True)
    )
    with pytest.raises(Abort):
        serve_build(config_file)
    assert missing_in(gate_message(caplog)) == leaves_under("9", "10")


# coverage.json ---------------------------------------------------------------------------------


def test_coverage_json_follows_the_schema(complete: Site, gappy: Site) -> None:
    schema = load_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    for site in (complete, gappy):
        validator.validate(read_json(site))


def test_coverage_json_lists_every_required_clause(gappy: Site) -> None:
    data = read_json(gappy)
    assert [c["clause"] for c in data["clauses"]] == REQUIRED
    assert [c["clause"] for c in data["clauses"] if c["gated"]] == LEAVES
    assert data["complete"] is False
    assert gated_missing(data) == leaves_under("9", "10")


def test_coverage_json_statuses_match_the_html_matrix(complete: Site, gappy: Site) -> None:
    for site in (complete, gappy):
        assert matrix_rows(coverage_html(site)) == statuses(read_json(site))


def test_coverage_json_urls_resolve(complete: Site) -> None:
    checked = 0
    for clause in read_json(complete)["clauses"]:
        for location in clause["addressed_by"] + clause["inherited"]:
            path, _, fragment = location["url"].partition("#")
            target = complete.site_dir / path
            if target.is_dir() or path == "":
                target = target / "index.html"
            assert target.is_file(), location
            if fragment:
                assert f'id="{fragment}"' in target.read_text(encoding="utf-8"), location
            checked += 1
    assert checked > 60


# coverage.csv ----------------------------------------------------------------------------------


def read_csv(site: Site) -> list[dict[str, str]]:
    text = (site.site_dir / "coverage.csv").read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text, newline="")))


def test_coverage_csv_has_one_row_per_required_clause(complete: Site, gappy: Site) -> None:
    for site in (complete, gappy):
        rows = read_csv(site)
        assert [r["clause"] for r in rows] == REQUIRED
        assert {r["clause"]: r["status"] for r in rows} == statuses(read_json(site))


def test_coverage_csv_columns(complete: Site) -> None:
    rows = {r["clause"]: r for r in read_csv(complete)}
    assert list(rows["8.3.2"]) == [
        "clause",
        "title",
        "gated",
        "status",
        "kind",
        "words",
        "thin",
        "through",
        "addressed_by",
        "pages",
        "justification",
        "referenced_by",
    ]
    assert rows["8.3.2"]["justification"] == JUSTIFICATION
    assert (rows["8.3.2"]["through"], rows["8.3.2"]["gated"]) == ("8.3", "yes")
    assert rows["4.3"]["addressed_by"] == (
        "Scope › 4.3 Determining the scope of the quality management system"
    )
    assert rows["8.4"]["referenced_by"] == "index.md"


FORMULAS = {
    "8.3": '=HYPERLINK("http://example.com/x","Click")',
    "8.5": "-1",
    "8.6": "+1 for later",
    "8.7": "@SUM(A1:A9)",
}


@pytest.fixture(scope="module")
def formulas(tmp_path_factory: pytest.TempPathFactory) -> Site:
    excluded = "\n".join(f"  \"{c}\": '{text}'" for c, text in FORMULAS.items())
    docs = {
        "index.md": (
            '---\nclauses: ["4", "5", "6", "7", "8.1", "8.2", "8.4", "9", "10"]\n---\n# H\n'
        ),
        "scope.md": f"---\nnot_applicable:\n{excluded}\n---\n\n# Scope\n",
    }
    return build_manual(tmp_path_factory.mktemp("formulas"), docs)


@pytest.mark.parametrize(("clause", "text"), list(FORMULAS.items()))
def test_coverage_csv_neutralises_formulas(formulas: Site, clause: str, text: str) -> None:
    rows = {r["clause"]: r for r in read_csv(formulas)}
    assert rows[clause]["justification"] == "'" + text
    assert (
        read_json(formulas)["clauses"][REQUIRED.index(clause)]["not_applicable"]["justification"]
        == text
    )


# The coverage page -------------------------------------------------------------------------------


def test_coverage_page_lists_every_required_clause(complete: Site) -> None:
    rows = matrix_rows(coverage_html(complete))
    assert list(rows) == REQUIRED
    assert len(rows) == 91


def test_coverage_page_links_resolve(complete: Site) -> None:
    page = "coverage/index.html" if complete.config.use_directory_urls else "coverage.html"
    html = coverage_html(complete)
    hrefs = [
        href
        for css in ("qms-summary", "qms-matrix", "qms-pages")
        for href in re.findall(r'<a href="([^"]+)"', table(html, css))
    ]
    assert len(hrefs) > 150
    for href in hrefs:
        target, fragment = resolve(complete.site_dir, page, href)
        assert target.is_file(), href
        if fragment:
            assert f'id="{fragment}"' in target.read_text(encoding="utf-8"), href


def test_coverage_page_addressed_by_links_sections(complete: Site) -> None:
    html = coverage_html(complete)
    row = html[html.index('id="coverage-4-3"') :]
    row = row[: row.index("</tr>")]
    section = "43-determining-the-scope-of-the-quality-management-system"
    scope = "../scope/" if complete.config.use_directory_urls else "scope.html"
    assert f'<a href="{scope}#{section}">Scope › 4.3 Determining' in row


def test_coverage_page_shows_justification(complete: Site) -> None:
    html = coverage_html(complete)
    row = html[html.index('id="coverage-8-3-4"') :]
    row = row[: row.index("</tr>")]
    # The justification is shown once, on the clause it is declared on; its subclauses point
    # to that row.
    assert "Not applicable (8.3)" in row
    assert JUSTIFICATION not in row
    assert 'Justified under <a href="#coverage-8-3">8.3</a>' in row
    declared = html[html.index('id="coverage-8-3"') :]
    declared = declared[: declared.index("</tr>")]
    assert JUSTIFICATION in declared
    assert html.count(JUSTIFICATION) == 1


def test_coverage_page_option_moves_page_and_exports(tmp_path: Path) -> None:
    site = build_manual(tmp_path, MANUAL, plugins=qms(coverage_page="reports/matrix.md"))
    assert (site.site_dir / "reports" / "matrix" / "index.html").is_file()
    assert read_json(site, "reports/matrix.json")["complete"] is True
    assert (site.site_dir / "reports" / "matrix.csv").is_file()
    assert not (site.site_dir / "coverage.json").exists()


# Clause pages ----------------------------------------------------------------------------------


def test_clause_page_shows_addressed_by(gappy: Site) -> None:
    block = clause_block(gappy.html("clauses/iso9001-2015/8/index.html"), "8.1")
    assert "Covered" in block
    assert re.search(r'Addressed by</span>\s*<a href="../../../operation/">Operation</a>', block)


def test_clause_page_section_declaration_links_to_the_section(gappy: Site) -> None:
    html = gappy.html("clauses/iso9001-2015/7/index.html")
    block = clause_block(html, "7.2")
    assert (
        '<a href="../../../support/#competence-72">Planning and support › Competence (7.2)</a>'
        in block
    )
    target = gappy.html("support/index.html")
    assert 'id="competence-72"' in target


def test_clause_page_shows_through_parent(gappy: Site) -> None:
    block = clause_block(gappy.html("clauses/iso9001-2015/7/index.html"), "7.5.3.1")
    assert "Covered through parent (7.5)" in block
    assert "#75-documented-information" in block


def test_clause_page_shows_not_applicable_with_justification(gappy: Site) -> None:
    page = gappy.html("clauses/iso9001-2015/8/index.html")
    declared = clause_block(page, "8.3")
    assert JUSTIFICATION in declared
    assert '<a href="../../../scope/">(Scope)</a>' in declared
    block = clause_block(page, "8.3.2")
    assert "Not applicable (8.3)" in block
    assert JUSTIFICATION not in block
    assert re.search(r'Justified under <a href="(\./)?#clause-8-3">8\.3</a>', block)
    assert "Addressed by" not in block


def test_clause_page_shows_missing(gappy: Site) -> None:
    block = clause_block(gappy.html("clauses/iso9001-2015/9/index.html"), "9.2.1")
    assert "qms-status--missing" in block and ">Missing</span>" in block
    assert "Addressed by" not in block


def test_prose_reference_is_referenced_by_never_addressed_by(gappy: Site) -> None:
    block = clause_block(gappy.html("clauses/iso9001-2015/8/index.html"), "8.4")
    addressed, referenced = block.split("Referenced by")
    assert '<a href="../../../">Home</a>' in referenced
    assert "Home" not in addressed
    clause = next(c for c in read_json(gappy)["clauses"] if c["clause"] == "8.4")
    assert clause["referenced_by"] == ["index.md"]
    assert [a["page"] for a in clause["addressed_by"]] == ["operation.md"]


def test_prose_reference_alone_leaves_a_clause_missing(tmp_path: Path, caplog: Any) -> None:
    docs = without("evaluation.md")
    docs["index.md"] += "\nWe audit as clause 9.2 asks and review as in ISO 9001 9.3.\n"
    with pytest.raises(Abort):
        build_manual(tmp_path, docs)
    assert missing_in(gate_message(caplog)) == leaves_under("9", "10")


# qmsdocs check and qmsdocs coverage ------------------------------------------------------------


def test_check_passes_on_a_complete_manual(tmp_path: Path) -> None:
    config_file = write_site(tmp_path, MANUAL, complete=False)
    code, out, _ = cli("check", str(config_file))
    assert code == 0
    assert "65 lowest-level clauses; 59 addressed, 6 not applicable, 0 missing" in out
    assert "Complete" in out


def test_check_fails_on_missing_clauses(tmp_path: Path) -> None:
    config_file = write_site(tmp_path, without("evaluation.md"), complete=False)
    code, out, _ = cli("check", str(config_file))
    assert code == 1
    lines = out.splitlines()
    assert lines[:2] == [
        "error: ISO 9001:2015 9 Performance evaluation: 9.1.1, 9.1.2, 9.1.3, 9.2.1, 9.2.2, "
        "9.3.1, 9.3.2, 9.3.3: not addressed by any page and not declared not applicable (add "
        "each to a page's clauses:, cite it in a heading, or declare it under not_applicable: "
        "with a justification) [missing-clause]",
        "error: ISO 9001:2015 10 Improvement: 10.1, 10.2.1, 10.2.2, 10.3: not addressed by any "
        "page and not declared not applicable (add each to a page's clauses:, cite it in a "
        "heading, or declare it under not_applicable: with a justification) [missing-clause]",
    ]
    named = [line.removeprefix("error: ") for line in lines if line.startswith("error: ")]
    assert [e.split()[1] for e in one_per_finding(named)] == leaves_under("9", "10")
    assert "Not complete" in out
    # A first run says how to adopt an existing manual.
    assert lines[-1] == ADOPTION_ADVICE


def test_check_fails_on_errors_without_missing_clauses(tmp_path: Path) -> None:
    docs = {**MANUAL, "design.md": '---\nclauses: ["8.3.3"]\n---\n\n# Design\n'}
    config_file = write_site(tmp_path, docs, complete=False)
    code, out, _ = cli("check", str(config_file), "--format", "json")
    assert code == 1
    payload = json.loads(out)
    assert (payload["complete"], payload["passed"], payload["missing"]) == (True, False, [])
    assert [f["code"] for f in payload["findings"]] == ["contradiction"]


def test_check_json_parses(tmp_path: Path) -> None:
    config_file = write_site(tmp_path, without("evaluation.md"), complete=False)
    code, out, _ = cli("check", str(config_file), "--format", "json")
    assert code == 1
    payload = json.loads(out)
    assert payload["catalogue"] == "iso9001-2015"
    assert (payload["complete"], payload["passed"], payload["pages"]) == (False, False, 4)
    assert payload["missing"] == leaves_under("9", "10")
    assert payload["errors"] == len(payload["missing"])
    assert {f["code"] for f in payload["findings"]} == {"missing-clause"}


def test_check_default_config_is_mkdocs_yml_in_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_site(tmp_path, MANUAL, complete=False)
    monkeypatch.chdir(tmp_path)
    code, _, _ = cli("check")
    assert code == 0


def test_check_accepts_the_folder_of_mkdocs_yml(tmp_path: Path) -> None:
    write_site(tmp_path, without("evaluation.md"), complete=False)
    code, _, _ = cli("check", str(tmp_path))
    assert code == 1


def test_check_strict_fails_on_warnings(tmp_path: Path) -> None:
    docs = {**MANUAL, "zz.md": '---\nnot_applicable:\n  "8.3": "Again."\n---\n\n# Z\n'}
    config_file = write_site(tmp_path, docs, complete=False)
    code, out, _ = cli("check", str(config_file))
    assert code == 0
    assert "warning: zz.md:3: clause 8.3 is declared not applicable twice" in out
    strict_code, _, _ = cli("check", str(config_file), "--strict")
    assert strict_code == 1


def test_check_honours_the_checks_option(tmp_path: Path) -> None:
    config_file = write_site(
        tmp_path,
        without("evaluation.md"),
        complete=False,
        plugins=qms(checks={"missing-clause": "warning"}),
    )
    assert cli("check", str(config_file))[0] == 0
    assert cli("check", str(config_file), "--strict")[0] == 1


def test_check_without_mkdocs_yml_exits_2(tmp_path: Path) -> None:
    code, _, err = cli("check", str(tmp_path / "nope.yml"))
    assert code == 2
    assert "no such file" in err


def test_check_without_the_plugin_exits_2(tmp_path: Path) -> None:
    config_file = write_site(tmp_path, MANUAL, complete=False, plugins=["search"])
    code, _, err = cli("check", str(config_file))
    assert code == 2
    assert "the qmsdocs plugin is not enabled" in err


@pytest.mark.parametrize("standard", ["nope", "bad.yml"])
def test_check_with_a_bad_catalogue_exits_2(tmp_path: Path, standard: str) -> None:
    (tmp_path / "bad.yml").write_text("id: x\nclauses: [\n", encoding="utf-8")
    config_file = write_site(tmp_path, MANUAL, complete=False, plugins=qms(standard=standard))
    code, _, err = cli("check", str(config_file))
    assert code == 2
    assert "cannot load the catalogue" in err
    assert "Traceback" not in err


def test_check_as_a_module_subprocess(tmp_path: Path) -> None:
    config_file = write_site(tmp_path, without("evaluation.md"), complete=False)
    result = subprocess.run(
        [sys.executable, "-m", "qmsdocs.cli", "check", str(config_file), "--format", "json"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1, result.stderr
    assert json.loads(result.stdout)["missing"] == leaves_under("9", "10")


def test_coverage_command_writes_the_plugins_exports(tmp_path: Path) -> None:
    config_file = write_site(tmp_path, MANUAL, complete=False)
    out_json, out_csv = tmp_path / "out.json", tmp_path / "out.csv"
    assert cli("coverage", str(config_file), "--format", "json", "-o", str(out_json))[0] == 0
    assert cli("coverage", str(config_file), "--format", "csv", "-o", str(out_csv))[0] == 0
    data = json.loads(out_json.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(load_schema()).validate(data)
    rows = list(csv.DictReader(io.StringIO(out_csv.read_text(encoding="utf-8"), newline="")))
    assert [r["clause"] for r in rows] == REQUIRED
    assert {r["clause"]: r["status"] for r in rows} == statuses(data)


def test_coverage_command_markdown(tmp_path: Path) -> None:
    config_file = write_site(tmp_path, without("evaluation.md"), complete=False)
    code, out, _ = cli("coverage", str(config_file), "--format", "markdown")
    assert code == 0
    rows = [line for line in out.splitlines() if re.match(r"\| [0-9]", line)]
    assert len(rows) == 91
    assert "| 9.2.1 | part of 9.2 Internal audit | Missing |" in out
    assert (
        f"| 8.3.2 | Design and development planning | Not applicable (8.3) |  | {JUSTIFICATION} |"
        in out
    )


# The plugin and qmsdocs check agree ------------------------------------------------------------

AGREEMENT_CASES = {
    "complete-manual": (MANUAL, {}),
    "gaps": (without("support.md", "evaluation.md"), {}),
    "page-heading-modes": (
        {
            **without("support.md"),
            "numbers.md": (
                "---\nqmsdocs: {heading_coverage: numbers}\n---\n\n# N\n\n## 7.2 Training\n"
            ),
            "off.md": "---\nqmsdocs: {heading_coverage: off}\n---\n\n# O\n\n## 7.3 Awareness\n",
            "titles.md": "# T\n\n## 7.4 Communicate with the customer\n\n## 7.1 Resources\n",
        },
        {},
    ),
    "numbers-mode": (
        {**without("support.md"), "p.md": "# P\n\n## 6.1 Confirm the workflow\n\n## 7.5 Forms\n"},
        {"heading_coverage": "numbers"},
    ),
    "headings-off": (MANUAL, {"heading_coverage": "off"}),
    "strict-parents": (
        {**MANUAL, "docs.md": '---\nclauses: ["7.5.1", "9.2.2"]\n---\n\n# Docs\n'},
        {"parent_covers_children": False},
    ),
    "headings-in-code-and-setext": (
        {
            **without("support.md"),
            "p.md": "# P\n\n```\n## 6 Planning\n```\n\n7.1 Resources\n-------------\n",
        },
        {},
    ),
    "no-space-after-hashes": (
        {**without("support.md"), "p.md": "# P\n\n##6 Planning\n\n##7 Support\n"},
        {},
    ),
    "indented-heading": (
        {**without("support.md"), "p.md": "# P\n\n ## 6 Planning\n\n ## 7 Support\n"},
        {},
    ),
}


def plugin_and_check(
    root: Path, docs: dict[str, str], options: dict[str, Any], *, crlf: bool = False
) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    """Build the site and run the commands on the same sources.

    Returns the built site's coverage.json, `qmsdocs coverage --format json` and
    `qmsdocs check --format json`. Missing clauses and thin coverage are graded info, so the
    site is written.
    """
    options = {**options, "checks": {"missing-clause": "info", "thin-coverage": "info"}}
    config_file = write_site(root, docs, complete=False, plugins=qms(**options))
    if crlf:
        for page in (root / "docs").rglob("*.md"):
            page.write_bytes(page.read_bytes().replace(b"\n", b"\r\n"))
    config = load_config(str(config_file))
    build(config)
    built = json.loads((Path(config.site_dir) / "coverage.json").read_text(encoding="utf-8"))
    code, out, err = cli("coverage", str(config_file), "--format", "json")
    assert code == 0, err
    check_code, check_out, _ = cli("check", str(config_file), "--format", "json")
    assert check_code == 0
    return built, json.loads(out), json.loads(check_out)


@pytest.mark.parametrize("case", list(AGREEMENT_CASES))
def test_check_and_plugin_agree(tmp_path: Path, case: str) -> None:
    docs, options = AGREEMENT_CASES[case]
    built, computed, checked = plugin_and_check(tmp_path, docs, options)
    assert statuses(computed) == statuses(built)
    assert checked["missing"] == gated_missing(built)
    assert checked["summary"] == built["summary"]


def test_check_and_plugin_agree_on_crlf_pages(tmp_path: Path) -> None:
    # MkDocs reads pages with universal newlines; a manual edited on Windows must get the
    # same verdicts from `qmsdocs check`.
    built, computed, checked = plugin_and_check(tmp_path, MANUAL, {}, crlf=True)
    assert built["complete"] is True
    assert statuses(computed) == statuses(built)
    assert checked["missing"] == []


def test_check_and_plugin_agree_on_declarations(tmp_path: Path) -> None:
    built, computed, _ = plugin_and_check(tmp_path, MANUAL, {})

    def located(data: dict[str, Any]) -> dict[str, set[tuple[str, int, str]]]:
        return {
            c["clause"]: {(a["page"], a["line"], a["source"]) for a in c["addressed_by"]}
            for c in data["clauses"]
        }

    assert located(computed) == located(built)


@pytest.mark.parametrize(
    "page",
    [
        pytest.param(
            "# A\n\n## 8.4 Control of *externally provided* processes, products and services\n",
            id="inline-markup",
        ),
        pytest.param(
            "# A\n\nSee 7.4 Communication below.\n\n## 7.4 Communication\n",
            id="heading-text-in-prose-before",
        ),
    ],
)
def test_heading_declaration_line_is_the_heading_line(tmp_path: Path, page: str) -> None:
    built, computed, _ = plugin_and_check(tmp_path, {**MANUAL, "a.md": page}, {})

    def lines(data: dict[str, Any]) -> list[int | None]:
        return [
            a["line"] for c in data["clauses"] for a in c["addressed_by"] if a["page"] == "a.md"
        ]

    assert lines(computed) == [3 if "8.4" in page else 5]
    assert lines(built) == lines(computed)


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site_dir = tmp_path_factory.mktemp("example") / "site"
    config = load_config(str(REPO / "mkdocs.yml"), site_dir=str(site_dir))
    build(config)
    return site_dir


def test_check_and_plugin_agree_on_the_example_site(example: Path) -> None:
    built = json.loads((example / "coverage.json").read_text(encoding="utf-8"))
    code, out, _ = cli("coverage", str(REPO / "mkdocs.yml"), "--format", "json")
    assert code == 0
    computed = json.loads(out)
    assert statuses(computed) == statuses(built)
    assert computed["summary"] == built["summary"]
    check_code, check_out, _ = cli("check", str(REPO / "mkdocs.yml"), "--format", "json")
    checked = json.loads(check_out)
    assert checked["missing"] == gated_missing(built) == []
    assert (check_code, checked["complete"], built["complete"]) == (0, True, True)


# Determinism -----------------------------------------------------------------------------------


def test_two_builds_are_byte_identical(tmp_path: Path) -> None:
    outputs = []
    for _ in range(2):
        site = build_manual(tmp_path, MANUAL)
        outputs.append(
            {
                name: (site.site_dir / name).read_bytes()
                for name in ("coverage.json", "coverage.csv", "coverage/index.html")
            }
        )
    assert outputs[0] == outputs[1]
