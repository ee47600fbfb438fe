"""One verdict: `mkdocs build --strict` and `qmsdocs check --strict` agree on every manual.

Quality teams run `qmsdocs check` in pre-commit and CI so that a broken manual never reaches
the build server. Each case here is a small manual, broken or healthy; both commands run on it
as a user runs them (in a subprocess, with this interpreter), and must give the same pass or
fail and the same findings, by (code, file, line).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import textwrap
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from .conftest import write_site

FindingKey = tuple[str, str, int | None]
Findings = Counter[FindingKey]

HOME = "# Quality manual\n\nWe make precision parts.\n"
SUPPLIERS = """\
---
clauses: ["8.4"]
---

# Suppliers

We approve suppliers before the first order.
"""
CONTROLLED = """\
---
document:
  id: QP-{n}
  revision: "2"
  status: effective
  owner: Quality Manager
  approved_by: Managing Director
  approved_on: 2026-01-10
  effective: 2026-01-15
  review_due: {due}
clauses: ["7.5"]
---

# Procedure {n}

Text.
"""

# name -> (pages, plugin options, whether the site gets a page addressing every clause)
CASES: dict[str, tuple[dict[str, str], dict[str, Any], bool]] = {
    "healthy": ({"index.md": HOME, "suppliers.md": SUPPLIERS}, {}, True),
    "unknown clause in prose": (
        {"index.md": "# Home\n\nFirst line.\n\nSee clause 7.9 for records.\n"},
        {},
        True,
    ),
    "unknown clause in a list of prose": (
        {"index.md": "# Home\n\n- one\n- two, see clauses 8.4, 8.9 and 10.4\n"},
        {},
        True,
    ),
    "unknown clause in front matter": (
        {"index.md": '---\nclauses: ["7.9", "8.4"]\n---\n\n# Home\n'},
        {},
        True,
    ),
    "unknown clause in a heading": (
        {"index.md": "# Home\n\n## 7.9 Control of records\n\nText.\n"},
        {},
        True,
    ),
    "unquoted clause numbers": (
        {"index.md": "---\nclauses: [7.10, 8.4]\n---\n\n# Home\n"},
        {},
        True,
    ),
    "missing clauses": ({"index.md": HOME, "suppliers.md": SUPPLIERS}, {}, False),
    "missing clauses downgraded while adopting": (
        {"index.md": HOME, "suppliers.md": SUPPLIERS},
        {"checks": {"missing-clause": "warning"}},
        False,
    ),
    "exclusion without a justification": (
        {"scope.md": '---\nnot_applicable:\n  "8.3": ""\n---\n\n# Scope\n'},
        {},
        True,
    ),
    "clause both addressed and excluded": (
        {
            "scope.md": '---\nnot_applicable:\n  "8.3": "We do no design."\n---\n\n# Scope\n',
            "design.md": '---\nclauses: ["8.3"]\n---\n\n# Design\n',
        },
        {},
        False,
    ),
    "overdue review": ({"qp.md": CONTROLLED.format(n=1, due="2020-01-01")}, {}, True),
    "duplicate document id": (
        {
            "a.md": CONTROLLED.format(n=1, due="2099-01-01"),
            "b.md": CONTROLLED.format(n=1, due="2099-01-01"),
        },
        {},
        True,
    ),
    "front matter that is not YAML": (
        {"index.md": "---\nclauses: [8.4\ntitle: x\n---\n\n# Home\n"},
        {},
        True,
    ),
    "superseded page does not cover": (
        {
            "old.md": CONTROLLED.format(n=2, due="2099-01-01")
            .replace("effective\n", "superseded\n", 1)
            .replace('["7.5"]', '["4", "5", "6", "7", "8", "9", "10"]'),
        },
        {},
        False,
    ),
    "drafts do not count when told so": (
        {
            "draft.md": CONTROLLED.format(n=3, due="2099-01-01")
            .replace("effective\n", "draft\n", 1)
            .replace('["7.5"]', '["4", "5", "6", "7", "8", "9", "10"]'),
        },
        {"count_drafts": False},
        False,
    ),
    "2026 edition gated too": (
        {"index.md": HOME},
        {"editions": ["iso9001-2026"], "gate_editions": "all", "confirmed": ["iso9001-2026"]},
        False,
    ),
    "explicit links to an unknown clause and term": (
        {"index.md": "# Home\n\nSee [our records](clause:7.9) and [x](term:no such term).\n"},
        {},
        True,
    ),
    "backward range": ({"index.md": "# Home\n\nSee clauses 8.5 - 8.2.\n"}, {}, True),
    "not prose: code, links, comments, HTML, macros": (
        {
            "index.md": textwrap.dedent(
                """\
                # Home

                Inline `clause 7.9` and [clause 7.9](other.md) and <!-- clause 7.9 -->.

                ```text
                clause 7.9
                ```

                <div class="note">
                clause 7.9
                </div>

                A link to <https://example.org/clause/7.9> stays a link.
                """
            ),
            "other.md": "# Other\n",
        },
        {},
        True,
    ),
    "severity raised by checks": (
        {"index.md": "# Home\n\nSee clause 7.9.\n"},
        {"checks": {"unknown-clause": "error"}},
        True,
    ),
}

# A finding as either command prints it: "path:line: message (hint) [code]".
_FINDING_RE = re.compile(
    r"(?:WARNING|ERROR|INFO)?\s*-?\s*(?:qmsdocs: )?(?:  - )?"
    r"(?:(?P<path>[\w./-]+\.md)(?::(?P<line>\d+))?: )?.*\[(?P<code>[a-z0-9-]+)\]$"
)


# "ISO 9001:2015 8 Operation: 8.1, 8.2.1: not addressed by any page ..."
_GROUPED_RE = re.compile(r": (?P<ids>[0-9A-Z.]+(?:, [0-9A-Z.]+)+): not addressed by any page")


def _run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
        # Nothing from the caller's environment but where Python finds qmsdocs.
        env={
            "NO_MKDOCS_2_WARNING": "1",
            "PATH": "/usr/bin:/bin",
            "SOURCE_DATE_EPOCH": "1780000000",
            **{k: v for k, v in os.environ.items() if k == "PYTHONPATH"},
        },
    )


def _build_findings(output: str) -> Findings:
    found: Findings = Counter()
    for raw in output.splitlines():
        line = raw.strip()
        if "[" not in line or not line.endswith("]") or "(`mkdocs build` stops" in line:
            continue
        match = _FINDING_RE.search(line)
        grouped = _GROUPED_RE.search(line)
        if match and grouped:  # one line for the missing clauses of a top-level clause
            found[match.group("code"), "", None] += len(grouped.group("ids").split(", "))
        elif match:
            number = match.group("line")
            found[
                match.group("code"), match.group("path") or "", int(number) if number else None
            ] += 1
    return found


@pytest.mark.parametrize("case", list(CASES))
def test_build_and_check_give_one_verdict(tmp_path: Path, case: str) -> None:
    pages, options, complete = CASES[case]
    write_site(
        tmp_path,
        pages,
        complete=complete,
        plugins=["search", {"qmsdocs": options} if options else "qmsdocs"],
    )
    built = _run("mkdocs", "build", "--strict", cwd=tmp_path)
    checked = _run("qmsdocs.cli", "check", "--strict", "--format", "json", cwd=tmp_path)
    assert "Traceback" not in built.stderr + checked.stderr
    report = json.loads(checked.stdout)
    from_check = Counter((f["code"], f["path"] or "", f["line"]) for f in report["findings"])
    from_build = _build_findings(built.stderr)
    assert from_build == from_check, built.stderr
    assert (built.returncode == 0) == (checked.returncode == 0) == report["passed"]


def test_the_battery_holds_broken_and_healthy_manuals() -> None:
    # Both verdicts occur, so that agreement is not only agreement on "fine".
    healthy = [name for name in CASES if name.startswith(("healthy", "not prose"))]
    assert len(CASES) >= 15 and healthy and len(CASES) - len(healthy) >= 13


def test_check_fails_on_an_unknown_clause_in_prose(tmp_path: Path) -> None:
    write_site(tmp_path, {"index.md": "# Home\n\nSee clause 7.9 here.\n"})
    checked = _run("qmsdocs.cli", "check", "--strict", cwd=tmp_path)
    assert checked.returncode == 1
    assert "index.md:3: 'clause 7.9' cites clause 7.9" in checked.stdout
