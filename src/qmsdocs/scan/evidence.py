"""Putting the pages together: each page's evidence, its suggested front matter, and the
coverage the suggestions would give (`scan_sources`)."""

from __future__ import annotations

from collections.abc import Sequence

from qmsdocs.coverage import compute_coverage
from qmsdocs.manual import HeadingMode
from qmsdocs.records import Declaration, Exclusion
from qmsdocs.references import Recognizer
from qmsdocs.scan.facts import PageFacts
from qmsdocs.scan.headings import finish_page
from qmsdocs.scan.mapping import RowEvidence, sort_rows
from qmsdocs.scan.model import ADDRESS_KINDS, PageScan, ScanResult
from qmsdocs.scan.read import read_page_facts
from qmsdocs.scan.suggest import suggest
from qmsdocs.standards import Catalogue

__all__ = ["scan_sources"]


def _page_scan(fact: PageFacts, rows: RowEvidence, catalogue: Catalogue) -> PageScan:
    scan = finish_page(fact, catalogue, fact.page in rows.mapping_pages)
    scan.addresses += rows.own[fact.page] + rows.mapped[fact.page]
    scan.mentions += rows.mentions[fact.page]
    scan.addresses.sort(
        key=lambda e: (catalogue[e.clause].order, ADDRESS_KINDS.index(e.kind), e.line or 0)
    )
    scan.mentions.sort(key=lambda e: (e.line or 0, catalogue[e.clause].order))
    scan.suggestion = suggest(fact, scan, catalogue)
    return scan


def _declarations(scan: PageScan, fact: PageFacts, catalogue: Catalogue) -> list[Declaration]:
    """The page's addresses as the build would declare them, for the coverage summary."""
    declarations: list[Declaration] = []
    for evidence in scan.addresses:
        heading = evidence.kind == "heading"
        declarations.append(
            Declaration(
                catalogue=catalogue.id,
                clause=evidence.clause,
                page=fact.page,
                line=evidence.line,
                section_title=evidence.text if heading else None,
                source="heading" if heading else "front-matter",
                document_status=fact.status,
            )
        )
    return declarations


def scan_sources(
    sources: Sequence[tuple[str, str]],
    catalogue: Catalogue,
    *,
    heading_mode: HeadingMode = "titles",
    parent_covers_children: bool = True,
    mapping_tables: bool = True,
) -> ScanResult:
    """Scan `(docs-relative path, Markdown source)` pairs (see the docstring of `qmsdocs.scan`).

    Arguments:
        heading_mode: The plugin's `heading_coverage` option: which headings the build counts.
        parent_covers_children: The plugin's option of that name, for the coverage summary.
        mapping_tables: Whether rows of one page's mapping table count for the pages they name.
    """
    recognizer = Recognizer([catalogue])
    facts = [read_page_facts(p, t, catalogue, recognizer, heading_mode) for p, t in sources]
    rows = sort_rows(facts, mapping_tables=mapping_tables)
    pages: list[PageScan] = []
    declarations: list[Declaration] = []
    exclusions: list[Exclusion] = []
    for fact in facts:
        scan = _page_scan(fact, rows, catalogue)
        pages.append(scan)
        declarations += _declarations(scan, fact, catalogue)
        exclusions += fact.exclusions
    coverage = compute_coverage(
        catalogue, declarations, exclusions, parent_covers_children=parent_covers_children
    )
    return ScanResult(catalogue, pages, coverage)
