"""Robustness of the command line, round 2: what qmsdocs refuses, and how.

Each group is one kind of bad input. The commands never answer with a traceback: they refuse
with a message that names the file (and its line, where there is one) and says what to do,
or they do the safe thing (write through a link, keep a comment, escape a title).
"""

from __future__ import annotations

import csv
import html
import io
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import jinja2
import markdown
import pytest
import yaml
from click.testing import CliRunner

from qmsdocs.cli import main
from qmsdocs.sourcefiles import split_front_matter

from .conftest import write_site
from .test_cli import run

# A page whose labelled reference line makes `qmsdocs scan --write` add `clauses: ["4.4"]`.
REFERENCED = "# Processes\n\nReference: ISO 9001:2015, Clause 4.4\n"
WRITTEN = 'clauses: ["4.4"]'
# A 2015 manual with a declaration that moves in the 2026 transition (10.3 -> 10.1).
TRANSITION = {"standard": "iso9001-2015", "editions": ["iso9001-2026"]}
MOVING = '---\nclauses: ["10.1", "10.2", "10.3"]\n---\n# Improvement\n'


def _scan(*args: str | Path) -> Any:
    return CliRunner().invoke(main, ["scan", *map(str, args)])


def _transition_manual(root: Path, page: str = "improvement.md") -> Path:
    return write_site(root, {page: MOVING}, complete=False, plugins=[{"qmsdocs": TRANSITION}])


# 6. Links: --write writes through a link and never breaks it ----------------------------------


def test_scan_write_updates_the_target_of_a_symlinked_page_and_keeps_the_link(
    tmp_path: Path,
) -> None:
    (tmp_path / "shared").mkdir()
    target = tmp_path / "shared" / "processes.md"
    target.write_text(REFERENCED, encoding="utf-8")
    docs = tmp_path / "docs"
    docs.mkdir()
    link = docs / "processes.md"
    link.symlink_to(Path("..") / "shared" / "processes.md")

    result = _scan(docs, "--write")

    assert result.exit_code == 0, result.output
    assert link.is_symlink(), "the page was turned into a regular file"
    assert os.readlink(link) == str(Path("..") / "shared" / "processes.md")
    assert WRITTEN in target.read_text(encoding="utf-8")
    assert [p.name for p in docs.iterdir()] == ["processes.md"]  # no temporary file left


def test_scan_write_keeps_a_hard_linked_page_on_its_inode(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    page = docs / "processes.md"
    page.write_text(REFERENCED, encoding="utf-8")
    other_name = tmp_path / "processes-copy.md"
    os.link(page, other_name)
    inode = page.stat().st_ino

    result = _scan(docs, "--write")

    assert result.exit_code == 0, result.output
    assert page.stat().st_ino == inode
    assert page.stat().st_nlink == 2
    assert WRITTEN in other_name.read_text(encoding="utf-8")
    assert [p.name for p in docs.iterdir()] == ["processes.md"]  # no recovery copy left


def test_transition_write_keeps_symlinked_and_hard_linked_pages_linked(tmp_path: Path) -> None:
    config = _transition_manual(tmp_path, "hard.md")
    docs = tmp_path / "docs"
    os.link(docs / "hard.md", tmp_path / "hard-elsewhere.md")
    (tmp_path / "shared").mkdir()
    (tmp_path / "shared" / "linked.md").write_text(MOVING, encoding="utf-8")
    (docs / "linked.md").symlink_to(Path("..") / "shared" / "linked.md")
    inode = (docs / "hard.md").stat().st_ino

    result = CliRunner().invoke(main, ["transition", str(config), "--write"])

    assert result.exit_code == 0, result.output
    assert (docs / "linked.md").is_symlink()
    assert '"10.1"]' in (tmp_path / "shared" / "linked.md").read_text(encoding="utf-8")
    assert (docs / "hard.md").stat().st_ino == inode
    assert '"10.1"]' in (tmp_path / "hard-elsewhere.md").read_text(encoding="utf-8")
    assert "rewrote linked.md:2: 10.3 -> 10.1" in result.stderr


def test_scan_of_a_folder_reads_pages_behind_symlinked_folders_as_check_does(
    tmp_path: Path,
) -> None:
    config = write_site(tmp_path, {"index.md": "# Home\n"}, complete=False)
    (tmp_path / "shared").mkdir()
    (tmp_path / "shared" / "processes.md").write_text(REFERENCED, encoding="utf-8")
    (tmp_path / "docs" / "linked").symlink_to(Path("..") / "shared", target_is_directory=True)

    checked = CliRunner().invoke(main, ["check", str(config)])
    assert "in 2 pages" in checked.output, checked.output
    folder = _scan(tmp_path / "docs", "--format", "json")
    site = _scan(config, "--format", "json")

    assert folder.exit_code == 0, folder.output
    pages = [page["page"] for page in yaml.safe_load(folder.stdout)["pages"]]
    assert pages == ["index.md", "linked/processes.md"]
    assert pages == [page["page"] for page in yaml.safe_load(site.stdout)["pages"]]


def test_scan_of_a_folder_refuses_a_symlink_loop_as_check_does(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "p.md").write_text(REFERENCED, encoding="utf-8")
    (docs / "loop").symlink_to(docs, target_is_directory=True)

    result = _scan(docs)

    assert result.exit_code == 2
    assert "docs/loop: is a symbolic link to the docs folder" in result.stderr
    assert "Traceback" not in result.output


# 7. Comments: scan --write keeps the author's comments in a clauses: block --------------------


def test_scan_write_keeps_comments_inside_a_clauses_block(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    front = (
        "---\n"
        "title: Processes\n"
        "clauses:  # agreed with the auditor\n"
        "  # context first\n"
        '  - "4.1"   # the context\n'
        "  # - 4.2 (we do not deal with it here)\n"
        "owner: me\n"
        "---\n"
    )
    page = docs / "processes.md"
    page.write_text(front + REFERENCED, encoding="utf-8")

    result = _scan(docs, "--write")

    assert result.exit_code == 0, result.output
    text = page.read_text(encoding="utf-8")
    for comment in (
        "# agreed with the auditor",
        "# context first",
        "# the context",
        "# - 4.2 (we do not deal with it here)",
    ):
        assert comment in text
    front_matter, _body, _line = split_front_matter(text)
    assert yaml.safe_load(front_matter or "")["clauses"] == ["4.1", "4.4"]
    assert text.endswith(REFERENCED)


def test_scan_write_keeps_a_comment_in_a_flow_list(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    page = docs / "processes.md"
    page.write_text('---\nclauses: ["4.1"]  # agreed\n---\n' + REFERENCED, encoding="utf-8")

    result = _scan(docs, "--write")

    assert result.exit_code == 0, result.output
    assert page.read_text(encoding="utf-8").startswith(
        '---\nclauses: ["4.1", "4.4"]  # agreed\n---\n'
    )


def test_scan_write_leaves_a_commented_clauses_entry_it_cannot_extend_and_says_what_to_add(
    tmp_path: Path,
) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    page = docs / "processes.md"
    original = '---\nclauses: "4.1"  # just one, for now\n---\n' + REFERENCED
    page.write_text(original, encoding="utf-8")

    result = _scan(docs, "--write")

    assert result.exit_code == 1  # some pages could not be written
    assert page.read_text(encoding="utf-8") == original
    assert "add 4.4" in result.stdout
    assert "comment" in result.stdout


# 8. Output: Markdown tables escape text, CSV cells never start a formula ----------------------


def _table_rows(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith("|")]


def _cells(row: str) -> int:
    """The cells of a Markdown table row: pipes not escaped by a backslash, minus one."""
    return len(re.findall(r"(?<!\\)\|", row)) - 1


def test_coverage_markdown_escapes_titles_and_justifications(tmp_path: Path) -> None:
    docs = {
        "hostile.md": '---\ntitle: "Health <b>and</b> safety | R&D\\nsecond line"\n'
        'clauses: ["8.4"]\nnot_applicable:\n'
        '  "8.3": "We do no design <script>x</script> | none & all"\n---\n# Hostile\n',
    }
    config = write_site(tmp_path, docs, complete=False)

    code, out, err = run("coverage", str(config), "--format", "markdown")

    assert code == 0, err
    rows = _table_rows(out)
    assert len(rows) == 2 + 91  # header, separator, one row per clause with requirements
    assert {_cells(row) for row in rows} == {5}
    assert "<b>" not in out and "<script>" not in out
    assert "Health &lt;b&gt;and&lt;/b&gt; safety \\| R&amp;D<br>second line" in out
    assert "We do no design &lt;script&gt;x&lt;/script&gt; \\| none &amp; all" in out


def test_clauses_markdown_escapes_catalogue_titles(tmp_path: Path) -> None:
    catalogue = tmp_path / "mine.yml"
    catalogue.write_text(
        'id: mine\nstandard: "XYZ 1"\ntitle: "XYZ 1 Things"\n'
        'clauses:\n  - {id: "1", title: "One <i>x</i> | two", requirements: true}\n',
        encoding="utf-8",
    )

    code, out, _ = run("clauses", "--standard", str(catalogue), "--format", "markdown")

    assert code == 0
    assert "| 1 | One &lt;i&gt;x&lt;/i&gt; \\| two | yes |" in out


@pytest.mark.parametrize("value", ["=HYPERLINK(1)", "+1", "-1", "@SUM(A1)"])
def test_clauses_csv_neutralises_formula_cells(tmp_path: Path, value: str) -> None:
    catalogue = tmp_path / "mine.yml"
    catalogue.write_text(
        'id: mine\nstandard: "XYZ 1"\ntitle: "XYZ 1 Things"\n'
        f"clauses:\n  - {{id: '1', title: {yaml.safe_dump(value).splitlines()[0]}}}\n",
        encoding="utf-8",
    )

    code, out, _ = run("clauses", "--standard", str(catalogue), "--format", "csv")

    assert code == 0
    [row] = list(csv.DictReader(io.StringIO(out, newline="")))
    assert row["title"] == "'" + value


def test_transition_csv_neutralises_formula_cells(tmp_path: Path) -> None:
    config = _transition_manual(tmp_path, "=cmd.md")

    result = CliRunner().invoke(main, ["transition", str(config), "--format", "csv"])

    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout, newline="")))
    [merged] = [row for row in rows if row["from"] == "10.3"]
    assert merged["move"] == "'=cmd.md:2 (front matter)"
    for row in rows:
        for cell in row.values():
            assert cell[:1] not in ("=", "+", "-", "@", "\t", "\r"), row


# 9. Data files: only regular files, of a sane size, quoted in short excerpts ------------------


def _limited_memory() -> None:  # pragma: no cover - runs in the child process
    """A child that reads without bound fails within a second instead of eating the machine."""
    import resource

    limit = 2 * 1024**3
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def _qmsdocs_in_a_subprocess(*args: str) -> subprocess.CompletedProcess[str]:
    """Run the command line in a child with a timeout and a memory limit: if a refusal regresses
    into reading a device or a pipe, the test fails; it never hangs."""
    return subprocess.run(
        [sys.executable, "-m", "qmsdocs.cli", *args],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
        preexec_fn=_limited_memory,
    )


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_a_device_as_catalogue_is_refused_without_reading_it() -> None:
    result = _qmsdocs_in_a_subprocess("clauses", "--standard", "/dev/zero")

    assert result.returncode == 2, result.stderr
    assert "/dev/zero: is not a regular file" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_named_pipe_as_catalogue_is_refused_without_waiting_for_a_writer(
    tmp_path: Path,
) -> None:
    pipe = tmp_path / "catalogue.yml"
    os.mkfifo(pipe)

    result = _qmsdocs_in_a_subprocess("clauses", "--standard", str(pipe))

    assert result.returncode == 2, result.stderr
    assert f"{pipe}: is not a regular file" in result.stderr


def test_an_oversized_catalogue_is_refused_before_it_is_parsed(tmp_path: Path) -> None:
    from qmsdocs.yamlio import MAX_DATA_FILE_BYTES

    catalogue = tmp_path / "huge.yml"
    line = b"# padding padding padding padding padding padding padding padding\n"
    catalogue.write_bytes(line * (MAX_DATA_FILE_BYTES // len(line) + 1))

    code, _, err = run("clauses", "--standard", str(catalogue))

    assert code == 2
    assert f"{catalogue}: the file is larger than 10 MB" in err
    assert "[too-large]" in err


def test_an_oversized_glossary_file_is_refused_by_check(tmp_path: Path) -> None:
    from qmsdocs.yamlio import MAX_DATA_FILE_BYTES

    config = write_site(tmp_path, {"index.md": "# Home\n"})
    (tmp_path / "glossary").mkdir()
    entry = b"- {term: widget, explanation: A thing we make and sell to our customers.}\n"
    (tmp_path / "glossary" / "terms.yml").write_bytes(
        entry * (MAX_DATA_FILE_BYTES // len(entry) + 1)
    )

    code, out, _ = run("check", str(config))

    assert code == 1  # a glossary file is one of the manual's: its problems are findings
    assert "error: glossary/terms.yml: the file is larger than 10 MB" in out


def test_a_file_that_is_no_catalogue_is_not_echoed(tmp_path: Path) -> None:
    secrets = [
        f"user{n}:$6$saltsalt$hashhashhashhashhashhash{n}:20228:0:99999:7::" for n in range(9)
    ]
    shadow = tmp_path / "shadow"
    shadow.write_text("".join(f"{line}:\n" for line in secrets), encoding="utf-8")

    code, _, err = run("clauses", "--standard", str(shadow))

    assert code == 2
    assert "none of its 9 keys is a catalogue field" in err
    assert "saltsalt" not in err and "user0" not in err
    assert "Traceback" not in err


def test_an_unknown_field_is_quoted_in_a_short_excerpt(tmp_path: Path) -> None:
    catalogue = tmp_path / "mine.yml"
    long_key = "colour" + "x" * 200
    catalogue.write_text(
        f'id: mine\nstandard: "XYZ 1"\ntitle: "XYZ 1 Things"\n{long_key}: red\n'
        "clauses:\n  - {id: '1', title: One}\n",
        encoding="utf-8",
    )

    code, _, err = run("clauses", "--standard", str(catalogue))

    assert code == 2
    [message] = [line for line in err.splitlines() if "[unknown-field]" in line]
    assert f"{catalogue}:4: unknown catalogue field '{long_key[:39]}…'" in message
    assert "x" * 40 not in message


# 10. init: the organisation's name is text, never markup or a template -------------------------

HOSTILE_NAME = "Acme <b>Co</b> {{ 7*7 }}"


def _rendered(page: str) -> str:
    """A page of the skeleton as a build renders it: mkdocs-macros (Jinja) first, then
    Markdown with the skeleton's extensions; the text a reader sees, whitespace normalised."""
    _front, body, _line = split_front_matter(page)
    expanded = jinja2.Environment().from_string(body).render(coverage_summary=lambda: "")
    rendered = markdown.markdown(expanded, extensions=["admonition", "attr_list", "tables"])
    assert "<b>" not in rendered
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", rendered)).split())


def test_init_writes_the_organisation_as_text_in_every_file(tmp_path: Path) -> None:
    root = tmp_path / "manual"
    result = CliRunner().invoke(main, ["init", str(root), "--organisation", HOSTILE_NAME])
    assert result.exit_code == 0, result.output

    pages = {p: p.read_text(encoding="utf-8") for p in (root / "docs").rglob("*.md")}
    # The text of the pages; their front matter names the organisation in YAML comments only.
    bodies = [split_front_matter(text)[1] for text in pages.values()]
    naming = [body for body in bodies if "Acme" in body]
    assert len(naming) > 5
    for body in naming:
        assert "<b>" not in body and "{{ 7*7 }}" not in body
        assert "{{" not in body.replace("{{ coverage_summary() }}", "")
    for name in ("index.md", "context/context.md", "leadership/quality-policy.md"):
        assert HOSTILE_NAME in _rendered(pages[root / "docs" / name]), name

    config = yaml.safe_load((root / "mkdocs.yml").read_text(encoding="utf-8"))
    # Themes put site_name and copyright into the page as HTML.
    assert config["site_name"] == "Acme &lt;b&gt;Co&lt;/b&gt; {{ 7*7 }} quality manual"
    assert config["copyright"].startswith("Quality manual of Acme &lt;b&gt;Co&lt;/b&gt; {{ 7*7 }}.")


def test_init_writes_a_site_name_with_markdown_characters_as_text(tmp_path: Path) -> None:
    root = tmp_path / "manual"
    name = "# R&D *Widgets* [beta] {% raw %} AT&amp;T"
    result = CliRunner().invoke(main, ["init", str(root), "--site-name", name])
    assert result.exit_code == 0, result.output

    index = (root / "docs" / "index.md").read_text(encoding="utf-8")
    assert _rendered(index).startswith(name + " This is the quality manual")


# 12. SOURCE_DATE_EPOCH that is not a number ----------------------------------------------------


def test_check_warns_about_a_source_date_epoch_it_cannot_use(tmp_path: Path) -> None:
    config = write_site(tmp_path, {"index.md": "# Home\n"})

    result = CliRunner().invoke(main, ["check", str(config)], env={"SOURCE_DATE_EPOCH": "abc"})

    assert result.exit_code == 0, result.output
    [warning] = [line for line in result.output.splitlines() if "SOURCE_DATE_EPOCH" in line]
    assert warning.startswith("warning: SOURCE_DATE_EPOCH is 'abc'")
    assert "today's date" in warning and "instead" in warning


def test_check_strict_fails_on_a_source_date_epoch_it_cannot_use(tmp_path: Path) -> None:
    config = write_site(tmp_path, {"index.md": "# Home\n"})

    result = CliRunner().invoke(
        main, ["check", str(config), "--strict"], env={"SOURCE_DATE_EPOCH": "1.7e9"}
    )

    assert result.exit_code == 1, result.output


def test_a_valid_or_empty_source_date_epoch_gives_no_warning(tmp_path: Path) -> None:
    config = write_site(tmp_path, {"index.md": "# Home\n"})
    for value in ("1767225600", ""):
        result = CliRunner().invoke(main, ["check", str(config)], env={"SOURCE_DATE_EPOCH": value})
        assert "SOURCE_DATE_EPOCH" not in result.output, value


def test_build_stops_on_a_source_date_epoch_it_cannot_use_with_a_clear_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: Any
) -> None:
    # MkDocs itself cannot date a build with it and fails with a traceback from its own code;
    # with qmsdocs the build stops first, saying what is wrong.
    from mkdocs.exceptions import MkDocsException

    from .conftest import build_site

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "abc")
    with pytest.raises(MkDocsException):
        build_site(tmp_path, {"index.md": "# Home\n"})
    assert "SOURCE_DATE_EPOCH is 'abc'" in caplog.text
    assert "cannot date the build" in caplog.text
    assert "Traceback" not in caplog.text
