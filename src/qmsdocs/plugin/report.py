"""Reporting a build's findings through MkDocs' logger, and the gate."""

from __future__ import annotations

from collections.abc import Mapping

from mkdocs.exceptions import PluginError
from mkdocs.plugins import get_plugin_logger

from qmsdocs.findings import Finding, Severity, apply_severities

__all__ = ["report"]

log = get_plugin_logger("qmsdocs.plugin")


def report(findings: list[Finding], checks: Mapping[str, str], *, gate: bool = True) -> None:
    """Log every finding, sorted; then, if any is an error, stop the build in one message.

    With `gate=False` (`mkdocs serve`, unless `gate_on_serve`) errors are logged as warnings
    instead, so authors keep writing while the coverage page shows the gaps. The gate raises
    `PluginError`, never only a warning: `--strict` is not a reliable gate.
    """
    findings = apply_severities(findings, checks)
    errors = [f for f in findings if f.severity is Severity.ERROR]
    for finding in findings:
        if finding.severity is Severity.WARNING:
            log.warning(str(finding))
        elif finding.severity is Severity.INFO:
            log.info(str(finding))
    if not errors:
        return
    if not gate:
        for finding in errors:
            log.warning(f"{finding} (`mkdocs build` stops on this)")
        return
    listed = "\n".join(f"  - {finding}" for finding in errors)
    raise PluginError(f"qmsdocs: the manual was not published: {len(errors)} error(s).\n{listed}")
