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


def report(
    findings: list[Finding], checks: Mapping[str, str], *, gate: bool = True, version: str = ""
) -> None:
    """Log every finding, sorted; then, if any is an error, stop the build in one message.

    Missing clauses print one line per top-level clause (`report_lines`). With `gate=False`
    (`mkdocs serve`, unless `gate_on_serve`) errors are logged as warnings instead, so authors
    keep writing while the coverage page shows the gaps. The gate raises `PluginError`, never
    only a warning: `--strict` is not a reliable gate.

    `version`: on a translated site, which language version these findings are about ("the
    'de' version of the site"); every line names it.
    """
    findings = apply_severities(findings, checks)
    lines = report_lines(findings)
    errors = [text for severity, text in lines if severity is Severity.ERROR]
    where = f" (in {version})" if version else ""
    for severity, text in lines:
        if severity is Severity.WARNING:
            log.warning(text + where)
        elif severity is Severity.INFO:
            log.info(text + where)
    advice = any(f.code == "missing-clause" for f in findings)
    if not errors:
        if advice:
            log.info(ADOPTION_ADVICE)
        return
    drafted = draft_advice(findings)
    if not gate:
        for text in errors:
            log.warning(f"{text}{where} (`mkdocs build` stops on this)")
        if drafted:
            log.warning(drafted)
        return
    count = sum(f.severity is Severity.ERROR for f in findings)
    listed = "\n".join(f"  - {text}" for text in errors)
    message = f"qmsdocs: the manual was not published{where}: {count} error(s).\n{listed}"
    message += f"\n{drafted}" if drafted else ""
    raise PluginError(message + (f"\n{ADOPTION_ADVICE}" if advice else ""))
