"""Findings as text: one line each, and one line for a group (missing clauses)."""

from __future__ import annotations

from qmsdocs.assessment import assess
from qmsdocs.editions import Editions
from qmsdocs.findings import Finding, Severity, report_lines
from qmsdocs.standards import load_builtin_catalogue

from .conftest import naming

CATALOGUE = load_builtin_catalogue("iso9001-2015")


def test_missing_clauses_print_one_line_per_top_level_clause() -> None:
    page = '---\nclauses: ["4", "5", "6", "7", "9", "10"]\n---\n# Manual\n\n' + naming()
    findings = assess([("index.md", page)], Editions(CATALOGUE)).findings
    missing = [f for f in findings if f.code == "missing-clause"]
    assert len(missing) == 24  # each clause stays a finding of its own
    lines = report_lines(findings)
    assert len(lines) == 1
    severity, text = lines[0]
    assert severity is Severity.ERROR
    assert text.startswith("ISO 9001:2015 8 Operation: 8.1, 8.2.1, 8.2.2, 8.2.3.1,")
    assert text.endswith("[missing-clause]")
    assert "8.7.2: not addressed by any page and not declared not applicable (add each" in text


def test_a_group_of_one_prints_its_own_message() -> None:
    page = '---\nclauses: ["4", "5", "6", "7", "8", "9", "10.1", "10.2"]\n---\n# M\n\n' + naming()
    (line,) = report_lines(assess([("index.md", page)], Editions(CATALOGUE)).findings)
    assert line[1].startswith("clause 10.3 Continual improvement is not addressed by any page")


def test_other_findings_keep_a_line_each_and_their_order() -> None:
    findings = [
        Finding("unknown-clause", "b", "b.md", 2, severity=Severity.WARNING),
        Finding("unknown-clause", "a", "a.md", 9, severity=Severity.WARNING),
        Finding("x", "c", "a.md", 1, group="g", subject="1"),
        Finding("x", "d", "a.md", 1, group="g", subject="2"),
    ]
    assert [text for _severity, text in report_lines(findings)] == [
        "a.md:1: c [x]",
        "a.md:1: d [x]",
        "a.md:9: a [unknown-clause]",
        "b.md:2: b [unknown-clause]",
    ]
