"""Document control in real `mkdocs build`s: panels, history, banners, the register, exports,
findings, coverage by document status, git dates, reproducibility, and `qmsdocs check`."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import re
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from mkdocs.exceptions import Abort
from testfixtures import LogCapture

from qmsdocs.cli import main

from .conftest import Site, build_site, naming, one_per_finding, write_site


def epoch(year: int, month: int, day: int) -> str:
    return str(int(dt.datetime(year, month, day, tzinfo=dt.UTC).timestamp()))


TODAY = dt.date(2026, 6, 1)  # "today" of every build here, through SOURCE_DATE_EPOCH


@pytest.fixture(autouse=True)
def build_date(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch(TODAY.year, TODAY.month, TODAY.day))


FIELDS: dict[str, str] = {
    "id": "QM-01",
    "revision": '"1"',
    "status": "effective",
    "owner": "Quality Manager",
    "approved_by": "Managing Director",
    "approved_on": "2026-02-20",
    "effective": "2026-03-01",
    "review_due": "2027-03-01",
}
FIRST_ISSUE = '{revision: "1", date: 2026-02-20, author: A. Author, change: First issue}'


def controlled(
    heading: str = "Procedure",
    *,
    history: list[str] | None = None,
    before: str = "",
    body: str = "Lorem ipsum dolor.",
    **changes: str | None,
) -> str:
    """A controlled page. With the defaults its lines are:

    1 ---, 2 document:, 3 id, 4 revision, 5 status, 6 owner, 7 approved_by, 8 approved_on,
    9 effective, 10 review_due, 11 history:, 12 the first history entry.
    A field added through `changes` comes after review_due (line 11, history then on 12);
    `before` adds a front matter line before the block (every line after it moves down one).
    """
    fields = {**FIELDS, **changes}
    lines = ["---", *([before] if before else []), "document:"]
    lines += [f"  {key}: {value}" for key, value in fields.items() if value is not None]
    entries = [FIRST_ISSUE] if history is None else history
    if entries:
        lines.append("  history:")
        lines += [f"    - {entry}" for entry in entries]
    lines += ["---", "", f"# {heading}", "", body, ""]
    return "\n".join(lines)


def qms(**options: Any) -> list[Any]:
    return ["search", {"qmsdocs": options}]


def gate_message(caplog: pytest.LogCaptureFixture) -> str:
    (record,) = [
        r
        for r in caplog.records
        if r.name == "mkdocs.commands.build" and "the manual was not published" in r.getMessage()
    ]
    return record.getMessage()


def listed_errors(message: str) -> list[str]:
    return re.findall(r"^  - (.*)$", message, re.MULTILINE)


def warnings_of(plugin_log: LogCapture) -> list[str]:
    """The warnings the plugin logged (without the "qmsdocs: " prefix), marked as checked."""
    messages = [
        m.removeprefix("qmsdocs: ") for level, m in plugin_log.actual() if level == "WARNING"
    ]
    plugin_log.mark_all_checked()
    return messages


def missing_clauses(message: str) -> list[str]:
    listed = one_per_finding(re.findall(r"^  - (.*)$", message, re.MULTILINE))
    return [
        m.group(1)
        for m in (re.match(r"clause (\S+) .*\[missing-clause\]$", e) for e in listed)
        if m
    ]


def between(html: str, start: str, end: str) -> str:
    begin = html.index(start)
    return html[begin : html.index(end, begin)]


def panel(html: str) -> str:
    return between(html, '<div class="qms-doc-control" id="document-control">', "</dl>")


def panel_fields(html: str) -> dict[str, str]:
    fields = re.findall(r"<dt>([^<]+)</dt><dd[^>]*>(.*?)</dd>", panel(html))
    return {name: re.sub(r"<[^>]+>", "", value) for name, value in fields}


def resolve(site: Site, from_html: str, href: str) -> Path:
    """The file a relative link in a built page leads to."""
    path = href.partition("#")[0]
    target = ((site.site_dir / from_html).parent / path).resolve()
    return target / "index.html" if target.is_dir() else target


# The shared manual: built once per `use_directory_urls` for the tests that only read it ---------
#
# Document ids in register order (case-insensitive): QM-02, QM-04, QM-09, qm-10, QP-07; their
# pages are in another order, so sorting by page would show.

SCRIPT = "<script>alert(1)</script>"
MANUAL: dict[str, str] = {
    "index.md": "# Home\n\nAn uncontrolled page.\n",
    "procedures/qp-07.md": controlled(
        "Document control procedure",
        id="QP-07",
        title='"Control of documented information"',
        revision='"3"',
        owner=f"'{SCRIPT} \"quotes\"'",
        history=[
            f'{{revision: "3", date: 2026-02-20, author: J. Doe, change: \'{SCRIPT} "now"\'}}',
            '{revision: "2", date: 2025-02-11, author: J. Doe, change: Annual review}',
        ],
    ),
    "manual/context.md": controlled(
        "Context of the organization",
        id="QM-04",
        revision='"1"',
        review_due=None,
        approved_on="2025-06-15",
        effective="2025-07-01",
        review_interval="12 months",  # from approval: 2026-06-15, due within 30 days
        history=['{revision: "1", date: 2025-06-15, author: R. Okafor, change: First issue}'],
    ),
    "manual/draft.md": controlled(
        "Draft work instruction",
        id="qm-10",
        status="draft",
        owner="\"=cmd|' /C calc'!A0\"",
        approved_by=None,
        approved_on=None,
        effective=None,
        review_due="2026-05-01",  # overdue (a warning in this manual, see CHECKS)
    ),
    "manual/old.md": controlled(
        "Old quality policy",
        id="QM-02",
        status="superseded",
        review_due="2026-01-01",  # superseded: never overdue
    ),
    "manual/review.md": controlled(
        "Management review",
        id="QM-09",
        status="in-review",
        revision='"2"',
        approved_by=None,
        approved_on=None,
        effective=None,
        review_due="2026-12-01",
        history=['{revision: "2", date: 2026-05-20, author: J. Doe, change: Agenda}'],
    ),
}
# id, page, title, revision, status, next review, review state
REGISTER = [
    ("QM-02", "manual/old.md", "Old quality policy", "1", "superseded", "2026-01-01", "none"),
    (
        "QM-04",
        "manual/context.md",
        "Context of the organization",
        "1",
        "effective",
        "2026-06-15",
        "due-soon",
    ),
    ("QM-09", "manual/review.md", "Management review", "2", "in-review", "2026-12-01", "ok"),
    ("qm-10", "manual/draft.md", "Draft work instruction", "1", "draft", "2026-05-01", "overdue"),
    (
        "QP-07",
        "procedures/qp-07.md",
        "Control of documented information",
        "3",
        "effective",
        "2027-03-01",
        "ok",
    ),
]
REGISTER_KEYS = ("id", "page", "title", "revision", "status", "next_review", "review_state")
MANUAL_WARNINGS = [
    "manual/context.md:2: document QM-04 is due for review on 2026-06-15 (in 14 days) "
    "(plan its review) [review-due-soon]",
    "manual/draft.md:2: document qm-10 was due for review on 2026-05-01 (31 days ago) "
    "(review it and record the new revision, or set a new review_due) [review-overdue]",
]
CHECKS = {"review-overdue": "warning"}


class Built:
    def __init__(self, site: Site, warnings: list[str]) -> None:
        self.site = site
        self.warnings = warnings

    def register_path(self) -> str:
        return "documents/index.html" if self.site.config.use_directory_urls else "documents.html"


@pytest.fixture(scope="module")
def manual(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[[bool], Built]]:
    """`manual(use_directory_urls)`: the shared manual, built once per setting."""
    cache: dict[bool, Built] = {}

    def get(directory_urls: bool = True) -> Built:
        if directory_urls not in cache:
            root = tmp_path_factory.mktemp(f"manual-{directory_urls}")
            with (
                pytest.MonkeyPatch.context() as patch,
                LogCapture("mkdocs.plugins.qmsdocs", attributes=("levelname", "getMessage")) as log,
            ):
                patch.setenv("SOURCE_DATE_EPOCH", epoch(TODAY.year, TODAY.month, TODAY.day))
                site = build_site(
                    root, MANUAL, use_directory_urls=directory_urls, plugins=qms(checks=CHECKS)
                )
                warnings = [
                    m.removeprefix("qmsdocs: ") for lvl, m in log.actual() if lvl == "WARNING"
                ]
            cache[directory_urls] = Built(site, warnings)
        return cache[directory_urls]

    yield get


def register_rows(html: str) -> list[dict[str, str]]:
    table = between(html, '<div class="qms-table qms-register">', "</table>")
    rows = []
    for row in re.findall(r'<tr class="qms-register-row[^"]*">.*?</tr>', table, re.DOTALL):
        state = re.search(r"qms-review-row--([a-z-]+)", row)
        cells = re.findall(r"<td[^>]*>(.*?)</td>", row, re.DOTALL)
        link = re.search(r'<a href="([^"]*)">([^<]*)</a>', cells[1])
        assert state is not None and link is not None, row
        rows.append(
            {
                "id": cells[0],
                "href": link.group(1),
                "title": link.group(2),
                "revision": cells[2],
                "status": re.sub(r"<[^>]+>", "", cells[3]),
                "owner": cells[4],
                "effective": cells[5],
                "next_review": cells[6],
                "state": state.group(1),
            }
        )
    return rows


def test_shared_manual_reports_exactly_its_review_warnings(manual) -> None:
    assert manual().warnings == MANUAL_WARNINGS


# Panel, history and banners ----------------------------------------------------------------


def test_panel_comes_right_after_the_title(manual) -> None:
    html = manual().site.page("procedures/qp-07.md")
    assert re.search(
        r'<h1 id="[^"]*">Document control procedure</h1>\s*'
        r'<div class="qms-doc-control" id="document-control">',
        html,
    )
    assert html.index('id="document-control"') < html.index("Lorem ipsum dolor.")


def test_panel_shows_the_document_control_fields(manual) -> None:
    html = manual().site.page("manual/context.md")
    assert panel_fields(html) == {
        "Document": "QM-04",
        "Revision": "1",
        "Status": "Effective",
        "Owner": "Quality Manager",
        "Approved": "Managing Director, 2025-06-15",
        "Effective from": "2025-07-01",
        "Next review": "2026-06-15 (due soon)",
    }


def test_panel_marks_an_overdue_review(manual) -> None:
    html = manual().site.page("manual/draft.md")
    assert '<dd class="qms-review qms-review--overdue">2026-05-01 (overdue)</dd>' in panel(html)


def test_revision_history_is_at_the_end_in_file_order(manual) -> None:
    html = manual().site.page("procedures/qp-07.md")
    assert html.index("Lorem ipsum dolor.") < html.index('id="revision-history"')
    table = between(html, '<div class="qms-table qms-doc-history">', "</table>")
    rows = re.findall(r"<tr><td>(.*?)</td><td>(.*?)</td><td>(.*?)</td><td>(.*?)</td></tr>", table)
    assert [row[:3] for row in rows] == [
        ("3", "2026-02-20", "J. Doe"),
        ("2", "2025-02-11", "J. Doe"),
    ]
    assert rows[1][3] == "Annual review"


def test_owner_is_escaped_in_the_panel(manual) -> None:
    html = manual().site.page("procedures/qp-07.md")
    assert panel_fields(html)["Owner"] == "&lt;script&gt;alert(1)&lt;/script&gt; &#34;quotes&#34;"
    assert SCRIPT not in html


def test_change_is_escaped_in_the_history(manual) -> None:
    html = manual().site.page("procedures/qp-07.md")
    table = between(html, '<div class="qms-table qms-doc-history">', "</table>")
    assert "<td>&lt;script&gt;alert(1)&lt;/script&gt; &#34;now&#34;</td>" in table
    assert "<script" not in table


def test_owner_is_escaped_in_the_register(manual) -> None:
    built = manual()
    html = built.site.html(built.register_path())
    (row,) = [r for r in register_rows(html) if r["id"] == "QP-07"]
    assert row["owner"] == "&lt;script&gt;alert(1)&lt;/script&gt; &#34;quotes&#34;"
    assert SCRIPT not in html


@pytest.mark.parametrize(
    ("page", "kind", "title", "text"),
    [
        ("manual/draft.md", "warning", "Draft document", "This is a draft."),
        ("manual/review.md", "warning", "In review document", "This document is in review."),
        ("manual/old.md", "danger", "Superseded document", "This document has been superseded"),
    ],
)
def test_banner_for_documents_not_in_force(
    manual, page: str, kind: str, title: str, text: str
) -> None:
    html = manual().site.page(page)
    banner = between(html, f'<div class="admonition {kind} qms-doc-banner">', "</div>")
    assert f'<p class="admonition-title">{title}</p>' in banner
    assert text in banner
    # Between the title and the panel.
    assert html.index("</h1>") < html.index("qms-doc-banner") < html.index('id="document-control"')


@pytest.mark.parametrize("page", ["manual/context.md", "procedures/qp-07.md"])
def test_no_banner_for_effective_documents(manual, page: str) -> None:
    assert "qms-doc-banner" not in manual().site.page(page)


def test_uncontrolled_page_has_no_panel(manual) -> None:
    html = manual().site.page("index.md")
    assert "document-control" not in html and "revision-history" not in html


# The register ------------------------------------------------------------------------------


@pytest.mark.parametrize("directory_urls", [True, False])
def test_register_lists_documents_sorted_by_id(manual, directory_urls: bool) -> None:
    built = manual(directory_urls)
    rows = register_rows(built.site.html(built.register_path()))
    assert [(r["id"], r["title"], r["revision"]) for r in rows] == [
        (doc_id, title, revision) for doc_id, _page, title, revision, *_ in REGISTER
    ]


@pytest.mark.parametrize("directory_urls", [True, False])
def test_register_links_resolve_to_the_pages(manual, directory_urls: bool) -> None:
    built = manual(directory_urls)
    path = built.register_path()
    rows = register_rows(built.site.html(path))
    for row, (doc_id, page, *_rest) in zip(rows, REGISTER, strict=True):
        target = resolve(built.site, path, row["href"])
        stem = page.removesuffix(".md")
        expected = f"{stem}/index.html" if directory_urls else f"{stem}.html"
        assert target == (built.site.site_dir / expected).resolve(), row
        assert panel_fields(target.read_text(encoding="utf-8"))["Document"] == doc_id


def test_register_shows_status_owner_effective_and_next_review(manual) -> None:
    built = manual()
    rows = register_rows(built.site.html(built.register_path()))
    assert [(r["status"], r["effective"], r["next_review"]) for r in rows] == [
        ("Superseded", "2026-03-01", "2026-01-01"),
        ("Effective", "2025-07-01", "2026-06-15 (due soon)"),
        ("In review", "", "2026-12-01"),
        ("Draft", "", "2026-05-01 (overdue)"),
        ("Effective", "2026-03-01", "2027-03-01"),
    ]
    assert rows[1]["owner"] == "Quality Manager"


def test_register_highlights_overdue_and_due_soon_reviews(manual) -> None:
    built = manual()
    html = built.site.html(built.register_path())
    states = {r["id"]: r["state"] for r in register_rows(html)}
    assert states == {doc_id: state for doc_id, *_rest, state in REGISTER}
    assert '<td class="qms-review qms-review--overdue">2026-05-01 (overdue)</td>' in html
    assert '<td class="qms-review qms-review--due-soon">2026-06-15 (due soon)</td>' in html


def test_register_says_against_which_date_and_counts(manual) -> None:
    built = manual()
    html = built.site.html(built.register_path())
    note = between(html, '<p class="qms-note">Reviews are measured against', "</p>")
    assert "2026-06-01" in note
    assert "<strong>1</strong> overdue, <strong>1</strong> due within 30 days" in note


def test_register_links_its_exports(manual) -> None:
    built = manual()
    path = built.register_path()
    html = built.site.html(path)
    for name in ("documents.json", "documents.csv"):
        (href,) = re.findall(rf'<a href="([^"]*{re.escape(name)})">', html)
        assert resolve(built.site, path, href) == (built.site.site_dir / name).resolve()


# Exports -----------------------------------------------------------------------------------


def exported(built: Built) -> tuple[dict[str, Any], list[dict[str, str]]]:
    payload = json.loads(built.site.html("documents.json"))
    rows = list(csv.DictReader(io.StringIO(built.site.html("documents.csv"))))
    return payload, rows


def test_json_export_matches_the_register(manual) -> None:
    payload, _rows = exported(manual())
    assert payload["today"] == "2026-06-01"
    assert [tuple(d[k] for k in REGISTER_KEYS) for d in payload["documents"]] == REGISTER


def test_csv_export_matches_the_json_export(manual) -> None:
    payload, rows = exported(manual())
    columns = ["id", "title", "page", "url", "revision", "status", "approved_on", "effective"]
    columns += ["next_review", "review_state"]
    assert [{c: r[c] for c in columns} for r in rows] == [
        {c: str(d[c]) for c in columns} for d in payload["documents"]
    ]


@pytest.mark.parametrize("directory_urls", [True, False])
def test_exports_agree_with_each_page(manual, directory_urls: bool) -> None:
    built = manual(directory_urls)
    payload, rows = exported(built)
    for document, row in zip(payload["documents"], rows, strict=True):
        shown = panel_fields(built.site.page(document["page"]))
        assert shown["Document"] == document["id"] == row["id"]
        assert shown["Revision"] == document["revision"] == row["revision"]
        assert shown["Status"] == document["status_label"]
        assert row["status"] == document["status"]
        assert shown["Next review"].split()[0] == document["next_review"] == row["next_review"]


def test_csv_neutralises_formulas(manual) -> None:
    payload, rows = exported(manual())
    (row,) = [r for r in rows if r["id"] == "qm-10"]
    assert row["owner"] == "'=cmd|' /C calc'!A0"
    (document,) = [d for d in payload["documents"] if d["id"] == "qm-10"]
    assert document["owner"] == "=cmd|' /C calc'!A0"


# Findings in real builds -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "history", "error"),
    [
        pytest.param(
            {"owner": None},
            None,
            "p.md:2: document.owner is missing (add owner: to the document block) "
            "[missing-document-field]",
            id="missing-field",
        ),
        pytest.param(
            {"approved_by": None},
            None,
            "p.md:2: document.approved_by is missing (required for status effective) "
            "(add approved_by: to the document block) [missing-document-field]",
            id="missing-approval",
        ),
        pytest.param(
            {"status": "released"},
            None,
            "p.md:5: document.status: 'released' is not a status "
            "(use one of draft, in-review, approved, effective, superseded) [bad-document-field]",
            id="bad-status",
        ),
        pytest.param(
            {"approved_on": '"2026-02-30"'},
            None,
            "p.md:8: document.approved_on: '2026-02-30' is not a valid date "
            "(write dates as YYYY-MM-DD, for example 2026-03-01) [bad-document-date]",
            id="bad-date",
        ),
        pytest.param(
            {"revision": '"2"'},
            None,
            "p.md:4: document.revision is '2' but the latest history entry is revision '1' "
            "(add a history entry for the new revision, or correct the revision) "
            "[revision-mismatch]",
            id="revision-mismatch",
        ),
        pytest.param(
            {"review_due": "2026-05-31"},
            None,
            "p.md:2: document QM-01 was due for review on 2026-05-31 (1 days ago) "
            "(review it and record the new revision, or set a new review_due) [review-overdue]",
            id="review-overdue",
        ),
    ],
)
def test_error_findings_stop_the_build_with_file_and_line(
    site, caplog, changes: dict[str, str | None], history: list[str] | None, error: str
) -> None:
    with pytest.raises(Abort):
        site({"p.md": controlled(history=history, **changes)})
    assert listed_errors(gate_message(caplog)) == [error]


def test_invalid_unquoted_date_is_a_finding(site, caplog) -> None:
    """YAML reads 2026-02-30 as a timestamp that does not exist; that is a finding, not a crash."""
    with pytest.raises(Abort):
        site({"p.md": controlled(approved_on="2026-02-30")})
    (error,) = listed_errors(gate_message(caplog))
    assert error.startswith("p.md:8: document.approved_on: ")
    assert error.endswith("[bad-document-date]")


def test_duplicate_id_names_the_other_page(site, caplog) -> None:
    with pytest.raises(Abort):
        site({"a.md": controlled(id="QM-01"), "b/c.md": controlled(id="qm-01")})
    assert listed_errors(gate_message(caplog)) == [
        "b/c.md:2: document id qm-01 is also used by a.md "
        "(give each controlled document its own id) [duplicate-document-id]"
    ]


@pytest.mark.parametrize(
    ("page", "warning"),
    [
        pytest.param(
            controlled(reviewer="Quality Manager"),
            "p.md:11: document.reviewer: unknown field (did you mean review_due?) "
            "[unknown-document-field]",
            id="unknown-field",
        ),
        pytest.param(
            controlled(history=['{revision: "1", date: 2026-02-20, author: A, signed: "yes"}']),
            "p.md:12: document.history: unknown field 'signed' "
            "(allowed: author, change, date, revision) [unknown-document-field]",
            id="unknown-history-field",
        ),
        pytest.param(
            controlled(review_due="2026-07-01"),
            "p.md:2: document QM-01 is due for review on 2026-07-01 (in 30 days) "
            "(plan its review) [review-due-soon]",
            id="review-due-soon",
        ),
        pytest.param(
            controlled(before="title: Procedure", owner=None),
            "p.md:3: document.owner is missing (add owner: to the document block) "
            "[missing-document-field]",
            id="line-after-other-front-matter",
        ),
    ],
)
def test_warning_findings_with_file_and_line(site, plugin_log, page: str, warning: str) -> None:
    checks = {"missing-document-field": "warning"}
    site({"p.md": page}, plugins=qms(checks=checks))
    assert warnings_of(plugin_log) == [warning]


def test_review_due_soon_follows_review_warning_days(site, plugin_log) -> None:
    site({"p.md": controlled(review_due="2026-07-01")}, plugins=qms(review_warning_days=29))
    assert warnings_of(plugin_log) == []


def test_overdue_review_fails_the_build(site, caplog, monkeypatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch(2027, 3, 2))
    with pytest.raises(Abort):
        site({"p.md": controlled(review_due="2027-03-01")})
    assert listed_errors(gate_message(caplog)) == [
        "p.md:2: document QM-01 was due for review on 2027-03-01 (1 days ago) "
        "(review it and record the new revision, or set a new review_due) [review-overdue]"
    ]


def test_same_review_date_passes_before_it_is_due(site, plugin_log, monkeypatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch(2027, 1, 15))
    built = site({"p.md": controlled(review_due="2027-03-01")})
    assert warnings_of(plugin_log) == []
    assert panel_fields(built.page("p.md"))["Next review"] == "2027-03-01"


def test_overdue_review_as_a_warning_lets_the_build_pass(site, plugin_log, monkeypatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch(2027, 3, 2))
    built = site(
        {"p.md": controlled(review_due="2027-03-01")},
        plugins=qms(checks={"review-overdue": "warning"}),
    )
    assert warnings_of(plugin_log) == [
        "p.md:2: document QM-01 was due for review on 2027-03-01 (1 days ago) "
        "(review it and record the new revision, or set a new review_due) [review-overdue]"
    ]
    assert panel_fields(built.page("p.md"))["Next review"] == "2027-03-01 (overdue)"


def test_superseded_document_is_never_overdue(site, plugin_log) -> None:
    site({"p.md": controlled(status="superseded", review_due="2020-01-01")})
    assert warnings_of(plugin_log) == []


# Coverage by document status ---------------------------------------------------------------

OTHERS = {
    "rest.md": '---\nclauses: ["4", "5", "6", "7", "9", "10"]\n---\n\n# Rest\n\n'
    + naming("4", "5", "6", "7", "9", "10")
}


@pytest.mark.parametrize(
    ("before", "body"),
    [('clauses: ["8"]', naming("8")), ("", "## 8.1 Operational planning and control")],
    ids=["front-matter", "heading"],
)
def test_superseded_document_does_not_cover_its_clauses(
    site, caplog, before: str, body: str
) -> None:
    page = controlled("Operation", status="superseded", before=before, body=body)
    with pytest.raises(Abort):
        site({**OTHERS, "old.md": page}, complete=False)
    missing = missing_clauses(gate_message(caplog))
    assert "8.1" in missing and "8.7.2" in missing
    assert all(clause.startswith("8.") for clause in missing)


def draft_operation(status: str = "draft") -> str:
    """A page in `status` that declares clause 8 and names its subclauses."""
    return controlled(
        "Operation",
        status=status,
        approved_by=None,
        approved_on=None,
        before='clauses: ["8"]',
        body=naming("8"),
    )


@pytest.mark.parametrize("status", ["draft", "in-review"])
def test_a_clause_addressed_only_by_drafts_stops_the_build(site, caplog, status: str) -> None:
    with pytest.raises(Abort):
        site({**OTHERS, "op.md": draft_operation(status)}, complete=False)
    message = gate_message(caplog)
    assert "ISO 9001:2015 8 Operation: 8.1, 8.2.1," in message
    assert "drafted, not approved" in message and "[drafted-clause]" in message
    assert "publish_drafts: true" in message
    assert "missing-clause" not in message


@pytest.mark.parametrize(("status", "mark"), [("draft", "(draft)"), ("in-review", "(in review)")])
def test_published_drafts_are_marked_on_the_coverage_page(site, status: str, mark: str) -> None:
    built = site(
        {**OTHERS, "op.md": draft_operation(status)},
        complete=False,
        plugins=qms(publish_drafts=True),
    )
    html = built.html("coverage/index.html")
    row = between(html, 'id="coverage-8-1"', "</tr>")
    assert re.search(rf'>Operation</a> <span class="qms-draft-mark">{re.escape(mark)}</span>', row)
    assert "Drafted, not approved" in row
    data = json.loads(built.html("coverage.json"))
    overall = data["summary"][-1]
    assert (overall["drafted"], overall["covered"], overall["percent"]) == (24, 41, 63.1)
    (row,) = [c for c in data["clauses"] if c["clause"] == "8.1"]
    assert (row["status"], row["kind"], row["inherited"][0]["drafted"]) == (
        "drafted",
        "parent",
        True,
    )


def test_draft_is_marked_on_the_clause_page(site) -> None:
    built = site(
        {**OTHERS, "op.md": draft_operation()}, complete=False, plugins=qms(publish_drafts=True)
    )
    html = built.html("clauses/iso9001-2015/8/index.html")
    block = between(html, 'data-clause="8"', "</div>")
    assert re.search(r'>Operation</a> <span class="qms-draft-mark">\(draft\)</span>', block)


def test_an_approved_page_beside_a_draft_covers_the_clause(site) -> None:
    approved = controlled(
        "Operation (approved)", id="QM-02", before='clauses: ["8"]', body=naming("8")
    )
    built = site({**OTHERS, "op.md": draft_operation(), "op2.md": approved}, complete=False)
    data = json.loads(built.html("coverage.json"))
    assert data["summary"][-1]["drafted"] == 0


def test_drafts_do_not_count_with_count_drafts_off(site, caplog) -> None:
    with pytest.raises(Abort):
        site(
            {**OTHERS, "op.md": draft_operation()}, complete=False, plugins=qms(count_drafts=False)
        )
    missing = missing_clauses(gate_message(caplog))
    assert "8.1" in missing and all(clause.startswith("8.") for clause in missing)


# Options -----------------------------------------------------------------------------------


def test_document_header_off_hides_panel_and_history(site) -> None:
    built = site({"p.md": controlled(status="draft")}, plugins=qms(document_header=False))
    html = built.page("p.md")
    assert "qms-doc-control" not in html
    assert "revision-history" not in html
    assert "qms-doc-banner" not in html
    assert [r["id"] for r in register_rows(built.html("documents/index.html"))] == ["QM-01"]


def test_register_page_off_removes_register_and_exports(site) -> None:
    built = site({"p.md": controlled()}, plugins=qms(register_page=""))
    for name in ("documents/index.html", "documents.json", "documents.csv"):
        assert not (built.site_dir / name).exists(), name
    assert 'id="document-control"' in built.page("p.md")


def test_register_page_elsewhere_writes_exports_beside_it(site) -> None:
    built = site({"p.md": controlled()}, plugins=qms(register_page="qms/register.md"))
    assert register_rows(built.html("qms/register/index.html"))[0]["href"] == "../../p/"
    assert json.loads(built.html("qms/register.json"))["documents"][0]["id"] == "QM-01"
    assert (built.site_dir / "qms" / "register.csv").is_file()
    assert not (built.site_dir / "documents.json").exists()


def git(root: Path, *args: str, date: str = "2025-03-04T10:00:00+0000") -> None:
    env = {**os.environ, "GIT_COMMITTER_DATE": date, "GIT_AUTHOR_DATE": date}
    subprocess.run(
        ["git", "-c", "user.email=a@b", "-c", "user.name=n", "-c", "commit.gpgsign=false", *args],
        cwd=root,
        env=env,
        check=True,
        capture_output=True,
    )


def test_git_dates_show_the_last_change(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    root = tmp_path / "repo"
    root.mkdir()
    write_site(root, {"p.md": controlled(), "q.md": controlled(id="QM-02")})
    git(root, "init", "-q")
    git(root, "add", "docs/p.md")
    git(root, "commit", "-q", "-m", "p")
    git(root, "add", "docs/q.md")
    git(root, "commit", "-q", "-m", "q", date="2025-05-06T10:00:00+0000")
    built = build_site(root, {}, plugins=qms(git_dates=True))
    assert panel_fields(built.page("p.md"))["Last changed"] == "2025-03-04"
    assert panel_fields(built.page("q.md"))["Last changed"] == "2025-05-06"


def test_git_dates_for_a_page_with_a_non_ascii_name(tmp_path: Path, monkeypatch) -> None:
    """git quotes such paths in its output ("docs/qualit\\303\\244t.md") unless told not to."""
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    # The repository is below the ceiling, or git would not look for it from docs/.
    root = tmp_path / "repo"
    root.mkdir()
    write_site(root, {"qualität.md": controlled("Qualität")})
    git(root, "init", "-q")
    git(root, "add", "docs")
    git(root, "commit", "-q", "-m", "all")
    built = build_site(root, {}, plugins=qms(git_dates=True))
    assert panel_fields(built.page("qualität.md")).get("Last changed") == "2025-03-04"


def test_git_dates_outside_a_repository_show_nothing(site, monkeypatch) -> None:
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(site.root()))
    built = site({"p.md": controlled()}, plugins=qms(git_dates=True))
    assert "Last changed" not in built.page("p.md")
    assert panel_fields(built.page("p.md"))["Document"] == "QM-01"


# Reproducible output -----------------------------------------------------------------------


def test_two_builds_are_byte_identical(tmp_path: Path, plugin_log) -> None:
    outputs = []
    for name in ("one", "two"):
        root = tmp_path / name
        root.mkdir()
        built = build_site(root, MANUAL, plugins=qms(checks=CHECKS))
        outputs.append(
            [
                (built.site_dir / p).read_bytes()
                for p in ("documents/index.html", "documents.json", "documents.csv")
            ]
        )
    assert warnings_of(plugin_log) == MANUAL_WARNINGS * 2
    assert outputs[0] == outputs[1]


# qmsdocs check -------------------------------------------------------------------------------

FINDINGS_MANUAL = {
    "a.md": controlled(id="QM-01", owner=None),
    "b.md": controlled(id="qm-01", reviewer="X"),
    "c.md": controlled(id="QM-03", review_due="2026-05-01"),
    "d.md": controlled(id="QM-04", review_due="2026-06-10"),
    "e.md": controlled(id="QM-05", revision='"2"', approved_on='"2026-02-30"'),
}


def check(config_file: Path) -> tuple[int, list[str]]:
    result = CliRunner().invoke(main, ["check", str(config_file)])
    return result.exit_code, result.stdout.splitlines()


def test_check_reports_the_same_document_findings_as_the_build(
    tmp_path: Path, caplog, plugin_log
) -> None:
    with pytest.raises(Abort):
        build_site(tmp_path, FINDINGS_MANUAL)
    built = {f"error: {e}" for e in listed_errors(gate_message(caplog))}
    built |= {f"warning: {w}" for w in warnings_of(plugin_log)}
    code, lines = check(tmp_path / "mkdocs.yml")
    assert code == 1
    reported = {line for line in lines if line.startswith(("error: ", "warning: "))}
    assert reported == built
    codes = {re.search(r"\[([a-z-]+)\]$", line).group(1) for line in reported}  # type: ignore[union-attr]
    assert codes == {
        "missing-document-field",
        "duplicate-document-id",
        "unknown-document-field",
        "review-overdue",
        "review-due-soon",
        "revision-mismatch",
        "bad-document-date",
    }


def test_check_fails_on_an_overdue_review(tmp_path: Path) -> None:
    config_file = write_site(tmp_path, {"p.md": controlled(review_due="2026-05-31")})
    code, lines = check(config_file)
    assert code == 1
    assert (
        "error: p.md:2: document QM-01 was due for review on 2026-05-31 (1 days ago) "
        "(review it and record the new revision, or set a new review_due) [review-overdue]"
    ) in lines


def test_check_passes_when_overdue_is_a_warning(tmp_path: Path) -> None:
    config_file = write_site(
        tmp_path,
        {"p.md": controlled(review_due="2026-05-31")},
        plugins=qms(checks={"review-overdue": "warning"}),
    )
    code, lines = check(config_file)
    assert code == 0
    assert any(line.startswith("warning: p.md:2: ") for line in lines)


@pytest.mark.parametrize("search", ["material/search", "search"])
def test_search_index_reads_the_panel_and_history_as_sentences(site, search: str) -> None:
    """Labels and values must not run together ("DocumentQM-01"): a search for the id finds
    the page."""
    history = [FIRST_ISSUE, '{revision: "2", date: 2026-04-01, author: B. Author, change: New}']
    theme = {"name": "material"} if search == "material/search" else {"name": "mkdocs"}
    built = site(
        {"procedure.md": controlled(history=history, revision='"2"')},
        theme=theme,
        plugins=[search, "qmsdocs"],
    )
    html = built.page("procedure.md")
    assert "<dt>Document</dt>" in html and "<td>First issue</td>" in html  # readers see these
    docs = json.loads(built.html("search/search_index.json"))["docs"]
    text = " ".join(d["text"] for d in docs if d["location"].startswith("procedure/"))
    assert "Document: QM-01; Revision: 2; Status: Effective; Owner: Quality Manager" in text
    assert "Next review: 2027-03-01" in text
    assert "1, 2026-02-20, A. Author, First issue" in text
    assert "2, 2026-04-01, B. Author, New" in text
    assert "DocumentQM-01" not in text and "RevisionDate" not in text
    if search == "material/search":  # MkDocs' own search makes sections from the toc only
        sections = [d["location"] for d in docs if d["location"].startswith("procedure/")]
        assert "procedure/#revision-history" in sections
