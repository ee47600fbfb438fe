"""Findings: the problems qmsdocs reports about a manual or its data files.

The core never logs and never raises on a content problem: it returns findings, and the
caller (the MkDocs plugin, the command line) decides how to report them and whether they stop
the build. Data that cannot be used at all (a catalogue that does not parse) raises
`QMSDataError`, which carries the findings that explain why.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum

__all__ = [
    "ADOPTION_ADVICE",
    "Finding",
    "Problems",
    "QMSDataError",
    "Severity",
    "apply_severities",
    "draft_advice",
    "report_lines",
]


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
        group: Findings of one code and group print as one line (`report_lines`): the missing
            clauses of one top-level clause, say.
        subject: What this finding of a group is about ("4.4.1"), listed on the group's line.
    """

    code: str
    message: str
    path: str = ""
    line: int | None = None
    hint: str | None = None
    severity: Severity = Severity.ERROR
    order: int = 0
    group: str | None = None
    subject: str | None = None

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


@dataclass
class Problems:
    """The findings about one file, as a loader meets them: `problem(code, message, line)`.

    Every data loader reports through one of these, so that each finding names the file it is
    about, and a loader that cannot go on raises what it has found so far (`fatal`).

    Arguments:
        path: The file, as the user knows it.
    """

    path: str
    findings: list[Finding] = field(default_factory=list)

    def __call__(
        self,
        code: str,
        message: str,
        line: int | None = None,
        hint: str | None = None,
        severity: Severity = Severity.ERROR,
        *,
        path: str | None = None,
    ) -> None:
        self.findings.append(Finding(code, message, path or self.path, line, hint, severity))

    def fatal(
        self, code: str, message: str, line: int | None = None, hint: str | None = None
    ) -> QMSDataError:
        """A problem after which the file cannot be read on: `raise problem.fatal(...)`."""
        self(code, message, line, hint)
        return QMSDataError(self.findings)

    def raise_if_any(self) -> None:
        if self.findings:
            raise QMSDataError(self.findings)


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


# What the findings of a group have in common, and what to do, said once on the group's line.
_GROUP_SUMMARIES = {
    "missing-clause": (
        "not addressed by any page and not declared not applicable",
        "add each to a page's clauses:, cite it in a heading, or declare it under "
        "not_applicable: with a justification",
    ),
    "drafted-clause": (
        "drafted, not approved: addressed only by drafts or by sections that still hold To do "
        "prompts",
        "approve their documents and replace the prompts, or set publish_drafts: true to "
        "publish the manual as a draft",
    ),
}


def draft_advice(findings: Iterable[Finding]) -> str | None:
    """What to say once when required clauses are addressed only by drafts (errors only)."""
    count = sum(f.code == "drafted-clause" and f.severity is Severity.ERROR for f in findings)
    if not count:
        return None
    return (
        f"The manual is drafted but not approved: {count} required clause(s) are addressed only "
        "by drafts or by sections that still hold To do prompts. Approve those documents "
        "(document status approved or effective) and replace the prompts; to publish a draft "
        "manual on purpose, set `publish_drafts: true` under the qmsdocs plugin in mkdocs.yml."
    )


ADOPTION_ADVICE = (
    "Adopting an existing manual? `qmsdocs scan --write` adds clauses: to each page from what "
    "its headings and text address; `qmsdocs init` starts a new manual; and while you adopt, "
    "`checks: {missing-clause: warning}` under the qmsdocs plugin in mkdocs.yml reports missing "
    "clauses without stopping the build."
)


def report_lines(findings: Iterable[Finding]) -> list[tuple[Severity, str]]:
    """The findings as lines of a text report, in report order.

    Each finding stays a finding (exports and JSON list them one by one), but a run of findings
    of one code and group prints as one line: 65 missing clauses read as one line per
    top-level clause, not 65 near-identical lines.
    """
    lines: list[tuple[Severity, str]] = []
    run: list[Finding] = []

    def flush() -> None:
        if len(run) == 1 or (run and run[0].code not in _GROUP_SUMMARIES):
            lines.extend((f.severity, str(f)) for f in run)
        elif run:
            first = run[0]
            subjects = ", ".join(f.subject or "" for f in run)
            summary, hint = _GROUP_SUMMARIES[first.code]
            text = f"{first.group}: {subjects}: {summary} ({hint}) [{first.code}]"
            text = f"{first.location}: {text}" if first.location else text
            lines.append((first.severity, text))
        run.clear()

    for finding in sorted(findings, key=Finding.sort_key):
        same = run and (run[0].code, run[0].group, run[0].severity, run[0].location) == (
            finding.code,
            finding.group,
            finding.severity,
            finding.location,
        )
        if not (same and finding.group and finding.subject):
            flush()
        run.append(finding)
    flush()
    return lines
