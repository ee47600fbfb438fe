"""Reporting a build's findings through MkDocs' logger, and the gate."""

from __future__ import annotations

from collections.abc import Mapping

from mkdocs.exceptions import PluginError
from mkdocs.plugins import get_plugin_logger

from qmsdocs.findings import (
    ADOPTION_ADVICE,
    Finding,
    Severity,
    apply_severities,
    draft_advice,
    report_lines,
)

__all__ = ["report"]

log = get_plugin_logger("qmsdocs.plugin")


def report(findings: list[Finding], checks: Mapping[str, str], *, gate: bool = True) -> None:
    """Log every finding, sorted; then, if any is an error, stop the build in one message.

    Missing clauses print one line per top-level clause (`report_lines`). With `gate=False`
    (`mkdocs serve`, unless `gate_on_serve`) errors are logged as warnings instead, so authors
    keep writing while the coverage page shows the gaps. The gate raises `PluginError`, never
    only a warning: `--strict` is not a reliable gate.
    """
    findings = apply_severities(findings, checks)
    lines = report_lines(findings)
    errors = [text for severity, text in lines if severity is Severity.ERROR]
    for severity, text in lines:
        if severity is Severity.WARNING:
            log.warning(text)
        elif severity is Severity.INFO:
            log.info(text)
    advice = any(f.code == "missing-clause" for f in findings)
    if not errors:
        if advice:
            log.info(ADOPTION_ADVICE)
        return
    drafted = draft_advice(findings)
    if not gate:
        for text in errors:
            log.warning(f"{text} (`mkdocs build` stops on this)")
        if drafted:
            log.warning(drafted)
        return
    count = sum(f.severity is Severity.ERROR for f in findings)
    listed = "\n".join(f"  - {text}" for text in errors)
    message = f"qmsdocs: the manual was not published: {count} error(s).\n{listed}"
    message += f"\n{drafted}" if drafted else ""
    raise PluginError(message + (f"\n{ADOPTION_ADVICE}" if advice else ""))
