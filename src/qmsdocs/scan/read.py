"""Reading one page: its front matter, headings, clause tables and prose citations, as facts
that `scan_sources` then puts together with the other pages'."""

from __future__ import annotations

from qmsdocs.manual import (
    FrontMatter,
    HeadingMode,
    cite_heading,
    iter_source_headings,
    read_front_matter,
)
from qmsdocs.references import Recognizer
from qmsdocs.scan.devoted import DevotedReader, PageTitle
from qmsdocs.scan.facts import Body, Heading, PageFacts
from qmsdocs.scan.model import Evidence
from qmsdocs.scan.statements import ProseReader
from qmsdocs.scan.tables import clause_rows
from qmsdocs.scan.text import standards_named
from qmsdocs.sourcefiles import mask_code, split_front_matter
from qmsdocs.standards import Catalogue

__all__ = ["read_page_facts"]


def _read_headings(
    body: str,
    body_line: int,
    page_mode: HeadingMode | None,
    heading_mode: HeadingMode,
    catalogue: Catalogue,
    recognizer: Recognizer,
) -> tuple[list[Heading], set[int]]:
    """The page's headings with the clause each cites, and the lines of those the build counts.

    Arguments:
        page_mode: The page's own `heading_coverage` (front matter), if it sets one.
        heading_mode: The site's `heading_coverage`.
    """
    # Headings are judged even where the build counts none ("off"): the scan may still find
    # that they address clauses, and say so in front matter.
    judge_mode: HeadingMode = (
        page_mode
        if page_mode in ("titles", "numbers")
        else heading_mode
        if heading_mode != "off"
        else "titles"
    )
    build_mode = page_mode or heading_mode
    headings: list[Heading] = []
    counted: set[int] = set()
    for text, level, line in iter_source_headings(body, body_line):
        cited = cite_heading(text, catalogue, recognizer, judge_mode)
        if cited is None:
            headings.append(Heading(text, level, line, None))
        else:
            headings.append(Heading(text, level, line, cited.clause, cited.rule))
        if build_mode != "off" and cite_heading(text, catalogue, recognizer, build_mode):
            counted.add(line)
    return headings, counted


def _title(front: FrontMatter, headings: list[Heading]) -> str | None:
    """The front matter's title, else the first top-level heading."""
    title = front.data.get("title")
    if isinstance(title, str):
        return title
    return next((h.text for h in headings if h.level == 1), None)


def _titles(front: FrontMatter, raw: str | None, headings: list[Heading]) -> list[PageTitle]:
    """The page's titles with their lines: front matter `title:` and the level-1 heading that
    opens the body (a page may have both, and either may name the clause)."""
    titles: list[PageTitle] = []
    title = front.data.get("title")
    if isinstance(title, str) and raw is not None:
        # The YAML starts on line 2, after the opening "---".
        lines = raw.splitlines()
        index = next((i for i, text in enumerate(lines) if text.startswith("title:")), None)
        if index is not None:
            titles.append(PageTitle(title, index + 2))
    if headings and headings[0].level == 1:
        titles.append(PageTitle(headings[0].text, headings[0].line))
    return titles


def _foreign(body: Body, catalogue: Catalogue, recognizer: Recognizer) -> tuple[str, ...]:
    """The other standards the page names, when it does not name the manual's: a page about
    another standard cites that standard's clauses."""
    ours, others = standards_named(body.masked, recognizer, catalogue)
    return tuple(others) if others and not ours else ()


def read_page_facts(
    page: str,
    text: str,
    catalogue: Catalogue,
    recognizer: Recognizer,
    heading_mode: HeadingMode,
) -> PageFacts:
    """What one page says (`page`: docs-relative path; `text`: its whole source)."""
    front = read_front_matter(page, text, catalogue, recognizer)
    raw, body_text, body_line = split_front_matter(text)
    masked, fenced = mask_code(body_text)
    body = Body(masked, masked.split("\n"), fenced, body_line)
    foreign = _foreign(body, catalogue, recognizer)
    page_mode = front.options.heading_coverage
    headings, counted = _read_headings(
        body_text, body_line, page_mode, heading_mode, catalogue, recognizer
    )
    rows = clause_rows(body, headings, foreign, catalogue, recognizer)
    prose = ProseReader(page, body, headings, foreign, catalogue, recognizer)
    statements, mentions = prose.read({row.line for row in rows})
    devoted = DevotedReader(
        page, body, headings, _titles(front, raw, headings), catalogue, recognizer
    ).evidence(rows, statements, foreign)
    return PageFacts(
        page=page,
        title=_title(front, headings),
        declared=[
            Evidence(d.clause, "declared", page, d.line, "front matter clauses:")
            for d in front.clauses
        ],
        declared_ids=tuple(dict.fromkeys(d.clause for d in front.clauses)),
        exclusions=front.exclusions,
        status=front.document.status if front.document else None,
        headings=headings,
        counted_headings=counted,
        statements=statements,
        prose_mentions=mentions,
        rows=rows,
        foreign=foreign,
        has_qmsdocs_options="qmsdocs" in front.data,
        headings_off=page_mode == "off",
        findings=front.findings,
        devoted=devoted,
    )
