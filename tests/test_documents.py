"""Document control: the `document:` block, review dates, "today" and the manual-wide checks."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

import pytest

from qmsdocs.documents import (
    DEFAULT_REQUIRED,
    DocumentControl,
    Revision,
    add_interval,
    check_documents,
    read_document,
    review_state,
    today,
)
from qmsdocs.findings import Finding, Severity
from qmsdocs.yamlio import line_of, parse_yaml

# A complete, valid block. Written out line by line so that the tables below can name lines:
#  1 document:
#  2   id              6   approved_by      10  history: (or a field added by a test)
#  3   revision        7   approved_on
#  4   status          8   effective
#  5   owner           9   review_due
FIELDS: dict[str, str] = {
    "id": "QM-07",
    "revision": '"3"',
    "status": "effective",
    "owner": "Quality Manager",
    "approved_by": "Managing Director",
    "approved_on": "2026-02-20",
    "effective": "2026-03-01",
    "review_due": "2027-03-01",
}
HISTORY = [
    '{revision: "3", date: 2026-02-20, author: J. Doe, change: Added supplier audits}',
    '{revision: "2", date: 2025-02-11, author: J. Doe, change: Annual review}',
]


def source(history: list[str] | str | None = None, **changes: str | None) -> str:
    """The YAML of a `document:` block: FIELDS with `changes` (None drops a field)."""
    fields = {**FIELDS, **changes}
    lines = ["document:"]
    lines += [f"  {key}: {value}" for key, value in fields.items() if value is not None]
    history = HISTORY if history is None else history
    if isinstance(history, str):
        lines.append(f"  history: {history}")
    elif history:
        lines.append("  history:")
        lines += [f"    - {entry}" for entry in history]
    return "\n".join(lines) + "\n"


def read(
    text: str, required: tuple[str, ...] = DEFAULT_REQUIRED
) -> tuple[DocumentControl | None, list[Finding]]:
    data = parse_yaml(text, "manual/p.md")
    return read_document(
        "manual/p.md", data["document"], line_of(data, "document"), required=required
    )


def located(findings: list[Finding]) -> list[tuple[str, int | None, Severity]]:
    return sorted((f.code, f.line, f.severity) for f in findings)


E, W = Severity.ERROR, Severity.WARNING


# read_document: a valid block --------------------------------------------------------------


def test_valid_block_reads_every_field_without_findings() -> None:
    document, findings = read(source())
    assert findings == []
    assert document == DocumentControl(
        page="manual/p.md",
        line=1,
        id="QM-07",
        title=None,
        revision="3",
        status="effective",
        owner="Quality Manager",
        approved_by="Managing Director",
        approved_on=dt.date(2026, 2, 20),
        effective=dt.date(2026, 3, 1),
        review_due=dt.date(2027, 3, 1),
        review_interval=None,
        history=(
            Revision("3", dt.date(2026, 2, 20), "J. Doe", "Added supplier audits"),
            Revision("2", dt.date(2025, 2, 11), "J. Doe", "Annual review"),
        ),
    )


def test_title_is_read_when_given() -> None:
    document, findings = read(source(title='"Control of documents"'))
    assert findings == []
    assert document is not None and document.title == "Control of documents"


def test_lines_follow_the_front_matter_offset() -> None:
    data = parse_yaml("title: P\n" + source(owner=None), "p.md", first_line=2)
    _document, findings = read_document("p.md", data["document"], line_of(data, "document"))
    assert [(f.code, f.path, f.line) for f in findings] == [("missing-document-field", "p.md", 3)]


# read_document: each finding, with its code, line and severity -------------------------------


@pytest.mark.parametrize(
    ("changes", "history", "expected"),
    [
        pytest.param({"id": None}, None, [("missing-document-field", 1, E)], id="no-id"),
        pytest.param({"owner": None}, None, [("missing-document-field", 1, E)], id="no-owner"),
        pytest.param({"owner": '""'}, None, [("missing-document-field", 1, E)], id="empty-owner"),
        pytest.param({"owner": '"  "'}, None, [("missing-document-field", 1, E)], id="blank-owner"),
        pytest.param({"status": None}, None, [("missing-document-field", 1, E)], id="no-status"),
        pytest.param({"revision": None}, None, [("missing-document-field", 1, E)], id="no-rev"),
        pytest.param(
            {"approved_by": None}, None, [("missing-document-field", 1, E)], id="released-no-by"
        ),
        pytest.param(
            {"approved_on": None}, None, [("missing-document-field", 1, E)], id="released-no-on"
        ),
        pytest.param(
            {"status": "superseded", "approved_by": None, "approved_on": None},
            None,
            [("missing-document-field", 1, E), ("missing-document-field", 1, E)],
            id="superseded-needs-approval",
        ),
        pytest.param({"status": "released"}, None, [("bad-document-field", 4, E)], id="status"),
        pytest.param({"status": "5"}, None, [("bad-document-field", 4, E)], id="status-number"),
        pytest.param({"owner": "[A, B]"}, None, [("bad-document-field", 5, E)], id="owner-list"),
        pytest.param({"owner": "yes"}, None, [("bad-document-field", 5, E)], id="owner-bool"),
        pytest.param({"id": "{a: 1}"}, None, [("bad-document-field", 2, E)], id="id-mapping"),
        pytest.param(
            {"revision": "3.10"},
            ['{revision: "3.10", date: 2026-02-20}'],
            # Read as written ("3.10", not the 3.1 YAML makes of it): it matches the history.
            [("bad-document-field", 3, E)],
            id="revision-float",
        ),
        pytest.param(
            {"approved_on": '"2026-02-30"'}, None, [("bad-document-date", 7, E)], id="quoted-30feb"
        ),
        pytest.param(
            {"approved_on": "2026-02-30"}, None, [("bad-document-date", 7, E)], id="plain-30feb"
        ),
        pytest.param(
            {"effective": "2026-13-01"}, None, [("bad-document-date", 8, E)], id="month-13"
        ),
        pytest.param({"effective": "next week"}, None, [("bad-document-date", 8, E)], id="words"),
        pytest.param({"review_due": "2027-3-1"}, None, [("bad-document-date", 9, E)], id="short"),
        pytest.param(
            {"review_interval": "twelve months", "review_due": None},
            None,
            [("bad-document-field", 9, E)],
            id="interval",
        ),
        pytest.param(
            {"reviewer": "Quality Manager"}, None, [("unknown-document-field", 10, W)], id="field"
        ),
        pytest.param({}, "none", [("bad-document-field", 10, E)], id="history-not-a-list"),
        pytest.param(
            {}, ['"3: supplier audits"'], [("bad-document-field", 11, E)], id="history-entry-text"
        ),
        pytest.param(
            {},
            [HISTORY[0], "{date: 2025-02-11, author: J. Doe}"],
            [("missing-document-field", 12, E)],
            id="history-entry-without-revision",
        ),
        pytest.param(
            {},
            ['{revision: "3", date: 2026-02-20, approver: Q}'],
            [("unknown-document-field", 11, W)],
            id="history-unknown-field",
        ),
        pytest.param(
            {},
            ['{revision: "3", date: "2026-02-29"}'],
            [("bad-document-date", 11, E)],
            id="history-bad-date",
        ),
        pytest.param(
            {"revision": '"4"'}, None, [("revision-mismatch", 3, E)], id="revision-mismatch"
        ),
    ],
)
def test_block_findings(
    changes: dict[str, str | None], history: Any, expected: list[tuple[str, int, Severity]]
) -> None:
    _document, findings = read(source(history, **changes))
    assert located(findings) == sorted(expected)
    assert all(f.path == "manual/p.md" for f in findings)


def test_block_that_is_not_a_mapping() -> None:
    data = parse_yaml("title: P\ndocument: QM-07\n", "p.md")
    document, findings = read_document("p.md", data["document"], line_of(data, "document"))
    assert document is None
    assert located(findings) == [("bad-document-field", 2, E)]


@pytest.mark.parametrize(
    ("changes", "message", "hint"),
    [
        ({"owner": None}, "document.owner is missing", "add owner: to the document block"),
        (
            {"approved_on": None},
            "document.approved_on is missing (required for status effective)",
            "add approved_on: to the document block",
        ),
        (
            {"status": "released"},
            "document.status: 'released' is not a status",
            "use one of draft, in-review, approved, effective, superseded",
        ),
        (
            {"approved_on": '"2026-02-30"'},
            "document.approved_on: '2026-02-30' is not a valid date",
            "write dates as YYYY-MM-DD, for example 2026-03-01",
        ),
        ({"reviewer": "Q"}, "document.reviewer: unknown field", "did you mean review_due?"),
        ({"aproved_by": "Q"}, "document.aproved_by: unknown field", "did you mean approved_by?"),
    ],
)
def test_finding_messages_and_hints(
    changes: dict[str, str | None], message: str, hint: str
) -> None:
    _document, findings = read(source(**changes))
    assert [(f.message, f.hint) for f in findings] == [(message, hint)]


def test_revision_mismatch_names_both_revisions() -> None:
    _document, findings = read(source(revision='"4"'))
    (finding,) = findings
    assert finding.message == (
        "document.revision is '4' but the latest history entry is revision '3'"
    )


def test_draft_needs_no_approval() -> None:
    document, findings = read(source(status="draft", approved_by=None, approved_on=None))
    assert findings == []
    assert document is not None and document.status == "draft"


def test_missing_status_reads_as_draft() -> None:
    document, _findings = read(source(status=None))
    assert document is not None and document.status == "draft"


@pytest.mark.parametrize(
    ("required", "changes", "missing"),
    [
        (("id",), {"owner": None, "revision": None}, []),
        (("id", "owner", "effective"), {"effective": None}, ["effective"]),
        (("id", "title"), {}, ["title"]),
        # A released document needs its approval whatever the configuration says.
        (("id",), {"approved_by": None}, ["approved_by"]),
        # review_interval is the other way of giving the review date.
        (("id", "review_due"), {"review_due": None, "review_interval": "12 months"}, []),
    ],
    ids=["only-id", "effective", "title", "released-approval", "review-date-as-interval"],
)
def test_required_fields_are_configurable(
    required: tuple[str, ...], changes: dict[str, str | None], missing: list[str]
) -> None:
    _document, findings = read(source(**changes), required=required)
    assert sorted(f.message.split()[0] for f in findings) == [f"document.{m}" for m in missing]
    assert all(f.code == "missing-document-field" for f in findings)


# Status spellings --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "status", "label"),
    [
        ("draft", "draft", "Draft"),
        ("Draft", "draft", "Draft"),
        ("in-review", "in-review", "In review"),
        ("In review", "in-review", "In review"),
        ("in_review", "in-review", "In review"),
        ("IN-REVIEW", "in-review", "In review"),
        ("approved", "approved", "Approved"),
        ("Effective", "effective", "Effective"),
        ('" effective "', "effective", "Effective"),
        ("SUPERSEDED", "superseded", "Superseded"),
    ],
)
def test_status_spellings(written: str, status: str, label: str) -> None:
    document, findings = read(source(status=written))
    assert findings == []
    assert document is not None
    assert (document.status, document.status_label) == (status, label)


# review_interval and add_interval --------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "interval", "next_review"),
    [
        ("12 months", "12 months", dt.date(2027, 2, 20)),
        ('"12 Months"', "12 Months", dt.date(2027, 2, 20)),
        ("1 month", "1 month", dt.date(2026, 3, 20)),
        ("1 year", "1 year", dt.date(2027, 2, 20)),
        ("2 years", "2 years", dt.date(2028, 2, 20)),
        ("6 weeks", "6 weeks", dt.date(2026, 4, 3)),
        ("90 days", "90 days", dt.date(2026, 5, 21)),
        ("1 day", "1 day", dt.date(2026, 2, 21)),
        ("12", "12 months", dt.date(2027, 2, 20)),
        ('"18"', "18 months", dt.date(2027, 8, 20)),
    ],
)
def test_review_interval_forms(written: str, interval: str, next_review: dt.date) -> None:
    document, findings = read(source(review_due=None, review_interval=written))
    assert findings == []
    assert document is not None
    assert document.review_interval == interval
    assert document.next_review == next_review


@pytest.mark.parametrize(
    "written", ["twelve months", "1 fortnight", "-3 months", "1000 days", "P1Y", "12 months 3 days"]
)
def test_review_interval_rejected(written: str) -> None:
    document, findings = read(source(review_due=None, review_interval=f'"{written}"'))
    assert located(findings) == [("bad-document-field", 9, E)]
    assert findings[0].message == f"document.review_interval: '{written}' is not an interval"
    assert document is not None
    assert document.review_interval is None and document.next_review is None


@pytest.mark.parametrize(
    ("start", "interval", "expected"),
    [
        (dt.date(2026, 1, 31), "1 month", dt.date(2026, 2, 28)),
        (dt.date(2024, 1, 31), "1 month", dt.date(2024, 2, 29)),
        (dt.date(2026, 3, 31), "1 month", dt.date(2026, 4, 30)),
        (dt.date(2026, 1, 30), "1 month", dt.date(2026, 2, 28)),
        (dt.date(2026, 1, 29), "1 month", dt.date(2026, 2, 28)),
        (dt.date(2026, 1, 28), "1 month", dt.date(2026, 2, 28)),
        (dt.date(2026, 1, 27), "1 month", dt.date(2026, 2, 27)),
        (dt.date(2026, 8, 31), "6 months", dt.date(2027, 2, 28)),
        (dt.date(2026, 5, 31), "1 month", dt.date(2026, 6, 30)),
        (dt.date(2026, 1, 31), "2 months", dt.date(2026, 3, 31)),
        (dt.date(2026, 11, 30), "3 months", dt.date(2027, 2, 28)),
        (dt.date(2026, 12, 15), "1 month", dt.date(2027, 1, 15)),
        (dt.date(2026, 12, 31), "12 months", dt.date(2027, 12, 31)),
        (dt.date(2026, 2, 20), "25 months", dt.date(2028, 3, 20)),
        (dt.date(2024, 2, 29), "1 year", dt.date(2025, 2, 28)),
        (dt.date(2024, 2, 29), "4 years", dt.date(2028, 2, 29)),
        (dt.date(2024, 2, 29), "12 months", dt.date(2025, 2, 28)),
        (dt.date(2023, 2, 28), "1 year", dt.date(2024, 2, 28)),
        (dt.date(2026, 1, 1), "1 week", dt.date(2026, 1, 8)),
        (dt.date(2026, 12, 28), "2 weeks", dt.date(2027, 1, 11)),
        (dt.date(2024, 2, 28), "1 day", dt.date(2024, 2, 29)),
        (dt.date(2026, 2, 28), "1 day", dt.date(2026, 3, 1)),
        (dt.date(2026, 1, 1), "365 days", dt.date(2027, 1, 1)),
        (dt.date(2024, 1, 1), "365 days", dt.date(2024, 12, 31)),
        (dt.date(2026, 3, 1), "0 days", dt.date(2026, 3, 1)),
        (dt.date(2026, 3, 1), " 1 YEAR ", dt.date(2027, 3, 1)),
    ],
)
def test_add_interval(start: dt.date, interval: str, expected: dt.date) -> None:
    assert add_interval(start, interval) == expected


@pytest.mark.parametrize("interval", ["", "month", "1 fortnight", "twelve months", "1.5 years"])
def test_add_interval_rejects(interval: str) -> None:
    with pytest.raises(ValueError, match="not an interval"):
        add_interval(dt.date(2026, 1, 1), interval)


# next_review ---------------------------------------------------------------------------------

BASE = DocumentControl(
    page="a.md",
    line=2,
    id="QM-01",
    title=None,
    revision="1",
    status="effective",
    owner="Q",
    approved_by="MD",
    approved_on=None,
    effective=None,
    review_due=None,
    review_interval=None,
)


def make(**changes: Any) -> DocumentControl:
    return replace(BASE, **changes)


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"review_due": dt.date(2027, 1, 5)}, dt.date(2027, 1, 5)),
        (
            {
                "review_due": dt.date(2027, 1, 5),
                "review_interval": "1 year",
                "approved_on": dt.date(2026, 2, 20),
            },
            dt.date(2027, 1, 5),
        ),
        (
            {
                "review_interval": "1 year",
                "approved_on": dt.date(2026, 2, 20),
                "effective": dt.date(2026, 3, 1),
            },
            dt.date(2027, 2, 20),
        ),
        ({"review_interval": "1 year", "effective": dt.date(2026, 3, 1)}, dt.date(2027, 3, 1)),
        ({"review_interval": "1 year"}, None),
        ({"approved_on": dt.date(2026, 2, 20), "effective": dt.date(2026, 3, 1)}, None),
        ({}, None),
    ],
    ids=[
        "declared",
        "declared-wins",
        "from-approval",
        "from-effect",
        "no-start",
        "no-interval",
        "none",
    ],
)
def test_next_review(changes: dict[str, Any], expected: dt.date | None) -> None:
    assert make(**changes).next_review == expected


# latest history entry ----------------------------------------------------------------------


def rev(revision: str, date: dt.date | None) -> Revision:
    return Revision(revision, date, "A. Author", f"change {revision}")


@pytest.mark.parametrize(
    ("history", "expected"),
    [
        ((), None),
        ((rev("3", dt.date(2026, 2, 20)), rev("2", dt.date(2025, 2, 11))), "3"),  # newest first
        ((rev("2", dt.date(2025, 2, 11)), rev("3", dt.date(2026, 2, 20))), "3"),  # oldest first
        (
            (
                rev("2", dt.date(2025, 2, 11)),
                rev("4", dt.date(2026, 6, 1)),
                rev("3", dt.date(2026, 2, 20)),
            ),
            "4",
        ),
        ((rev("3b", dt.date(2026, 2, 20)), rev("3a", dt.date(2026, 2, 20))), "3b"),  # equal dates
        (
            (
                rev("1", dt.date(2025, 1, 1)),
                rev("3", dt.date(2026, 2, 20)),
                rev("2", dt.date(2026, 2, 20)),
            ),
            "3",
        ),
        ((rev("2", None), rev("1", None)), "2"),  # no dates: the first listed
    ],
    ids=["empty", "newest-first", "oldest-first", "mixed", "equal", "equal-later", "undated"],
)
def test_latest_history_entry(history: tuple[Revision, ...], expected: str | None) -> None:
    latest = make(history=history).latest
    assert (latest.revision if latest else None) == expected


def test_history_listed_oldest_first_matches_revision() -> None:
    history = [HISTORY[1], HISTORY[0]]
    document, findings = read(source(history))
    assert findings == []
    assert document is not None and document.latest is not None
    assert document.latest.revision == "3"


def test_history_with_equal_dates_takes_the_first_listed() -> None:
    history = [
        '{revision: "3", date: 2026-02-20, change: Fix}',
        '{revision: "2", date: 2026-02-20, change: Draft}',
    ]
    _document, findings = read(source(history))
    assert findings == []
    _document, findings = read(source(history[::-1]))
    assert located(findings) == [("revision-mismatch", 3, E)]


def test_no_history_means_no_mismatch() -> None:
    document, findings = read(source([]))
    assert findings == []
    assert document is not None and document.history == () and document.latest is None


# today ---------------------------------------------------------------------------------------


def real_today(environ: dict[str, str] | None) -> tuple[dt.date, dt.date, dt.date]:
    """today(environ), bracketed by the UTC date before and after (a run across midnight)."""
    before = dt.datetime.now(tz=dt.UTC).date()
    got = today(environ)
    after = dt.datetime.now(tz=dt.UTC).date()
    return before, got, after


@pytest.mark.parametrize(
    ("epoch", "expected"),
    [
        ("1767225600", dt.date(2026, 1, 1)),  # 2026-01-01T00:00:00Z
        ("1767225599", dt.date(2025, 12, 31)),  # one second earlier, in UTC whatever the zone
        ("1767311999", dt.date(2026, 1, 1)),  # the last second of that day
        (" 1767225600 ", dt.date(2026, 1, 1)),
        ("0", dt.date(1970, 1, 1)),
    ],
)
def test_today_from_source_date_epoch(epoch: str, expected: dt.date) -> None:
    assert today({"SOURCE_DATE_EPOCH": epoch}) == expected


@pytest.mark.parametrize(
    "environ",
    [
        {},
        {"SOURCE_DATE_EPOCH": ""},
        {"SOURCE_DATE_EPOCH": "yesterday"},
        {"SOURCE_DATE_EPOCH": "1767225600.5"},
        {"SOURCE_DATE_EPOCH": "1.7e9"},
        {"SOURCE_DATE_EPOCH": "99999999999999999999"},
        {"OTHER": "1767225600"},
    ],
    ids=["unset", "empty", "words", "fraction", "exponent", "overflow", "other-variable"],
)
def test_today_without_a_usable_epoch_is_the_real_date(environ: dict[str, str]) -> None:
    before, got, after = real_today(environ)
    assert before <= got <= after


def test_today_reads_the_process_environment_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    assert today() == dt.date(2026, 1, 1)


def test_today_with_an_environ_ignores_the_process_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")
    before, got, after = real_today({})
    assert before <= got <= after


# review_state ------------------------------------------------------------------------------

ON = dt.date(2026, 6, 1)


@pytest.mark.parametrize(
    ("due", "status", "warn_days", "state"),
    [
        (None, "effective", 30, "none"),
        (dt.date(2026, 5, 31), "effective", 30, "overdue"),
        (dt.date(2020, 1, 1), "effective", 30, "overdue"),
        (dt.date(2026, 6, 1), "effective", 30, "due-soon"),  # due today
        (dt.date(2026, 7, 1), "effective", 30, "due-soon"),  # exactly warn_days ahead
        (dt.date(2026, 7, 2), "effective", 30, "ok"),
        (dt.date(2026, 6, 1), "effective", 0, "due-soon"),
        (dt.date(2026, 6, 2), "effective", 0, "ok"),
        (dt.date(2026, 5, 31), "draft", 30, "overdue"),
        (dt.date(2026, 5, 31), "in-review", 30, "overdue"),
        (dt.date(2026, 5, 31), "approved", 30, "overdue"),
        (dt.date(2026, 5, 31), "superseded", 30, "none"),
        (dt.date(2026, 6, 10), "superseded", 30, "none"),
    ],
)
def test_review_state(due: dt.date | None, status: str, warn_days: int, state: str) -> None:
    assert review_state(make(review_due=due, status=status), ON, warn_days) == state


def test_review_state_counts_the_interval() -> None:
    document = make(review_interval="12 months", approved_on=dt.date(2025, 5, 31))
    assert review_state(document, ON, 30) == "overdue"
    assert review_state(document, dt.date(2026, 5, 31), 30) == "due-soon"


# check_documents -----------------------------------------------------------------------------


def test_duplicate_ids_are_case_insensitive() -> None:
    first = make(page="a.md", id="QM-01", line=2)
    second = make(page="b/c.md", id="qm-01", line=3)
    for order in ([first, second], [second, first]):
        findings = check_documents(order, ON, 30)
        assert [(f.code, f.path, f.line, f.severity) for f in findings] == [
            ("duplicate-document-id", "b/c.md", 3, E)
        ]
        assert findings[0].message == "document id qm-01 is also used by a.md"


def test_every_further_duplicate_is_reported() -> None:
    documents = [make(page=f"{p}.md", id="QM-01") for p in "abc"]
    findings = check_documents(documents, ON, 30)
    assert [(f.path, f.message) for f in findings] == [
        ("b.md", "document id QM-01 is also used by a.md"),
        ("c.md", "document id QM-01 is also used by a.md"),
    ]


def test_distinct_and_empty_ids_are_not_duplicates() -> None:
    documents = [
        make(page="a.md", id="QM-01"),
        make(page="b.md", id="QM-010"),
        make(page="c.md", id=""),
        make(page="d.md", id=""),
    ]
    assert check_documents(documents, ON, 30) == []


@pytest.mark.parametrize(
    ("due", "expected"),
    [
        (
            dt.date(2026, 5, 31),
            (
                "review-overdue",
                E,
                "document QM-01 was due for review on 2026-05-31 (1 days ago)",
            ),
        ),
        (
            dt.date(2026, 6, 1),
            ("review-due-soon", W, "document QM-01 is due for review on 2026-06-01 (in 0 days)"),
        ),
        (
            dt.date(2026, 7, 1),
            ("review-due-soon", W, "document QM-01 is due for review on 2026-07-01 (in 30 days)"),
        ),
        (dt.date(2026, 7, 2), None),
    ],
    ids=["yesterday", "today", "exactly-warn-days", "after-warn-days"],
)
def test_review_findings_at_the_boundaries(
    due: dt.date, expected: tuple[str, Severity, str] | None
) -> None:
    findings = check_documents([make(review_due=due)], ON, 30)
    got = [(f.code, f.severity, f.message) for f in findings]
    assert got == ([expected] if expected else [])
    assert all((f.path, f.line) == ("a.md", 2) for f in findings)


def test_superseded_document_is_never_overdue() -> None:
    document = make(status="superseded", review_due=dt.date(2020, 1, 1))
    assert check_documents([document], ON, 30) == []


def test_overdue_document_without_id_is_named_by_its_page() -> None:
    (finding,) = check_documents([make(id="", review_due=dt.date(2026, 5, 1))], ON, 30)
    assert finding.message.startswith("document a.md was due for review on 2026-05-01")
