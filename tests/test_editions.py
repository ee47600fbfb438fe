"""ISO 9001:2026: the provisional catalogue, the correspondence, edition-aware checks, the
dual-edition gate, the transition page and `qmsdocs transition`."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from mkdocs.exceptions import Abort

from qmsdocs.cli import main
from qmsdocs.editions import load_editions
from qmsdocs.rewrite import rewrite_clause_ids
from qmsdocs.standards import load_builtin_catalogue
from qmsdocs.transition import builtin_correspondences, transition_report

from .conftest import build_site, naming, write_site, written


@pytest.fixture(scope="module")
def editions():
    return load_builtin_catalogue("iso9001-2015"), load_builtin_catalogue("iso9001-2026")


@pytest.fixture(scope="module")
def correspondence(editions):
    (found,) = builtin_correspondences(list(editions))
    return found


# The catalogue ---------------------------------------------------------------------------------


def test_2026_catalogue_integrity(editions) -> None:
    _, new = editions
    assert new.provisional
    assert len(new.required()) == 91
    assert len(new.required_leaves()) == 65
    assert "10.3" not in new and "6.1.3" in new and "B" not in new
    assert all(c.confidence in ("high", "medium", "low") for c in new)


@pytest.mark.parametrize(
    ("clause_id", "title"),
    [
        ("4.4", "Quality management system"),
        ("5.2", "Quality policy"),
        ("5.3", "Roles, responsibilities and authorities"),
        ("6.1.1", "Determining risks and opportunities"),
        ("6.1.2", "Actions to address risks"),
        ("6.1.3", "Actions to address opportunities"),
        ("7.1.5.2", "Traceability of measurement results"),
        ("7.5.2", "Creating and updating documented information"),
        ("8.2.2", "Determining requirements for products and services"),
        ("8.2.3", "Review of requirements for products and services"),
        ("9.3.3", "Management review results"),
        ("10.1", "Continual improvement"),
        ("9.2.1", "General"),
        ("9.2.2", "Internal audit programme"),
        ("A", "Clarification of structure, terminology and clauses"),
        ("A.3", "Applicability"),
    ],
)
def test_2026_headings(editions, clause_id: str, title: str) -> None:
    assert editions[1][clause_id].title == title


@pytest.mark.parametrize(
    "clause_id",
    [
        "4.4.1",
        "4.4.2",
        "5.2.1",
        "5.2.2",
        "6.2.1",
        "6.2.2",
        "7.5.3.1",
        "7.5.3.2",
        "8.2.3.1",
        "8.2.3.2",
        "8.7.1",
        "8.7.2",
        "10.2.1",
        "10.2.2",
    ],
)
def test_2026_headless_paragraphs(editions, clause_id: str) -> None:
    assert editions[1][clause_id].title is None


def test_correspondence_covers_every_id_of_both_editions(editions, correspondence) -> None:
    old, new = editions
    sources = {e.source for e in correspondence.entries if e.source}
    targets = {e.target for e in correspondence.entries if e.target}
    assert sources == {c.id for c in old}
    assert targets == {c.id for c in new}


@pytest.mark.parametrize(
    ("clause_id", "change", "target"),
    [
        ("10.3", "merged", "10.1"),
        ("10.1", "merged", "10.1"),
        ("4.1", "changed", "4.1"),
        ("4.4", "renamed", "4.4"),
        ("8.4", "same", "8.4"),
        ("B", "removed", None),
        ("A.5", "moved", "A.3"),
    ],
)
def test_correspondence_entries(correspondence, clause_id: str, change: str, target) -> None:
    (entry,) = correspondence.forward(clause_id)
    assert (entry.change, entry.target) == (change, target)


def test_hints_across_editions(editions, correspondence) -> None:
    old, new = editions
    assert correspondence.hint(new, "10.3") == (
        "10.3 was merged into 10.1 in ISO 9001:2026; there is no 10.3."
    )
    assert correspondence.hint(old, "6.1.3").startswith("6.1.3 is new in ISO 9001:2026")


# Edition-aware builds ------------------------------------------------------------------------

TRANSITION = {"standard": "iso9001-2015", "editions": ["iso9001-2026"]}


def test_a_2026_manual_citing_10_3_gets_the_merge_hint(site, plugin_log) -> None:
    all2026 = '---\nclauses: ["4", "5", "6", "7", "8", "9", "10"]\n---\n# All\n\nclause 10.3\n'
    site(
        {"index.md": all2026},
        plugins=[{"qmsdocs": {"standard": "iso9001-2026", "checks": {"thin-coverage": "ignore"}}}],
        complete=False,
    )
    (record,) = [r for r in plugin_log.records if r.levelname == "WARNING"]
    assert "cites clause 10.3, which ISO 9001:2026 does not have" in record.getMessage()
    assert "(10.3 was merged into 10.1 in ISO 9001:2026; there is no 10.3.)" in (
        record.getMessage()
    )
    plugin_log.mark_all_checked()


def test_a_2015_manual_declaring_6_1_3_gets_a_hint(tmp_path: Path, caplog) -> None:
    with pytest.raises(Abort):
        build_site(tmp_path, {"p.md": '---\nclauses: ["6.1.3"]\n---\n# P\n'})
    assert "p.md:2: clauses: ISO 9001:2015 has no clause 6.1.3" in caplog.text
    assert "6.1.3 is new in ISO 9001:2026" in caplog.text


def test_references_naming_an_edition_link_to_its_pages(site) -> None:
    built = site(
        {"index.md": "# H\n\nISO 9001:2026 6.1.3 and ISO 9001:2015 10.3 and clause 8.4.\n"},
        plugins=[{"qmsdocs": TRANSITION}],
    )
    html = built.page("index.md")
    assert 'href="clauses/iso9001-2026/6/#clause-6-1-3"' in html
    assert 'href="clauses/iso9001-2015/10/#clause-10-3"' in html
    assert 'href="clauses/iso9001-2015/8/#clause-8-4"' in html


def _gate_site(tmp_path: Path, gate: str, extra: str = "") -> None:
    # Every 2015 leaf of clause 6 by itself, so that 2026's new 6.1.3 is not covered
    # through its parent.
    page = (
        '---\nclauses: ["4", "5", "6.1.1", "6.1.2", "6.2", "6.3", "7", "8", "9", "10"'
        + extra
        + "]\n---\n# All\n\n"
        + naming()
    )
    build_site(
        tmp_path,
        {"all.md": page},
        plugins=[{"qmsdocs": {**TRANSITION, "gate_editions": gate}}],
        complete=False,
    )


def test_gate_checks_both_editions_on_request(tmp_path: Path, caplog) -> None:
    with pytest.raises(Abort):
        _gate_site(tmp_path, "all")
    assert "ISO 9001:2026: clause 6.1.3 Actions to address opportunities is not addressed" in (
        caplog.text
    )
    assert "1 error(s)" in caplog.text


def test_gate_checks_the_manuals_edition_by_default(tmp_path: Path) -> None:
    _gate_site(tmp_path, "standard")


def test_front_matter_can_name_the_other_edition(tmp_path: Path) -> None:
    _gate_site(tmp_path, "all", extra=', "ISO 9001:2026 6.1.3"')
    data = json.loads((tmp_path / "site" / "coverage-iso9001-2026.json").read_text())
    (clause,) = [c for c in data["clauses"] if c["clause"] == "6.1.3"]
    assert clause["status"] == "covered"
    assert data["catalogue"]["provisional"] is True


def test_coverage_page_shows_both_editions(site) -> None:
    built = site({"index.md": "# H\n"}, plugins=[{"qmsdocs": TRANSITION}])
    html = built.html("coverage/index.html")
    assert re.search(r"<h2[^>]*>ISO 9001:2015", html)
    assert re.search(r"<h2[^>]*>ISO 9001:2026 \(provisional\)", html)
    assert html.count('class="qms-table qms-matrix"') == 2
    assert 'id="coverage-8-4"' in html and 'id="coverage-iso9001-2026-8-4"' in html


def test_provisional_clause_pages_and_confirmation(site) -> None:
    built = site({"index.md": "# H\n"}, plugins=[{"qmsdocs": TRANSITION}])
    html = built.html("clauses/iso9001-2026/6/index.html")
    assert "Provisional: these clause numbers and headings" in html
    assert "Provisional, high confidence" in html
    confirmed = site(
        {"index.md": "# H\n"},
        plugins=[{"qmsdocs": {**TRANSITION, "confirmed": ["iso9001-2026"]}}],
    )
    assert "Provisional" not in confirmed.html("clauses/iso9001-2026/6/index.html")


MANUAL_2015 = {
    "improvement.md": '---\nclauses: ["10.1", "10.2", "10.3"]\n---\n# Improvement\n',
    "planning.md": written("# Planning\n\n## 6.1 Actions to address risks and opportunities\n"),
}


def test_transition_page(site) -> None:
    built = site(MANUAL_2015, plugins=[{"qmsdocs": TRANSITION}])
    html = built.html("transition/index.html")
    text = re.sub(r"<[^>]+>", "", html)
    assert "Transition from ISO 9001:2015 to ISO 9001:2026" in text
    assert "6.1.3 Actions to address opportunities" in text  # open new requirement
    assert re.search(r"10\.3 → 10\.1:\s*Improvement", text)  # a declaration that must move
    assert "Merged" in text and "Content changed" in text
    assert 'href="../clauses/iso9001-2026/6/#clause-6-1-3"' in html
    # Its sections are the page's own headings, in its table of contents.
    for anchor in ("summary", "new-requirements", "declarations-to-move", "changes"):
        assert f'<h2 id="{anchor}">' in html, anchor
        assert f'href="#{anchor}"' in html.split('<nav class="md-nav md-nav--secondary"')[1]
    # The summary says which counts are about this manual and which about the standard.
    assert "In this manual" in text
    assert "In the standard: ISO 9001:2026 against ISO 9001:2015" in text


# qmsdocs transition ----------------------------------------------------------------------------


def _manual(tmp_path: Path) -> Path:
    return write_site(tmp_path, MANUAL_2015, plugins=[{"qmsdocs": TRANSITION}])


def test_transition_command_text(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["transition", str(_manual(tmp_path))])
    assert result.exit_code == 0, result.output
    assert "New requirements nothing addresses yet:\n  6.1.3 Actions to address opportunities" in (
        result.stdout
    )
    assert "10.3 -> 10.1: improvement.md:2 (front matter)" in result.stdout


def test_transition_command_json_and_csv(tmp_path: Path) -> None:
    config = str(_manual(tmp_path))
    data = json.loads(CliRunner().invoke(main, ["transition", config, "--format", "json"]).stdout)
    assert data["from"] == "iso9001-2015" and data["to"] == "iso9001-2026"
    assert data["summary"]["open"] == 1
    merged = [i for i in data["items"] if i["from"] and i["from"]["clause"] == "10.3"]
    assert merged[0]["to"]["clause"] == "10.1"
    csv_text = CliRunner().invoke(main, ["transition", config, "--format", "csv"]).stdout
    assert csv_text.splitlines()[0] == "change,from,to,note,review,move,open"
    assert "merged,10.3,10.1," in csv_text


def test_transition_without_write_changes_nothing(tmp_path: Path) -> None:
    config = _manual(tmp_path)
    before = (tmp_path / "docs" / "improvement.md").read_bytes()
    CliRunner().invoke(main, ["transition", str(config)])
    assert (tmp_path / "docs" / "improvement.md").read_bytes() == before


def test_transition_write_rewrites_front_matter_and_keeps_every_other_byte(tmp_path: Path) -> None:
    config = _manual(tmp_path)
    page = tmp_path / "docs" / "improvement.md"
    original = (
        '\ufeff---\r\ntitle: Improvement   # a comment\r\nclauses: ["10.1", "10.2", "10.3"]\r\n'
        "not_applicable: {}\r\n---\r\n# Improvement\r\n\r\nclause 10.3 stays in prose.\r\n"
    )
    page.write_bytes(original.encode("utf-8"))
    result = CliRunner().invoke(main, ["transition", str(config), "--write"])
    assert result.exit_code == 0, result.output
    assert page.read_bytes() == original.replace('"10.3"]', '"10.1"]').encode("utf-8")
    assert "rewrote improvement.md:3: 10.3 -> 10.1" in result.stderr
    assert "left for you: 6.1.3 Actions to address opportunities is new" in result.stderr


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('---\nclauses: ["10.3"]\n---\n', '---\nclauses: ["10.1"]\n---\n'),
        ("---\nclauses: ['10.3']\n---\n", "---\nclauses: ['10.1']\n---\n"),
        ("---\nclauses:\n  - 10.3\n  - '8.4'\n---\n", "---\nclauses:\n  - 10.1\n  - '8.4'\n---\n"),
        ("---\nclauses: 10.3\n---\n", "---\nclauses: 10.1\n---\n"),
        (
            '---\nnot_applicable:\n  "10.3": "why"\n---\n',
            '---\nnot_applicable:\n  "10.1": "why"\n---\n',
        ),
        ("no front matter: 10.3\n", "no front matter: 10.3\n"),
        (
            '---\nclauses: ["ISO 9001:2015 10.3"]\n---\n',
            '---\nclauses: ["ISO 9001:2015 10.3"]\n---\n',
        ),
    ],
)
def test_rewrite_clause_ids(text: str, expected: str) -> None:
    assert rewrite_clause_ids(text, {"10.3": "10.1"})[0] == expected


def test_transition_report_on_declarations(correspondence) -> None:
    from qmsdocs.manual import Declaration

    declarations = [
        Declaration("iso9001-2015", "10.3", "a.md", 3),
        Declaration("iso9001-2015", "4.1", "b.md", 4),
    ]
    report = transition_report(correspondence, declarations)
    assert [(d.clause, new) for d, new in report.moves] == [("10.3", "10.1")]
    assert [i.entry.target for i in report.open_items] == ["6.1.3"]
    reviewed = {i.entry.source for i in report.to_review}
    assert {"10.3", "4.1"} <= reviewed


def test_editions_loader_refuses_a_catalogue_twice() -> None:
    from qmsdocs.findings import QMSDataError

    with pytest.raises(QMSDataError):
        load_editions("iso9001-2015", ["iso9001-2015"])
