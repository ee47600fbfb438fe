"""Document control (ISO 9001 7.5.2, 7.5.3): what a controlled page says about itself.

A page becomes a controlled document with a `document:` block in its front matter:

    document:
      id: QM-07                  # document number, unique in the manual
      title: ...                 # default: the page title
      revision: "3"
      status: effective          # draft | in-review | approved | effective | superseded
      owner: Quality Manager
      approved_by: Managing Director
      approved_on: 2026-02-20
      effective: 2026-03-01
      review_due: 2027-03-01     # or review_interval: 12 months (from approval, else effect)
      history:
        - {revision: "3", date: 2026-02-20, author: J. Doe, change: "Added supplier audits"}

Reading validates each field and reports, with file and line: missing required fields (which
ones is configurable), wrong types, unknown statuses, invalid dates, unknown fields, and a
history whose latest entry is not the declared revision. Across the manual: duplicate ids, and
reviews that are overdue or due soon, measured against "today" (the build date, or
`SOURCE_DATE_EPOCH` when set, so that builds are reproducible).
"""

from __future__ import annotations

import datetime as dt
import difflib
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from qmsdocs.findings import Finding, Problems, Severity
from qmsdocs.yamlio import excerpt, line_of

__all__ = [
    "COUNTED_STATUSES",
    "DEFAULT_REQUIRED",
    "STATUSES",
    "DocumentControl",
    "Revision",
    "check_documents",
    "read_document",
    "review_state",
    "source_date_findings",
    "today",
]

Status = Literal["draft", "in-review", "approved", "effective", "superseded"]
STATUSES: tuple[Status, ...] = ("draft", "in-review", "approved", "effective", "superseded")
STATUS_LABELS = {
    "draft": "Draft",
    "in-review": "In review",
    "approved": "Approved",
    "effective": "Effective",
    "superseded": "Superseded",
}
# Statuses whose coverage counts when drafts do not (`count_drafts: false`).
COUNTED_STATUSES = frozenset({"approved", "effective"})
# Fields every controlled document must have, and those that only a released one must have.
DEFAULT_REQUIRED = ("id", "revision", "status", "owner")
RELEASED_REQUIRED = ("approved_by", "approved_on")
_RELEASED = frozenset({"approved", "effective", "superseded"})
FIELDS = (
    "id",
    "title",
    "revision",
    "status",
    "owner",
    "approved_by",
    "approved_on",
    "effective",
    "review_due",
    "review_interval",
    "history",
)
# A required review_due is also given by review_interval; it is not required on its own.
REQUIRABLE_FIELDS = tuple(f for f in FIELDS if f != "review_interval")
_FIELDS = set(FIELDS)
_HISTORY_FIELDS = {"revision", "date", "author", "change"}
_INTERVAL_RE = re.compile(r"^\s*(\d{1,3})\s*(day|week|month|year)s?\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class Revision:
    """One entry of a document's revision history."""

    revision: str
    date: dt.date | None
    author: str
    change: str


@dataclass(frozen=True)
class DocumentControl:
    """The document control data of one page."""

    page: str
    line: int | None
    id: str
    title: str | None
    revision: str
    status: Status
    owner: str
    approved_by: str
    approved_on: dt.date | None
    effective: dt.date | None
    review_due: dt.date | None
    review_interval: str | None
    history: tuple[Revision, ...] = ()

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def latest(self) -> Revision | None:
        """The newest history entry: the latest date; among equal dates, the first listed."""
        if not self.history:
            return None
        dated = [r for r in self.history if r.date is not None]
        if not dated:
            return self.history[0]
        return max(dated, key=lambda r: r.date or dt.date.min)

    @property
    def next_review(self) -> dt.date | None:
        """The review date: declared, or the interval counted from approval (else effect)."""
        if self.review_due is not None:
            return self.review_due
        start = self.approved_on or self.effective
        if start is None or self.review_interval is None:
            return None
        return add_interval(start, self.review_interval)


@dataclass
class _Reader:
    """Reads the fields of a `document:` block, reporting each problem on the page."""

    problem: Problems

    @property
    def findings(self) -> list[Finding]:
        return self.problem.findings

    def text(self, data: dict[Any, Any], key: str) -> str:
        value = data.get(key)
        if value is None:
            return ""
        if isinstance(value, bool | dict | list):
            self.problem(
                "bad-document-field",
                f"document.{key}: expected text, got {type(value).__name__}",
                line_of(data, key),
            )
            return ""
        if isinstance(value, float):
            # "revision: 1.10" would silently become "1.1".
            written = str(getattr(value, "written", None) or value)
            self.problem(
                "bad-document-field",
                f"document.{key}: {written} is a number to YAML",
                line_of(data, key),
                f'quote it: {key}: "{written}"',
            )
            return written
        return str(value).strip()

    def date(self, data: dict[Any, Any], key: str) -> dt.date | None:
        value = data.get(key)
        if value is None:
            return None
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(str(value).strip())
        except ValueError:
            self.problem(
                "bad-document-date",
                f"document.{key}: {value!r} is not a valid date",
                line_of(data, key),
                "write dates as YYYY-MM-DD, for example 2026-03-01",
            )
            return None


def read_document(
    page: str,
    block: Any,
    line: int | None,
    *,
    required: Sequence[str] = DEFAULT_REQUIRED,
) -> tuple[DocumentControl | None, list[Finding]]:
    """Read and check a page's `document:` front matter block.

    Arguments:
        page: Docs-relative path, for findings.
        block: The value of `document:` as parsed (line-aware) YAML.
        line: Line of the `document:` key.
        required: Fields every controlled page must give. Released documents (approved,
            effective, superseded) must also give `approved_by` and `approved_on`.
    """
    reader = _Reader(Problems(page))
    if not isinstance(block, dict):
        reader.problem(
            "bad-document-field",
            "document: must be a mapping of fields (id, revision, status, ...)",
            line,
        )
        return None, reader.findings
    _check_document_fields(reader, block)
    status = _status(reader, block)
    _check_required(reader, block, status, required, line)
    interval = _interval(reader, block)
    history = _read_history(reader, block)
    document = DocumentControl(
        page=page,
        line=line,
        id=reader.text(block, "id"),
        title=reader.text(block, "title") or None,
        revision=reader.text(block, "revision"),
        status=status,
        owner=reader.text(block, "owner"),
        approved_by=reader.text(block, "approved_by"),
        approved_on=reader.date(block, "approved_on"),
        effective=reader.date(block, "effective"),
        review_due=reader.date(block, "review_due"),
        review_interval=interval,
        history=history,
    )
    latest = document.latest
    if latest is not None and document.revision and latest.revision != document.revision:
        reader.problem(
            "revision-mismatch",
            f"document.revision is {document.revision!r} but the latest history entry is "
            f"revision {latest.revision!r}",
            line_of(block, "revision"),
            "add a history entry for the new revision, or correct the revision",
        )
    return document, reader.findings


def _check_document_fields(reader: _Reader, block: dict[Any, Any]) -> None:
    for key in block:
        if key not in _FIELDS:
            close = difflib.get_close_matches(str(key), sorted(_FIELDS), n=1)
            reader.problem(
                "unknown-document-field",
                f"document.{key}: unknown field",
                line_of(block, key),
                f"did you mean {close[0]}?" if close else "allowed: " + ", ".join(sorted(_FIELDS)),
                Severity.WARNING,
            )


def _status(reader: _Reader, block: dict[Any, Any]) -> Status:
    """The document's status; a page that gives none (or a wrong one) is a draft."""
    text = reader.text(block, "status").casefold().replace(" ", "-").replace("_", "-")
    if text in STATUSES:
        return text
    if text:
        reader.problem(
            "bad-document-field",
            f"document.status: '{block.get('status')}' is not a status",
            line_of(block, "status"),
            "use one of " + ", ".join(STATUSES),
        )
    return "draft"


def _check_required(
    reader: _Reader,
    block: dict[Any, Any],
    status: Status,
    required: Sequence[str],
    line: int | None,
) -> None:
    """Every required field is given; released documents also say who approved them, when."""
    needed = list(required)
    if status in _RELEASED:
        needed += [f for f in RELEASED_REQUIRED if f not in needed]
    for name in needed:
        value = block.get(name)
        if name == "review_due" and value is None:
            value = block.get("review_interval")  # the other way of giving the review date
        if value is None or (isinstance(value, str) and not value.strip()):
            why = f" (required for status {status})" if name in RELEASED_REQUIRED else ""
            reader.problem(
                "missing-document-field",
                f"document.{name} is missing{why}",
                line,
                f"add {name}: to the document block",
            )


def _interval(reader: _Reader, block: dict[Any, Any]) -> str | None:
    """The review interval ("12 months"); a bare number of months is accepted."""
    interval = reader.text(block, "review_interval") or None
    if interval is None or _INTERVAL_RE.match(interval) is not None:
        return interval
    if interval.isdigit():
        return f"{interval} months"
    reader.problem(
        "bad-document-field",
        f"document.review_interval: '{interval}' is not an interval",
        line_of(block, "review_interval"),
        "write it like 12 months, 1 year or 90 days",
    )
    return None


def _read_history(reader: _Reader, block: dict[Any, Any]) -> tuple[Revision, ...]:
    raw = block.get("history")
    if raw is None:
        return ()
    if not isinstance(raw, list):
        reader.problem(
            "bad-document-field",
            "document.history: must be a list of revisions",
            line_of(block, "history"),
            '- {revision: "2", date: 2026-01-31, author: A. Name, change: What changed}',
        )
        return ()
    entries: list[tuple[Revision, int]] = []  # (entry, position in the file)
    for index, item in enumerate(raw):
        item_line = line_of(raw, index)
        if not isinstance(item, dict):
            reader.problem(
                "bad-document-field",
                "document.history: each entry must be a mapping (revision, date, author, change)",
                item_line,
            )
            continue
        for key in item:
            if key not in _HISTORY_FIELDS:
                reader.problem(
                    "unknown-document-field",
                    f"document.history: unknown field '{key}'",
                    line_of(item, key),
                    "allowed: " + ", ".join(sorted(_HISTORY_FIELDS)),
                    Severity.WARNING,
                )
        revision = reader.text(item, "revision")
        if not revision:
            reader.problem(
                "missing-document-field",
                "document.history: an entry has no revision",
                item_line,
            )
        entries.append(
            (
                Revision(
                    revision,
                    reader.date(item, "date"),
                    reader.text(item, "author"),
                    reader.text(item, "change"),
                ),
                index,
            )
        )
    return tuple(entry for entry, _ in entries)


def add_interval(start: dt.date, interval: str) -> dt.date:
    """`start` plus "12 months", "1 year", "6 weeks", "90 days" (month ends are clamped)."""
    match = _INTERVAL_RE.match(interval)
    if match is None:
        raise ValueError(f"not an interval: {interval!r}")
    count, unit = int(match.group(1)), match.group(2).lower()
    if unit == "day":
        return start + dt.timedelta(days=count)
    if unit == "week":
        return start + dt.timedelta(weeks=count)
    months = count * (12 if unit == "year" else 1)
    year, month = divmod(start.month - 1 + months, 12)
    year += start.year
    month += 1
    for day in range(start.day, 27, -1):
        try:
            return dt.date(year, month, day)
        except ValueError:
            continue
    return dt.date(year, month, min(start.day, 28))


def today(environ: Mapping[str, str] | None = None) -> dt.date:
    """The build date: `SOURCE_DATE_EPOCH` (UTC) when set, so builds are reproducible.

    An epoch that is not a whole number of seconds is ignored (`source_date_findings` says so).
    """
    env = os.environ if environ is None else environ
    epoch = _epoch_date(env.get("SOURCE_DATE_EPOCH") or "")
    return epoch or dt.datetime.now(tz=dt.UTC).date()


def _epoch_date(epoch: str) -> dt.date | None:
    if not epoch:
        return None
    try:
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC).date()
    except (ValueError, OverflowError, OSError):
        return None


def source_date_findings(environ: Mapping[str, str] | None = None) -> list[Finding]:
    """A warning when `SOURCE_DATE_EPOCH` is set but unusable: "today" then silently becomes
    the real date, and a build meant to be reproducible, with its review dates, is not."""
    env = os.environ if environ is None else environ
    epoch = env.get("SOURCE_DATE_EPOCH") or ""
    if not epoch or _epoch_date(epoch) is not None:
        return []
    return [
        Finding(
            "source-date-epoch",
            f"SOURCE_DATE_EPOCH is '{excerpt(epoch)}', not a whole number of seconds since "
            f"1970-01-01 (UTC): today's date ({today({}).isoformat()}) is used instead",
            hint="set it to a number such as the output of `git log -1 --format=%ct`, or unset it",
            severity=Severity.WARNING,
        )
    ]


ReviewState = Literal["overdue", "due-soon", "ok", "none"]


def review_state(document: DocumentControl, on: dt.date, warn_days: int) -> ReviewState:
    """Whether a document's review is overdue or due within `warn_days` of `on`."""
    due = document.next_review
    if due is None or document.status == "superseded":
        return "none"
    if due < on:
        return "overdue"
    if (due - on).days <= warn_days:
        return "due-soon"
    return "ok"


def check_documents(
    documents: Iterable[DocumentControl], on: dt.date, warn_days: int
) -> list[Finding]:
    """Findings across the manual: duplicate ids, overdue reviews, reviews due soon."""
    findings: list[Finding] = []
    by_id: dict[str, DocumentControl] = {}
    for document in sorted(documents, key=lambda d: (d.page, d.line or 0)):
        if document.id:
            first = by_id.get(document.id.casefold())
            if first is not None:
                findings.append(
                    Finding(
                        "duplicate-document-id",
                        f"document id {document.id} is also used by {first.page}",
                        document.page,
                        document.line,
                        "give each controlled document its own id",
                    )
                )
            else:
                by_id[document.id.casefold()] = document
        state = review_state(document, on, warn_days)
        due = document.next_review
        if state == "overdue" and due is not None:
            findings.append(
                Finding(
                    "review-overdue",
                    f"document {document.id or document.page} was due for review on "
                    f"{due.isoformat()} ({(on - due).days} days ago)",
                    document.page,
                    document.line,
                    "review it and record the new revision, or set a new review_due",
                )
            )
        elif state == "due-soon" and due is not None:
            findings.append(
                Finding(
                    "review-due-soon",
                    f"document {document.id or document.page} is due for review on "
                    f"{due.isoformat()} (in {(due - on).days} days)",
                    document.page,
                    document.line,
                    "plan its review",
                    Severity.WARNING,
                )
            )
    return findings
