"""Clause tables: rows of a page's tables whose first cell is a clause of the manual's standard.

Such a row is evidence for the page itself (a "table" row) or, on a mapping page, for the page
it names (see `qmsdocs.scan.mapping`). A table counts only when it belongs to the manual's
standard: its header or the text above it names the standard, or it names no standard and
either its header says that the first column holds clauses or most rows give the clause's own
title.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from qmsdocs.manual import title_matches
from qmsdocs.references import Recognizer
from qmsdocs.scan.facts import Body, Heading, Row
from qmsdocs.scan.text import MARKUP_RE, norm, shorten, standards_named
from qmsdocs.standards import Catalogue

__all__ = ["clause_rows"]

_TABLE_LINE_RE = re.compile(r"^[ ]{0,3}\|")
_SEPARATOR_RE = re.compile(r"^[ ]{0,3}\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$")
_CELL_SPLIT_RE = re.compile(r"(?<!\\)\|")
_CELL_CLAUSE_RE = re.compile(
    r"^(?:(?:sub-?)?clause|section|kapitel|abschnitt|§)?\s*"
    r"(?P<number>\d{1,2}(?:\.\d{1,2}){0,4})\.?(?:[\s:–—-]+(?P<title>.*))?$",
    re.IGNORECASE,
)
_CLAUSE_HEADER_RE = re.compile(
    r"clause|section|§|kapitel|abschnitt|norm|standard|requirement|anforderung|\biso\b|^nr\.?$"
    r"|^no\.?$|^ref",
    re.IGNORECASE,
)
_TITLE_HEADER_RE = re.compile(
    r"title|titel|requirement|anforderung|heading|überschrift|bezeichnung|thema|topic|subject"
    r"|description|beschreibung|inhalt",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class _Table:
    start: int  # index of the header line
    header: list[str]
    body: list[tuple[int, list[str]]]  # (line index, cells)


@dataclass(frozen=True)
class _ClauseCell:
    """A body row whose first cell is a clause with requirements."""

    index: int
    clause: str
    title: str | None
    rest: list[str]  # the cells after the number (and after the title, when it has its own)


def _split_cells(line: str) -> list[str]:
    text = line.strip()
    if text.startswith("|"):
        text = text[1:]
    if text.endswith("|") and not text.endswith("\\|"):
        text = text[:-1]
    return [cell.strip() for cell in _CELL_SPLIT_RE.split(text)]


def _starts_table(lines: list[str], index: int, code_lines: set[int]) -> bool:
    """A header line followed by a separator line ("|---|---|")."""
    return (
        index not in code_lines
        and bool(_TABLE_LINE_RE.match(lines[index]))
        and index + 1 < len(lines)
        and bool(_SEPARATOR_RE.match(lines[index + 1]))
        and "-" in lines[index + 1]
    )


def _tables(lines: list[str], code_lines: set[int]) -> Iterator[_Table]:
    index = 0
    while index < len(lines):
        if not _starts_table(lines, index, code_lines):
            index += 1
            continue
        start = index
        index += 2
        body: list[tuple[int, list[str]]] = []
        while index < len(lines) and _TABLE_LINE_RE.match(lines[index]):
            body.append((index, _split_cells(lines[index])))
            index += 1
        yield _Table(start, _split_cells(lines[start]), body)


def _clause_cell(
    index: int, cells: list[str], header: list[str], catalogue: Catalogue
) -> _ClauseCell | None:
    if not cells:
        return None
    match = _CELL_CLAUSE_RE.match(MARKUP_RE.sub("", cells[0]).strip())
    if match is None:
        return None
    clause = catalogue.get(match.group("number"))
    if clause is None or not clause.requirements:
        return None
    title = match.group("title")
    rest = cells[1:]
    if not title and rest:
        # "| 4.1 | Understanding the organization ... |": the title may have a cell of its own.
        title_cell = len(header) > 1 and _TITLE_HEADER_RE.search(header[1])
        if title_cell or (clause.title and title_matches(norm(rest[0]), clause.title)):
            title, rest = rest[0], rest[1:]
    return _ClauseCell(index, clause.id, title, rest)


def _mostly_clauses(table: _Table, cells: list[_ClauseCell]) -> bool:
    """Whether at least half of the table's filled rows are clause rows."""
    filled = [row for _i, row in table.body if any(c.strip() for c in row)]
    return bool(cells) and len(cells) * 2 >= len(filled)


def _looks_like_clause_table(
    table: _Table, cells: Sequence[_ClauseCell], catalogue: Catalogue
) -> bool:
    """For a table that names no standard: the rows give the clauses' own titles or, without
    titles, the header says that the first column holds clauses."""
    titled = [(cell.clause, cell.title) for cell in cells if cell.title]
    if titled:
        matching = [
            clause_id
            for clause_id, title in titled
            if title_matches(norm(title), catalogue[clause_id].title or "")
        ]
        return len(matching) * 2 >= len(titled)
    return bool(table.header) and bool(_CLAUSE_HEADER_RE.search(table.header[0]))


def _belongs_to_standard(
    table: _Table,
    cells: Sequence[_ClauseCell],
    context: str,
    foreign: tuple[str, ...],
    catalogue: Catalogue,
    recognizer: Recognizer,
) -> bool:
    # Whose clauses are these? The header, else the text since the last heading, else the
    # page; a table that names no standard must look like a clause table.
    ours, others = standards_named(" ".join(table.header), recognizer, catalogue)
    if not ours and not others:
        ours, others = standards_named(context, recognizer, catalogue)
    if ours:
        return True
    if others or foreign:
        return False
    return _looks_like_clause_table(table, cells, catalogue)


def _text_above(table: _Table, body: Body, headings: Sequence[Heading]) -> str:
    """The text from the last heading above the table (that heading included) to the table."""
    line_of_table = body.first_line + table.start
    previous = max((h.line for h in headings if h.line < line_of_table), default=body.first_line)
    return "\n".join(body.lines[previous - body.first_line : table.start])


def clause_rows(
    body: Body,
    headings: Sequence[Heading],
    foreign: tuple[str, ...],
    catalogue: Catalogue,
    recognizer: Recognizer,
) -> list[Row]:
    """Rows of the page's tables whose first cell is a clause of the manual's standard.

    Arguments:
        foreign: Other standards the page names without naming the manual's.
    """
    rows: list[Row] = []
    for table in _tables(body.lines, body.code_lines):
        candidates = (_clause_cell(i, cells, table.header, catalogue) for i, cells in table.body)
        cells = [cell for cell in candidates if cell is not None]
        if not _mostly_clauses(table, cells):
            continue
        context = _text_above(table, body, headings)
        if not _belongs_to_standard(table, cells, context, foreign, catalogue, recognizer):
            continue
        for cell in cells:
            text = shorten(body.lines[cell.index])
            rows.append(Row(body.first_line + cell.index, cell.clause, text, tuple(cell.rest)))
    return rows
