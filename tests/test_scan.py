"""`qmsdocs scan`: which clauses an existing manual's pages address, and writing it down."""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
import textwrap
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from mkdocs.commands.build import build
from mkdocs.config import load_config

from qmsdocs.cli import main
from qmsdocs.scan import (
    FrontMatterError,
    PageSource,
    ScanResult,
    Suggestion,
    add_front_matter,
    read_page,
    scan_manual,
    scan_sources,
)
from qmsdocs.standards import load_builtin_catalogue
from tests.conftest import CORPORA

CATALOGUE = load_builtin_catalogue("iso9001-2015")
HANDBOOK = CORPORA / "handbook-generator-iso9001" / "templates"
OPENREGULATORY = CORPORA / "openregulatory"
needs_corpora = pytest.mark.skipif(
    not CORPORA.is_dir(), reason=f"the shared corpora are not here ({CORPORA})"
)


def _scan(pages: dict[str, str], **options: Any) -> ScanResult:
    sources = [(path, textwrap.dedent(text).lstrip("\n")) for path, text in pages.items()]
    return scan_sources(sources, CATALOGUE, **options)


def _kinds(result: ScanResult, page: str) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for evidence in result.page(page).addresses:
        found.setdefault(evidence.clause, set()).add(evidence.kind)
    return found


def _mentioned(result: ScanResult, page: str) -> set[str]:
    return {e.clause for e in result.page(page).mentions}


# Heuristics --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "heading",
    [
        "## General Requirements (9.1.1)",
        "## Allgemeine Anforderungen (9.1.1)",
        "## 9.1.1 General",
        "## Clause 9.1.1: General",
    ],
)
def test_a_heading_that_cites_a_clause_addresses_it(heading: str) -> None:
    result = _scan({"p.md": f"# Monitoring\n\n{heading}\n\nText.\n"})
    assert _kinds(result, "p.md") == {"9.1.1": {"heading"}}
    assert result.page("p.md").suggestion == Suggestion(None)  # the build counts it already


@pytest.mark.parametrize(
    "lead",
    [
        "This document describes our processes according to ISO 9001:2015 Clause 4.4.",
        "This procedure sets out how we work, in accordance with clause 4.4.",
        "This template documents the QMS\nand its processes as required by ISO 9001 4.4.",
        "<!--\nNOTE:\nThis template describes the QMS according to ISO 9001:2015 Clause 4.4.\n-->",
        "Reference: ISO 9001:2015, Clause 4.4",
        "**Normbezug:** ISO 9001:2015, Kapitel 4.4",
        "Dieses Dokument beschreibt unsere Prozesse gemäß ISO 9001:2015 Kapitel 4.4.",
        "Dieses Verfahren regelt die Abläufe entsprechend Abschnitt 4.4.",
    ],
)
def test_a_statement_near_the_top_addresses_the_clause(lead: str) -> None:
    result = _scan({"p.md": f"# Processes\n\n{lead}\n\n## Process map\n\nText.\n"})
    assert _kinds(result, "p.md") == {"4.4": {"statement"}}
    assert result.page("p.md").suggestion == Suggestion(("4.4",))


def test_a_statement_in_the_purpose_section_addresses_the_clause() -> None:
    text = """\
        # Supplier control

        ## Purpose

        This procedure defines how suppliers are selected, in accordance with ISO 9001 8.4.

        ## Zweck

        Dieses Verfahren erfüllt die Anforderungen aus Kapitel 7.4.

        ## Approval

        This procedure follows clause 7.5.2 for approval.
        """
    result = _scan({"p.md": text})
    assert _kinds(result, "p.md") == {"7.4": {"statement"}, "8.4": {"statement"}}
    assert _mentioned(result, "p.md") == {"7.5.2"}


@pytest.mark.parametrize(
    "lead",
    [
        "Link it to the risk assessment (Clause 6.1).",  # the page does not speak of itself
        "This document is kept by the quality manager.\nSee clause 6.1 for risks.",
        "This manual covers all requirements of ISO 9001:2015 clauses 4-10.",  # whole clauses
        "This document implements the actions determined in Clause 6.",
    ],
)
def test_other_citations_near_the_top_are_mentions(lead: str) -> None:
    result = _scan({"p.md": f"# Page\n\n{lead}\n\n## Section\n\nText.\n"})
    assert result.page("p.md").addresses == []
    assert result.page("p.md").mentions


def test_prose_below_the_lead_only_mentions() -> None:
    text = """\
        # Page

        ## How we work

        This procedure works according to ISO 9001:2015 clause 8.5.1, see also Kapitel 8.5.2
        and Abschnitt 4.2.
        """
    result = _scan({"p.md": text})
    assert result.page("p.md").addresses == []
    assert _mentioned(result, "p.md") == {"8.5.1", "8.5.2", "4.2"}


def test_code_is_not_read() -> None:
    text = """\
        # Page

        This document works according to `clause 4.4`.

        ```
        ## General Requirements (9.1.1)
        Reference: ISO 9001:2015, Clause 4.1
        ```
        """
    result = _scan({"p.md": text})
    assert result.page("p.md").addresses == [] and result.page("p.md").mentions == []


def test_a_heading_inside_a_section_about_another_clause_is_a_mention() -> None:
    text = """\
        # Management review

        ## Management Review Inputs (9.3.2)

        ### Customer satisfaction (9.1.2)

        ### Status of actions (9.3.2)

        ## Management Review Outputs (9.3.3)
        """
    result = _scan({"p.md": text})
    assert _kinds(result, "p.md") == {"9.3.2": {"heading"}, "9.3.3": {"heading"}}
    [mention] = result.page("p.md").mentions
    assert mention.clause == "9.1.2"
    assert mention.note == "under the heading 'Management Review Inputs (9.3.2)'"
    # The build would count that heading: the written front matter turns headings off and
    # lists what the page addresses.
    assert result.page("p.md").suggestion == Suggestion(("9.3.2", "9.3.3"), True)


def test_a_subsection_for_the_next_clause_addresses_it() -> None:
    text = """\
        # Production

        ## Identification and traceability (8.5.2)

        ### Customer property (8.5.3)
        """
    result = _scan({"p.md": text})
    assert _kinds(result, "p.md") == {"8.5.2": {"heading"}, "8.5.3": {"heading"}}
    assert result.page("p.md").suggestion == Suggestion(None)


def test_a_subsection_outside_the_pages_subject_is_a_mention() -> None:
    text = """\
        # Leadership

        Reference: ISO 9001:2015, Clause 5.1

        ## Ensuring policy and objectives

        ### Quality policy (5.2)

        ## Customer focus (5.1.2)
        """
    result = _scan({"p.md": text})
    assert _kinds(result, "p.md") == {"5.1": {"statement"}, "5.1.2": {"heading"}}
    assert _mentioned(result, "p.md") == {"5.2"}
    assert result.page("p.md").suggestion == Suggestion(("5.1",), True)


def test_a_clause_table_of_the_page_addresses_its_rows() -> None:
    text = """\
        # Context

        | Clause | How we meet it |
        |--------|----------------|
        | 4.1    | Strategy workshop each spring |
        | **4.2** | Register of interested parties |
        """
    result = _scan({"p.md": text})
    assert _kinds(result, "p.md") == {"4.1": {"table"}, "4.2": {"table"}}


def test_mapping_rows_address_the_pages_they_name() -> None:
    mapping = """\
        # ISO 9001:2015 mapping

        ### Clause 4: Context of the Organization

        | ISO 9001:2015 Clause | Requirement | Template Number | Template Name |
        |---|---|---|---|
        | 4.1 | Understanding the organization and its context | 0010 | Context |
        | 4.2 | Understanding the needs and expectations of interested parties | 0010 | Context |
        | 4.3 | Determining the scope | - | [Scope](sub/scope.md) |
        | 4.4 | QMS and its processes | | Process map |
        """
    result = _scan(
        {
            "0010_Context.md": "# Context\n\nText.\n",
            "9999_Mapping.md": mapping,
            "sub/scope.md": "# Scope of the QMS\n",
            "process-map.md": "# Process map\n",
        }
    )
    assert _kinds(result, "0010_Context.md") == {"4.1": {"mapping"}, "4.2": {"mapping"}}
    assert _kinds(result, "sub/scope.md") == {"4.3": {"mapping"}}
    assert _kinds(result, "process-map.md") == {"4.4": {"mapping"}}
    evidence = result.page("sub/scope.md").addresses[0]
    assert evidence.source == "9999_Mapping.md" and evidence.line == 9
    # The mapping page points elsewhere: its own "Clause 4" heading is no coverage.
    page = result.page("9999_Mapping.md")
    assert page.mapping_page and page.addresses == []
    assert page.suggestion == Suggestion(None, True)
    # Without mapping tables, the pages address nothing.
    plain = _scan(
        {"0010_Context.md": "# Context\n", "9999_Mapping.md": mapping}, mapping_tables=False
    )
    assert plain.page("0010_Context.md").addresses == []


@pytest.mark.parametrize(
    "table",
    [
        # Another standard's table (the header names it).
        "| ISO 13485:2016 Section | Document Section |\n|---|---|\n| 8.5.1 | (All) |\n"
        "| 8.5.2 | (All) |",
        # Another standard named above the table.
        "## **ISO 13485:2016**\n\n| Section | Title |\n|---|---|\n| 4.1 | General QMS |",
        # No standard named, and the titles are not ISO 9001's.
        "| EN-13612 Section | Document |\n|---|---|\n| 4.1 Preconditions | Plan |\n"
        "| 4.2 Evaluation Plan | Plan |",
        # A version history is no clause table.
        "| Version | Date |\n|---|---|\n| 4.1 | 2024-01-01 |",
    ],
)
def test_tables_of_other_standards_count_for_nothing(table: str) -> None:
    result = _scan({"p.md": f"# Page\n\n{table}\n"})
    assert result.page("p.md").addresses == []


def test_a_page_about_another_standard_claims_nothing() -> None:
    text = """\
        # SOP Design

        This SOP describes design control according to ISO 13485:2016 clause 7.3.

        ## Design inputs (7.3.3)

        See clause 7.3.4 and § 7.3.5 for reviews.

        ### 8.2.1 Feedback

        ## Clause 8.4: Data analysis
        """
    result = _scan({"p.md": text})
    page = result.page("p.md")
    assert page.addresses == [] and page.mentions == []
    assert page.foreign == ("ISO 13485:2016",)
    assert result.coverage.summary().covered == 0
    # The manual's own clause title says which standard a number belongs to.
    result = _scan({"p.md": "# Skills\n\nTraining in ISO 1101.\n\n## 7.2 Competence\n"})
    assert _kinds(result, "p.md") == {"7.2": {"heading"}}


def test_a_misnumbered_heading_gets_a_hint() -> None:
    result = _scan({"p.md": "# Resources\n\n## People (7.2)\n"})
    [note] = result.page("p.md").notes
    assert "7.2 Competence" in note and "7.1.2 People" in note


def test_coverage_and_missing_clauses() -> None:
    result = _scan({"p.md": '---\nclauses: ["4", "5", "6", "7", "8", "9"]\n---\n# All\n'})
    assert [c.id for c in result.coverage.missing()] == ["10.1", "10.2.1", "10.2.2", "10.3"]
    assert result.page("p.md").declared == ("4", "5", "6", "7", "8", "9")


# Writing front matter ----------------------------------------------------------------------


def _source(text: str, newline: str = "\n", bom: bytes = b"") -> PageSource:
    return PageSource(text.replace("\n", newline), bom=bom, newline=newline)


BLOCK = "---\n# Clauses suggested by `qmsdocs scan`: check them, then edit as you see fit.\n"


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
@pytest.mark.parametrize("final_newline", [True, False])
def test_a_new_front_matter_block_keeps_every_byte(newline: str, final_newline: bool) -> None:
    original = "# Title\n\nSome text  \n\n| a | b |\n" + ("" if final_newline else "no newline")
    source = _source(original, newline)
    text = add_front_matter(source, Suggestion(("4.4", "8.5")))
    block = (BLOCK + 'clauses: ["4.4", "8.5"]\n---\n').replace("\n", newline)
    assert text == block + source.original


def test_existing_front_matter_is_merged_line_by_line() -> None:
    original = (
        "---\r\ntitle: Processes   # our title\r\ndocument:\r\n  id: QP-1\r\n  revision: '2'\r\n"
        "---\r\n# Processes\r\n"
    )
    source = PageSource(original, newline="\r\n")
    text = add_front_matter(source, Suggestion(("4.4",), True))
    assert text == original.replace(
        "---\r\n# Processes",
        'clauses: ["4.4"]\r\nqmsdocs: {heading_coverage: "off"}\r\n---\r\n# Processes',
    )


def test_an_existing_clauses_entry_is_replaced_by_the_merged_list() -> None:
    original = '---\ntitle: X\nclauses:\n  - "7.5"\n  - "7.1"\n\nowner: me\n---\nBody\n'
    text = add_front_matter(_source(original), Suggestion(("7.5", "7.1", "8.4")))
    assert text == '---\ntitle: X\nclauses: ["7.5", "7.1", "8.4"]\n\nowner: me\n---\nBody\n'


@pytest.mark.parametrize(
    ("original", "problem"),
    [
        ("---\ntitle: [unclosed\n---\nBody\n", "not valid YAML"),
        ("Title: My page\nAuthor: me\n\n# My page\n", "MultiMarkdown"),
        # The YAML has a clauses key, but no line starts with `clauses:`.
        ('---\n"clauses": ["8.5"]\n---\nBody\n', "could not be merged"),
        ('---\n{title: X, clauses: ["8.5"]}\n---\nBody\n', "could not be merged"),
    ],
)
def test_front_matter_that_cannot_be_merged_is_refused(original: str, problem: str) -> None:
    with pytest.raises(FrontMatterError, match=problem):
        add_front_matter(_source(original), Suggestion(("4.4",)))


def _site(root: Path, pages: dict[str, bytes]) -> Path:
    docs = root / "docs"
    for name, data in pages.items():
        path = docs / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    (root / "mkdocs.yml").write_text(
        "site_name: Adopted\ntheme:\n  name: material\nplugins:\n  - search\n  - qmsdocs\n",
        encoding="utf-8",
    )
    return root / "mkdocs.yml"


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_scan_without_write_changes_nothing(tmp_path: Path) -> None:
    _site(tmp_path, {"a.md": b"# A\n\nReference: ISO 9001:2015, Clause 4.4\n"})
    before = _snapshot(tmp_path)
    result = CliRunner().invoke(main, ["scan", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "addresses 4.4" in result.output
    assert "Nothing was changed" in result.output
    assert _snapshot(tmp_path) == before


def test_write_round_trip_keeps_encodings_and_line_endings(tmp_path: Path) -> None:
    pages = {
        "lf.md": b"# LF\n\nReference: ISO 9001:2015, Clause 4.1\n",
        "crlf.md": b"# CRLF\r\n\r\nReference: ISO 9001:2015, Clause 4.2\r\n\r\nText.",
        "bom.md": b"\xef\xbb\xbf# BOM \xc3\xa4\xc3\xb6\n\nReference: Clause 4.3\n",
        "heading.md": b"# H\n\n## Scope (4.3)\n\nReference: ISO 9001:2015, Clause 4.3\n",
        "front.md": b"---\ntitle: Front\n---\n\nThis document meets the needs of Clause 4.4.\n",
        "plain.md": b"# Nothing to say\n\nJust text.\n",
        "broken.md": b"---\ntitle: [x\n---\nReference: ISO 9001:2015, Clause 5.1\n",
    }
    config = _site(tmp_path, pages)
    os.chmod(tmp_path / "docs" / "lf.md", 0o640)
    result = CliRunner().invoke(main, ["scan", str(config), "--write"])
    assert result.exit_code == 1, result.output  # broken.md was skipped
    assert "skipped" in result.output and "not valid YAML" in result.output
    docs = tmp_path / "docs"
    after = _snapshot(docs)
    added = BLOCK.encode()
    assert after["lf.md"] == added + b'clauses: ["4.1"]\n---\n' + pages["lf.md"]
    assert after["crlf.md"] == (
        added.replace(b"\n", b"\r\n") + b'clauses: ["4.2"]\r\n---\r\n' + pages["crlf.md"]
    )
    bom = b"\xef\xbb\xbf"
    assert after["bom.md"] == bom + added + b'clauses: ["4.3"]\n---\n' + pages["bom.md"][3:]
    # The heading counts already, so nothing is needed for 4.3 there.
    assert after["heading.md"] == pages["heading.md"]
    assert after["front.md"] == pages["front.md"].replace(
        b"title: Front\n", b'title: Front\nclauses: ["4.4"]\n'
    )
    assert after["plain.md"] == pages["plain.md"]
    assert after["broken.md"] == pages["broken.md"]
    assert stat.S_IMODE((docs / "lf.md").stat().st_mode) == 0o640
    assert sorted(p.name for p in docs.iterdir()) == sorted(pages)  # no temporary files left

    # The checker now uses what was written; a second scan writes nothing.
    check = CliRunner().invoke(main, ["check", str(config), "--format", "json"])
    addressed = {
        clause
        for clause in ("4.1", "4.2", "4.3", "4.4")
        if clause not in json.loads(check.output)["missing"]
    }
    assert addressed == {"4.1", "4.2", "4.3", "4.4"}
    again = CliRunner().invoke(main, ["scan", str(config), "--write", "--format", "json"])
    assert json.loads(again.output)["written"] == []
    assert _snapshot(docs) == after


def test_a_page_that_is_not_utf8_is_reported_and_written_back_as_it_was(tmp_path: Path) -> None:
    data = "# Übersicht\r\n\r\nReferenz: ISO 9001:2015, Kapitel 8.4\r\n".encode("cp1252")
    _site(tmp_path, {"win.md": data})
    result = CliRunner().invoke(main, ["scan", str(tmp_path), "--write"])
    assert "not UTF-8 (read as cp1252)" in result.output
    written = (tmp_path / "docs" / "win.md").read_bytes()
    assert written.endswith(data) and read_page(tmp_path / "docs" / "win.md").encoding == "cp1252"


def test_scan_json_and_unusable_input(tmp_path: Path) -> None:
    _site(tmp_path, {"a.md": b"# A\n\n## Internal audit (9.2)\n"})
    result = CliRunner().invoke(main, ["scan", str(tmp_path / "mkdocs.yml"), "--format", "json"])
    data = json.loads(result.output)
    assert data["catalogue"] == "iso9001-2015"
    assert data["pages"][0]["addresses"] == ["9.2"]
    assert data["pages"][0]["evidence"][0]["kind"] == "heading"
    assert "9.3.1" in data["missing"]
    missing = CliRunner().invoke(main, ["scan", str(tmp_path / "nowhere")])
    assert missing.exit_code == 2 and "no such folder" in missing.output
    empty = tmp_path / "empty"
    empty.mkdir()
    assert CliRunner().invoke(main, ["scan", str(empty)]).exit_code == 2


def test_a_quoted_clauses_key_is_skipped_not_a_crash(tmp_path: Path) -> None:
    page = b'---\n"clauses": ["8.5"]\n---\n# P\n\nReference: ISO 9001:2015, Clause 4.4\n'
    _site(tmp_path, {"p.md": page})
    result = CliRunner().invoke(main, ["scan", str(tmp_path), "--write"])
    assert result.exit_code == 1, result.output
    assert "skipped" in result.output and "could not be merged" in result.output
    assert (tmp_path / "docs" / "p.md").read_bytes() == page


# mkdocs.yml as MkDocs reads it ---------------------------------------------------------------


def _config(root: Path, text: str, pages: dict[str, bytes] | None = None) -> Path:
    config = _site(root, pages or {"a.md": b"# A\n\nReference: ISO 9001:2015, Clause 4.4\n"})
    config.write_text(textwrap.dedent(text), encoding="utf-8")
    return config


def test_mkdocs_reads_the_configuration(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("QMSDOCS_SCAN_DOCS", raising=False)
    (tmp_path / "pages").mkdir()
    (tmp_path / "pages" / "a.md").write_text("# A\n\n## Internal audit (9.2)\n", "utf-8")
    config = _config(
        tmp_path,
        """\
        site_name: Adopted
        docs_dir: !ENV [QMSDOCS_SCAN_DOCS, pages]
        plugins:
          - qmsdocs:
              standard: iso9001-2026
        """,
    )
    result = scan_manual(config)
    assert result.docs_dir == tmp_path / "pages"
    assert result.catalogue.id == "iso9001-2026"
    assert [p.page for p in result.pages] == ["a.md"]


def test_the_pages_are_those_mkdocs_builds(tmp_path: Path) -> None:
    page = b"# P\n\nReference: ISO 9001:2015, Clause 4.4\n"
    names = ["a.md", "draft.md", "old/b.md", "templates/t.md", "c.markdown", "d.mdown"]
    config = _config(
        tmp_path,
        """\
        site_name: Adopted
        exclude_docs: old/
        draft_docs: draft.md
        foo: bar
        """,
        {name: page for name in names},
    )
    result = CliRunner().invoke(main, ["scan", str(config), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert [p["page"] for p in json.loads(result.stdout)["pages"]] == [
        "a.md",
        "c.markdown",
        "d.mdown",
    ]
    assert "warning: Config value 'foo': Unrecognised configuration name: foo" in result.stderr
    # Without mkdocs.yml, the folder is read as it is.
    folder = scan_manual(tmp_path / "docs")
    assert [p.page for p in folder.pages] == [
        "a.md",
        "c.markdown",
        "draft.md",
        "old/b.md",
        "templates/t.md",
    ]


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("site_name: [x\n", "error parsing the configuration file"),
        ("- a\n", "Expected a key-value mapping"),
        ("site_name: x\ndocs_dir: nowhere\n", "isn't an existing directory"),
        ("site_name: x\nplugins:\n  - no-such-plugin\n", "plugin is not installed"),
        ("site_name: x\nplugins:\n  - qmsdocs:\n      heading_coverag: off\n", "did you mean"),
    ],
)
def test_a_configuration_that_does_not_load_is_named(
    tmp_path: Path, text: str, problem: str
) -> None:
    config = _config(tmp_path, text)
    result = CliRunner().invoke(main, ["scan", str(config)])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert f"{config}: the configuration cannot be used:" in result.stderr
    assert problem in result.stderr and "give the folder of the pages" in result.stderr
    assert "Traceback" not in result.output


def test_a_symbolic_link_loop_is_reported(tmp_path: Path) -> None:
    config = _config(tmp_path, "site_name: Adopted\n")
    (tmp_path / "docs" / "loop").symlink_to(tmp_path / "docs")
    result = CliRunner().invoke(main, ["scan", str(config)])
    assert result.exit_code == 2
    assert "symlink-loop" in result.stderr


# The shared corpora ------------------------------------------------------------------------


def _mapping_table(folder: Path, pages: set[str]) -> dict[str, set[str]]:
    """The template set's own clause -> page table (9999_Framework_Mapping.md)."""
    by_number = {page[:4]: page for page in pages if page[:4].isdigit()}
    rows: dict[str, set[str]] = {}
    text = (folder / "9999_Framework_Mapping.md").read_text(encoding="utf-8")
    for match in re.finditer(r"^\|\s*(\d+(?:\.\d+)*)\s*\|[^|\n]*\|\s*(\d{4})\s*\|", text, re.M):
        rows.setdefault(match.group(1), set()).add(by_number[match.group(2)])
    return rows


def _per_leaf(by_clause: dict[str, set[str]]) -> dict[str, set[str]]:
    """Pages per lowest-level required clause: declared for it or for a clause above it."""
    result = {}
    for leaf in CATALOGUE.required_leaves():
        chain = [leaf.id, *(a.id for a in CATALOGUE.ancestors(leaf.id))]
        result[leaf.id] = set().union(*(by_clause.get(c, set()) for c in chain))
    return result


def _differences(
    got: dict[str, set[str]], expected: dict[str, set[str]]
) -> dict[str, tuple[set[str], set[str]]]:
    return {
        leaf: (expected[leaf] - got[leaf], got[leaf] - expected[leaf])
        for leaf in expected
        if got[leaf] != expected[leaf]
    }


def _known_differences(names: dict[str, str]) -> dict[str, tuple[set[str], set[str]]]:
    """Where the templates' own text disagrees with their mapping table (see the README)."""
    appendix, resources, production = names["0750"], names["0300"], names["0440"]
    review, improvement, nonconformity = names["0130"], names["0650"], names["0660"]
    return {
        # The process map appendix says "Reference: ISO 9001:2015, Clause 4.4" itself.
        "4.4.1": (set(), {appendix}),
        "4.4.2": (set(), {appendix}),
        # "## People (7.2)" in the resources template: 7.2 is Competence (7.1.2 is People).
        "7.2": (set(), {resources}),
        # "## Control of Nonconforming Outputs (8.7)" is in 0440; the table says 0660.
        "8.7.1": ({nonconformity}, {production}),
        "8.7.2": ({nonconformity}, {production}),
        # 0130 is a second management review template that the table does not list.
        "9.3.1": (set(), {review}),
        "9.3.2": (set(), {review}),
        "9.3.3": (set(), {review}),
        # 0650 cites only 10.1; nothing in it cites 10.3.
        "10.3": ({improvement}, set()),
    }


@needs_corpora
@pytest.mark.parametrize("language", ["en", "de"])
def test_the_templates_own_text_against_their_mapping_table(language: str) -> None:
    folder = HANDBOOK / language / "iso-9001"
    result = scan_manual(folder, mapping_tables=False)
    pages = {p.page for p in result.pages}
    names = {page[:4]: page for page in pages}
    got = _per_leaf({c: set(p) for c, p in result.by_clause().items()})
    differences = _differences(got, _per_leaf(_mapping_table(folder, pages)))
    assert differences == _known_differences(names)
    # German notations: "Kapitel 4.1" statements and "(9.1.1)" headings.
    assert {e.kind for e in result.page(names["0010"]).addresses} == {"statement"}
    assert "9.1.1" in result.page(names["0550"]).clauses(CATALOGUE, ["heading"])


@needs_corpora
def test_scan_write_turns_the_templates_into_a_gated_manual(tmp_path: Path, plugin_log) -> None:
    docs = tmp_path / "docs"
    shutil.copytree(HANDBOOK / "en" / "iso-9001", docs)
    # One file with Windows line endings, as exported from Word.
    crlf = docs / "0420_Design_and_Development.md"
    crlf.write_bytes(crlf.read_bytes().replace(b"\n", b"\r\n"))
    before = _snapshot(docs)
    config = tmp_path / "mkdocs.yml"
    config.write_text(
        "site_name: Templates\ntheme:\n  name: material\n  features: [content.tooltips]\n"
        "plugins:\n  - search\n  - qmsdocs\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["scan", str(tmp_path), "--write", "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["missing"] == [] and data["skipped"] == {}
    assert len(data["written"]) == 24  # the others say it all in headings the build counts

    # Every byte of every page is kept; only a front matter block was put in front.
    after = _snapshot(docs)
    for name, original in before.items():
        text = after[name]
        if name not in data["written"]:
            assert text == original
            continue
        assert text.endswith(original) and text.startswith(b"---")
        added = text[: -len(original)].decode("utf-8")
        assert re.fullmatch(
            r"---\r?\n# Clauses suggested .*\r?\n(clauses: \[[^\]]*\]\r?\n)?"
            r"(qmsdocs: \{heading_coverage: \"off\"\}\r?\n)?---\r?\n",
            added,
        ), added
        assert ("\r\n" in added) == (name == crlf.name)

    # The templates are full of "[TODO" placeholders: every clause is addressed, most of them
    # only by pages still to be written, so the manual is drafted, not approved.
    check = CliRunner().invoke(main, ["check", str(config)])
    assert check.exit_code == 1, check.output
    errors = [line for line in check.output.splitlines() if line.startswith("error:")]
    assert errors and all(line.endswith("[drafted-clause]") for line in errors)
    assert "65 addressed (20 approved, 45 drafted, not approved)" in check.output
    assert "The manual is drafted but not approved: 45 required clause(s)" in check.output

    # Published as a draft on purpose, it passes.
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            "  - qmsdocs\n", "  - qmsdocs:\n      publish_drafts: true\n"
        ),
        encoding="utf-8",
    )
    check = CliRunner().invoke(main, ["check", str(config)])
    assert check.exit_code == 0, check.output
    assert "65 addressed" in check.output
    assert "; 45 only by drafts (publish_drafts is on)." in check.output

    # The build passes the gate; its coverage matches the templates' own mapping table but
    # for the pages whose text says more than the table (see the README).
    cfg = load_config(str(config))
    build(cfg)
    # One page declares 7.5 and never says "creating and updating": a real warning.
    (thin,) = [r.getMessage() for r in plugin_log.records if r.levelname == "WARNING"]
    assert "0330_Documented_Information.md:3: clause 7.5.2 is covered in name only" in thin
    plugin_log.mark_all_checked()
    coverage = json.loads((Path(cfg.site_dir) / "coverage.json").read_text(encoding="utf-8"))
    assert coverage["complete"] is True
    by_clause: dict[str, set[str]] = {}
    for clause in coverage["clauses"]:
        by_clause[clause["clause"]] = {d["page"] for d in clause["addressed_by"]}
    pages = set(before)
    names = {page[:4]: page for page in pages}
    differences = _differences(_per_leaf(by_clause), _per_leaf(_mapping_table(docs, pages)))
    # With the mapping table's own rows, no page the table names is missing.
    expected: dict[str, tuple[set[str], set[str]]] = {
        leaf: (set(), extra)
        for leaf, (_missing, extra) in _known_differences(names).items()
        if extra
    }
    assert differences == expected


@needs_corpora
def test_iso_13485_documents_yield_no_iso_9001_coverage(tmp_path: Path) -> None:
    shutil.copytree(OPENREGULATORY, tmp_path / "docs")
    before = _snapshot(tmp_path / "docs")
    result = scan_manual(tmp_path / "docs")
    assert result.coverage.summary().covered == 0
    assert [p.page for p in result.pages if p.addresses] == []
    assert [p.page for p in result.pages if p.mentions] == []
    foreign = {p.page for p in result.pages if p.foreign}
    assert "templates/qms/13485-mapping.md" in foreign
    assert "templates/qms/capa/sop-capa.md" in foreign
    cli = CliRunner().invoke(main, ["scan", str(tmp_path / "docs"), "--write"])
    assert cli.exit_code == 0
    assert "Wrote front matter to 0 page(s)" in cli.output
    assert _snapshot(tmp_path / "docs") == before
