"""The copy's own pages: the cover, the contents and the document register.

Everything here is text of the manual's (names, titles, document data) and is escaped; only
mkdocs.yml's `copyright` is HTML, as on every page of the site.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from html import escape
from typing import Any

from qmsdocs.pdf.facts import Manual

__all__ = ["REGISTER_ANCHOR", "ContentsEntry", "contents_html", "cover_html", "register_html"]

COVER_ANCHOR = "pdf-cover"
CONTENTS_ANCHOR = "pdf-contents"
REGISTER_ANCHOR = "pdf-register"


def _fact(label: str, value: object) -> str:
    return f"<dt>{escape(label)}</dt><dd>{escape(str(value))}</dd>" if value else ""


def cover_html(manual: Manual) -> str:
    document = manual.document or {}
    approved = ", ".join(
        str(part) for part in (document.get("approved_by"), document.get("approved_on")) if part
    )
    facts = "".join(
        (
            _fact("Document", document.get("id")),
            _fact("Revision", document.get("revision")),
            _fact("Status", document.get("status_label")),
            _fact("Owner", document.get("owner")),
            _fact("Approved", approved),
            _fact("Effective from", document.get("effective")),
            _fact("Next review", document.get("next_review")),
            _fact("Date of this copy", manual.date.isoformat()),
        )
    )
    organisation = (
        f'<p class="qms-pdf-organisation">{escape(manual.organisation)}</p>'
        if manual.organisation
        else ""
    )
    where = (
        f' at <a href="{escape(manual.site_url)}">{escape(manual.site_url)}</a>'
        if manual.site_url
        else ""
    )
    # `notice` is HTML: fixed words and the escaped `where`.
    if manual.controlled:
        status = "controlled"
        notice = (
            "This is a controlled copy of the manual. It is withdrawn and replaced when a new "
            f"revision is issued; the published manual{where} is the master."
        )
        issue = (
            '<dl class="qms-pdf-issue"><dt>Issued to</dt><dd></dd>'
            "<dt>Copy number</dt><dd></dd></dl>"
        )
    else:
        status = "uncontrolled"
        notice = (
            "This copy is uncontrolled once printed or saved. Before relying on it, check that "
            f"its revisions are still those of the published manual{where}."
        )
        issue = ""
    rights = f'<p class="qms-pdf-copyright">{manual.copyright}</p>' if manual.copyright else ""
    return f"""<section class="qms-pdf-cover" id="{COVER_ANCHOR}" data-running="">
{organisation}
<h1 class="qms-pdf-title" style="bookmark-level: none">{escape(manual.title)}</h1>
<p class="qms-pdf-copy qms-pdf-copy--{status}">{escape(manual.copy_label)}</p>
<dl class="qms-pdf-facts">{facts}</dl>
{issue}
<p class="qms-pdf-notice">{notice}</p>
{rights}
</section>"""


@dataclass(frozen=True)
class ContentsEntry:
    """A line of the contents: a title, how deep it sits, and its anchor (None: a heading
    without a page of its own, such as a navigation section)."""

    title: str
    depth: int
    anchor: str | None


def contents_html(entries: Sequence[ContentsEntry], running: str) -> str:
    lines = []
    for entry in entries:
        title = escape(entry.title)
        depth = min(entry.depth, 4)
        if entry.anchor is None:
            lines.append(f'<li class="qms-pdf-toc-{depth} qms-pdf-toc-section">{title}</li>')
        else:
            link = f'<a href="#{escape(entry.anchor)}">{title}</a>'
            lines.append(f'<li class="qms-pdf-toc-{depth}">{link}</li>')
    items = "\n".join(lines)
    return f"""<section class="qms-pdf-contents" id="{CONTENTS_ANCHOR}" \
data-running="{escape(running)}">
<h1 style="bookmark-level: 1">Contents</h1>
<ul class="qms-pdf-toc">
{items}
</ul>
</section>"""


def register_html(
    rows: Sequence[Mapping[str, Any]], anchors: Mapping[str, str], running: str, today: str
) -> str:
    """The document register: every controlled page, with a link to it in this copy."""
    body = []
    for row in rows:
        anchor = anchors.get(str(row["page"]))
        title = escape(str(row["title"]))
        if anchor:
            title = f'<a href="#{escape(anchor)}">{title}</a>'
        approved = " ".join(
            escape(str(part)) for part in (row.get("approved_by"), row.get("approved_on")) if part
        )
        state = str(row.get("review_state") or "ok")
        review = escape(str(row.get("next_review") or ""))
        if state == "overdue":
            review += ' <span class="qms-pdf-overdue">overdue</span>'
        elif state == "due-soon":
            review += ' <span class="qms-pdf-due">due soon</span>'
        cells = (
            escape(str(row["id"])),
            title,
            escape(str(row["revision"])),
            escape(str(row.get("status_label") or row.get("status") or "")),
            escape(str(row.get("owner") or "")),
            approved,
            review,
        )
        body.append("<tr>" + "".join(f"<td>{cell}</td>" for cell in cells) + "</tr>")
    rows_html = (
        "\n".join(body) or '<tr><td colspan="7">No page is under document control.</td></tr>'
    )
    return f"""<section class="qms-pdf-register" id="{REGISTER_ANCHOR}" \
data-running="{escape(running)}">
<h1 style="bookmark-level: 1">Document register</h1>
<p>The controlled documents of this manual on {escape(today)}: each page's own document \
control panel gives the same data.</p>
<table>
<thead><tr><th>Document</th><th>Title</th><th>Revision</th><th>Status</th><th>Owner</th>\
<th>Approved</th><th>Next review</th></tr></thead>
<tbody>
{rows_html}
</tbody>
</table>
</section>"""
