"""qmsdocs: structured documentation for ISO 9001 quality manuals.

The public API: the core that knows nothing of MkDocs (catalogues, clause references,
findings), the Python-Markdown extension, and the MkDocs plugin.
"""

from __future__ import annotations

from qmsdocs.findings import Finding, QMSDataError, Severity
from qmsdocs.layout import Layout
from qmsdocs.references import Citation, ClauseLink, Recognizer
from qmsdocs.standards import Catalogue, Clause, load_builtin_catalogue, load_catalogue

__all__ = [
    "Catalogue",
    "Citation",
    "Clause",
    "ClauseLink",
    "Finding",
    "Layout",
    "QMSDataError",
    "Recognizer",
    "Severity",
    "load_builtin_catalogue",
    "load_catalogue",
]
