"""The front matter that makes the build count what the scan found.

It lists the clauses the build would not count anyway: a clause that a heading the build counts
(the plugin's `heading_coverage`) already covers is left out. When headings the build would
count are mentions here, the front matter turns heading coverage off for that page
(`qmsdocs: {heading_coverage: "off"}`) and lists every clause the page addresses, so that the
build agrees with the scan. A clause below one already listed is left out (a declaration covers
its subclauses).
"""

from __future__ import annotations

from collections.abc import Iterable

from qmsdocs.scan.facts import PageFacts
from qmsdocs.scan.model import PageScan, Suggestion
from qmsdocs.standards import Catalogue

__all__ = ["suggest"]


def _within(clause: str, clauses: Iterable[str]) -> bool:
    """Whether `clause` is one of `clauses` or below one of them."""
    return any(clause == c or clause.startswith(c + ".") for c in clauses)


def _turn_headings_off(fact: PageFacts, scan: PageScan) -> bool:
    """Whether the page's heading coverage must be turned off: headings the build counts are
    mentions here."""
    counted_mentions = [e for e in scan.mentions if e.line in fact.counted_headings]
    if not counted_mentions or fact.headings_off:
        return False
    if fact.has_qmsdocs_options:
        # Merging into an existing qmsdocs: mapping is not done automatically.
        scan.notes.append(
            "headings here cite clauses the scan takes as mentions, but the page already has "
            "qmsdocs: options; add heading_coverage: off there by hand"
        )
        return False
    return True


def suggest(fact: PageFacts, scan: PageScan, catalogue: Catalogue) -> Suggestion:
    """The front matter that makes the build count what the scan found on the page."""
    heading_off = _turn_headings_off(fact, scan)
    by_headings: set[str] = set()
    if not (heading_off or fact.headings_off):
        # Clauses the build takes from the page's headings need no front matter.
        by_headings = {
            e.clause
            for e in scan.addresses
            if e.kind == "heading" and e.line in fact.counted_headings
        }
    wanted = {
        e.clause
        for e in scan.addresses
        if e.kind != "declared" and not _within(e.clause, by_headings)
    }
    existing = list(fact.declared_ids)
    chosen = set(existing)
    new: list[str] = []
    # Tree order puts a parent before its children, so `new` holds no clause below another.
    for clause in sorted(wanted, key=lambda c: catalogue[c].order):
        if not _within(clause, chosen):  # declared already, or an enclosing clause is
            new.append(clause)
            chosen.add(clause)
    return Suggestion(tuple(existing + new) if new else None, heading_off)
