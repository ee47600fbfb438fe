"""The scan as text (`qmsdocs scan`): page by page, then the coverage the suggestions would
give and what `--write` did or would do."""

from __future__ import annotations

from collections import defaultdict

from qmsdocs.scan.model import ADDRESS_KINDS, Evidence, PageScan, ScanResult

__all__ = ["format_report"]

_KIND_LABELS = {
    "declared": "front matter",
    "heading": "heading",
    "statement": "statement",
    "devoted": "page devoted to the clause: its title/opening names it",
    "table": "table row",
    "mapping": "mapping row",
}
_INDENT = " " * 12  # under the text after "  addresses " and "  suggest   "


def _places(kind: str, chosen: list[Evidence]) -> str:
    if kind == "mapping":
        return ", ".join(e.where for e in chosen)
    if any(e.line for e in chosen):
        return "line " + ", ".join(str(e.line) for e in chosen if e.line)
    return ""


def _evidence_summary(items: list[Evidence]) -> str:
    parts: list[str] = []
    for kind in ADDRESS_KINDS:
        chosen = [e for e in items if e.kind == kind]
        if not chosen:
            continue
        places = _places(kind, chosen)
        label = _KIND_LABELS[kind]
        if kind == "heading":
            label += " '" + chosen[0].text + "'" + (" ..." if len(chosen) > 1 else "")
        parts.append(f"{label} ({places})" if places else label)
    return "; ".join(parts)


def _wrap_ids(ids: list[str], width: int = 80) -> str:
    text = ", ".join(ids)
    if len(text) <= width:
        return text
    out, line = [], ""
    for clause_id in ids:
        piece = clause_id + ", "
        if len(line) + len(piece) > width:
            out.append(line.rstrip())
            line = ""
        line += piece
    out.append(line.rstrip(", "))
    return ("\n" + _INDENT).join(out)


def _explained_mentions(page: PageScan) -> list[str]:
    """Why citations that might look like more are only mentions, line by line."""
    explained: dict[tuple[int, str], list[str]] = defaultdict(list)
    for evidence in page.mentions:
        # Mapping rows are mentions on their own page by design: nothing to explain there.
        if (
            evidence.note
            and evidence.line is not None
            and not evidence.note.startswith("mapping row")
        ):
            explained[(evidence.line, evidence.note)].append(evidence.clause)
    return [
        f"    line {line}: {', '.join(ids)} only mentioned: {note}"
        for (line, note), ids in explained.items()
    ]


def _suggestion_lines(page: PageScan, result: ScanResult) -> list[str]:
    if not page.suggestion.changes:
        return []
    skipped = result.skipped.get(page.page)
    if skipped is not None:
        verb = "skipped"
    else:
        verb = "wrote" if page.page in result.written else "suggest"
    lines = [f"  {verb:<9} " + "; ".join(page.suggestion.entries())]
    if skipped is not None:
        lines.append(f"{_INDENT}({skipped})")
    return lines


def _page_lines(page: PageScan, result: ScanResult) -> list[str]:
    title = f"  ({page.title})" if page.title else ""
    lines = [f"{page.page}{title}"]
    by_clause: dict[str, list[Evidence]] = defaultdict(list)
    for evidence in page.addresses:
        by_clause[evidence.clause].append(evidence)
    for clause_id, items in by_clause.items():
        lines.append(f"  addresses {clause_id:<8} {_evidence_summary(items)}")
    mentioned = list(dict.fromkeys(e.clause for e in page.mentions))
    if mentioned:
        lines.append("  mentions  " + _wrap_ids(mentioned))
    lines += _explained_mentions(page)
    if page.mapping_page:
        lines.append("  a mapping page: its rows count for the pages they name")
    lines += [f"  note: {note}" for note in page.notes]
    lines += _suggestion_lines(page, result)
    return lines


def _coverage_lines(result: ScanResult) -> list[str]:
    catalogue = result.catalogue
    overall = result.coverage.summary()
    lines = [
        f"Coverage with these suggestions: {overall.covered} of {overall.required} "
        f"lowest-level clauses of {catalogue.label} addressed, {overall.not_applicable} not "
        f"applicable, {overall.missing} missing ({overall.percent} % of the applicable ones)."
    ]
    missing = result.coverage.missing()
    if missing:
        lines.append("Required clauses nothing seems to address:")
        lines += [
            f"  {c.id:<8} {c.title or '(' + catalogue.context_title(c.id) + ')'}" for c in missing
        ]
    return lines


def _outcome_lines(result: ScanResult, written: bool) -> list[str]:
    """What `--write` did, or would do."""
    if written:
        lines = [
            f"Wrote front matter to {len(result.written)} page(s)"
            + (f"; skipped {len(result.skipped)} (see above)." if result.skipped else ".")
        ]
        if result.config_file is None and result.written:
            lines.append(
                "This folder has no mkdocs.yml: point docs_dir of a site with the qmsdocs "
                "plugin at it (or start one with `qmsdocs init`) to check and build it."
            )
        return lines
    changing = [p.page for p in result.pages if p.suggestion.changes]
    if changing:
        return [
            f"Nothing was changed. `qmsdocs scan --write` adds the suggested front matter to "
            f"{len(changing)} page(s)."
        ]
    return ["Nothing to change: the front matter already says what the pages address."]


def format_report(result: ScanResult, *, written: bool = False) -> str:
    """The scan as text, page by page, then the coverage the suggestions would give."""
    where = result.config_file or result.docs_dir
    lines = [
        f"qmsdocs scan: {len(result.pages)} pages of {where} against {result.catalogue.label}",
        "",
    ]
    silent: list[str] = []
    for page in result.pages:
        if not page.addresses and not page.mentions and not page.notes:
            silent.append(page.page)
            continue
        lines += _page_lines(page, result)
        lines.append("")
    if silent:
        lines += [f"No clause citations: {', '.join(silent)}", ""]
    lines += _coverage_lines(result)
    lines += _outcome_lines(result, written)
    return "\n".join(lines) + "\n"
