"""Findings: the problems qmsdocs reports about a manual or its data files.

The core never logs and never raises on a content problem: it returns findings, and the
caller (the MkDocs plugin, the command line) decides how to report them and whether they stop
the build. Data that cannot be used at all (a catalogue that does not parse) raises
`QMSDataError`, which carries the findings that explain why.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from enum import StrEnum

__all__ = ["Finding", "QMSDataError", "Severity", "apply_severities", "format_findings"]


class Severity(StrEnum):
    """How serious a finding is.

    `error` stops a `mkdocs build` (and makes `qmsdocs check` exit 1); `warning` is logged as a
    MkDocs warning, so `mkdocs build --strict` fails on it; `info` is logged and never fails;
    `ignore` drops the finding.
    """

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"
    IGNORE = "ignore"


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem, located as precisely as the input allows.

    Attributes:
        code: A stable, kebab-case identifier (`unknown-clause`), used to configure severities.
        message: What is wrong, in a sentence.
        path: The file the problem is in, as the user knows it (docs-relative for pages).
        line: 1-based line in that file, when known.
        hint: What to do about it ("did you mean 7.5.3?").
        severity: See `Severity`.
        order: Tie-breaker for sorting findings without a file (clauses in the standard's order).
    """

    code: str
    message: str
    path: str = ""
    line: int | None = None
    hint: str | None = None
    severity: Severity = Severity.ERROR
    order: int = 0

    @property
    def location(self) -> str:
        """`path:line`, `path`, or an empty string."""
        if not self.path:
            return ""
        return f"{self.path}:{self.line}" if self.line else self.path

    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.path, self.line or 0, self.order, self.code, self.message)

    def __str__(self) -> str:
        text = f"{self.location}: {self.message}" if self.location else self.message
        if self.hint:
            text += f" ({self.hint})"
        return f"{text} [{self.code}]"


class QMSDataError(Exception):
    """Input that cannot be used at all: the findings say where and why."""

    def __init__(self, findings: Iterable[Finding]) -> None:
        self.findings = sorted(findings, key=Finding.sort_key)
        super().__init__("\n".join(str(f) for f in self.findings))


def apply_severities(
    findings: Iterable[Finding], overrides: Mapping[str, Severity | str]
) -> list[Finding]:
    """Re-grade findings by code (the `checks:` option), drop ignored ones, and sort them."""
    result = []
    for finding in findings:
        wanted = overrides.get(finding.code)
        if wanted is not None:
            finding = replace(finding, severity=Severity(wanted))
        if finding.severity is not Severity.IGNORE:
            result.append(finding)
    return sorted(result, key=Finding.sort_key)


def format_findings(findings: Iterable[Finding]) -> str:
    """One line per finding, in report order."""
    return "\n".join(f"{f.severity.value}: {f}" for f in sorted(findings, key=Finding.sort_key))
