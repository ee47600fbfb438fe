"""The `qmsdocs` command line."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from qmsdocs.cli import main


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_help_lists_commands() -> None:
    code, out, _ = run("--help")
    assert code == 0
    assert "clauses" in out and "catalogues" in out


def test_clauses_table() -> None:
    code, out, _ = run("clauses")
    assert code == 0
    assert "7.5.3     yes" in out
    assert "Control of documented information" in out
    assert "(part of 7.5.3 Control of documented information)" in out
    assert "112 clauses listed; 91 carry requirements, 65 of them at the lowest level." in out


def test_clauses_csv_round_trips() -> None:
    code, out, _ = run("clauses", "--leaves", "--format", "csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == 65
    assert rows[0] == {
        "clause": "4.1",
        "title": "Understanding the organization and its context",
        "parent": "4",
        "requirements": "True",
    }


def test_clauses_json() -> None:
    code, out, _ = run("clauses", "--required", "--format", "json")
    assert code == 0
    payload = json.loads(out)
    assert payload["catalogue"] == "iso9001-2015"
    assert len(payload["clauses"]) == 91


def test_clauses_markdown() -> None:
    code, out, _ = run("clauses", "--format", "markdown")
    assert code == 0
    assert "| 8.4 | Control of externally provided processes, products and services | yes |" in out


def test_catalogues() -> None:
    code, out, _ = run("catalogues")
    assert code == 0
    assert out.startswith("iso9001-2015")


@pytest.mark.parametrize(
    ("spec", "message"),
    [("nope", "no built-in catalogue 'nope'"), ("missing.yml", "missing.yml: file not found")],
)
def test_unusable_catalogue_exits_2(spec: str, message: str) -> None:
    code, _, err = run("clauses", "--standard", spec)
    assert code == 2
    assert message in err


def test_bad_catalogue_file_names_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.yml"
    path.write_text('id: x\nstandard: S\ntitle: T\nclauses:\n  - {id: "1", id: "2"}\n  - [\n')
    code, _, err = run("clauses", "--standard", str(path))
    assert code == 2
    assert f"{path}:" in err
    assert "Traceback" not in err


def test_console_script_installed() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "qmsdocs.cli", "--help"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0
    assert "qmsdocs" in result.stdout
