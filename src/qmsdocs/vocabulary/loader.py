"""Load the shipped ISO 9000:2015 term list and merge an organisation's glossary files into it.

The file formats and the override rules are described in the package docstring
(`qmsdocs.vocabulary`). Every problem becomes a `Finding`; the loader never stops at the first
one, so an author sees everything to fix in one run.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from qmsdocs.findings import Finding, Problems, QMSDataError, Severity
from qmsdocs.vocabulary.model import Group, Origin, Term, Vocabulary, normalise_name, slugify
from qmsdocs.yamlio import excerpt, line_of, load_yaml

__all__ = ["SHIPPED_SOURCE", "STANDARD", "load_vocabulary"]

STANDARD = "ISO 9000:2015"
"""The standard whose vocabulary qmsdocs ships."""
SHIPPED_SOURCE = "qmsdocs/vocabulary/iso9000-2015.yml"
"""How findings and `Term.source` name the shipped term list."""
_SHIPPED_FILE = "iso9000-2015.yml"

_ENTRY_FIELDS = ("term", "ref", "admitted", "forms", "explanation", "see", "wording", "link")
_SHIPPED_ENTRY_FIELDS = (
    "ref",
    "term",
    "admitted",
    "forms",
    "explanation",
    "see",
    "link",
    "link_note",
)
_GLOSSARY_FIELDS = ("terms", "title", "id", "language")
_LANGUAGE_RE = re.compile(r"[a-z]{2}")
_SHIPPED_FIELDS = ("id", "standard", "title", "groups", "terms")
_WORDINGS = ("own", "official")

# "ISO 9000:2015 3.8.6", "ISO 9000:2015, 3.8.6", "ISO 9000 §3.8.6", "3.8.6", "ISO 19011:2018 3.1".
# An entry number has at least two parts, so "ISO 9000" alone is not read as entry 9000.
_REF_RE = re.compile(
    r"(?P<std>(?:[^\W\d_].*?)?)[\s,]*(?:(?:clause|§)\s*)?(?P<num>\d+(?:\.\d+)+)", re.IGNORECASE
)
# The standard part of a reference that names the shipped vocabulary (national adoptions too).
_ISO9000_RE = re.compile(r"(?:[A-Z]{2,4}\s+)*ISO\s*9000(?:\s*:\s*2015)?", re.IGNORECASE)
# Numbers in the shipped list: clause 3, group, entry.
_SHIPPED_NUMBER_RE = re.compile(r"3\.\d{1,2}\.\d{1,2}")

_Problem = Callable[..., None]


@dataclass
class _Entry:
    """One glossary entry after type checks: None means "not given" (so it is inherited)."""

    source: str
    line: int | None
    order: int
    raw: dict[Any, Any]
    term: str | None = None
    ref: str | None = None
    admitted: tuple[str, ...] | None = None
    forms: tuple[str, ...] | None = None
    explanation: str | None = None
    see: tuple[tuple[str, int | None], ...] | None = None
    wording: str = "own"
    link: bool | None = None  # whether the term is linked in prose; None: as inherited
    link_note: str | None = None  # why a shipped term is not linked by default
    language: str = "en"  # of the file: an own term is linked on pages in this language

    def line_of(self, name: str) -> int | None:
        """Line of one field of the entry, or of the entry itself."""
        return line_of(self.raw, name) or self.line

    @property
    def label(self) -> str:
        return f"'{self.term}'" if self.term else "an entry"

    @property
    def names(self) -> tuple[str, ...]:
        return ((self.term,) if self.term else ()) + (self.admitted or ())


@dataclass
class _Draft:
    """A vocabulary entry being assembled: shipped, then perhaps overridden, then checked."""

    key: str
    term: str
    explanation: str
    source: str
    line: int | None
    term_line: int | None
    order: int
    origin: Origin
    number: str | None = None
    standard: str | None = None
    group: str | None = None
    admitted: list[str] = field(default_factory=list)
    forms: list[str] = field(default_factory=list)
    # A shipped entry's `see` is resolved against the shipped names when loaded, so an
    # organisation renaming a term cannot break it; an organisation's `see` is resolved last.
    see_keys: list[str] = field(default_factory=list)
    see_names: list[tuple[str, int | None]] | None = None
    link: bool = True
    link_note: str | None = None
    language: str = "en"
    shipped_term: str | None = None
    override: _Entry | None = None
    included: bool = True

    def location(self) -> str:
        return f"{self.source}:{self.line}" if self.line else self.source


@dataclass
class _Shipped:
    title: str
    standard: str
    groups: list[Group]
    drafts: list[_Draft]


class _Report:
    """Collects findings; `problem(code, message, path, line, hint, severity)`."""

    def __init__(self) -> None:
        self.findings: list[Finding] = []

    def problem(
        self,
        code: str,
        message: str,
        path: str,
        line: int | None,
        hint: str | None = None,
        severity: Severity = Severity.ERROR,
    ) -> None:
        self.findings.append(Finding(code, message, path, line, hint, severity))

    def load(self, path: Path, display: str) -> Any:
        """Parse a YAML file; a file that cannot be read or parsed gives findings and None."""
        try:
            return load_yaml(path, display)
        except QMSDataError as error:
            self.findings.extend(error.findings)
            return None


def load_vocabulary(
    glossary_files: Sequence[Path],
    *,
    include_standard: bool = True,
    base: Path | None = None,
) -> tuple[Vocabulary, list[Finding]]:
    """Load the shipped ISO 9000:2015 vocabulary and merge glossary files into it.

    Arguments:
        glossary_files: The organisation's glossary files, in order; a file named later may
            not redefine a term an earlier one defined.
        include_standard: With False, the vocabulary holds only the entries the glossary
            files name; an ISO entry named there still inherits the shipped fields it does not
            replace (a "selection" of the standard's terms).
        base: Name files relative to this folder in findings (the project's root).

    Returns:
        The vocabulary and every finding, sorted. Findings of severity `error` mean the data
        is wrong; the vocabulary then holds what could be used (a clashing entry is left out).
    """
    report = _Report()
    shipped = _load_shipped(report)
    merger = _Merger(shipped, report)
    order = 0
    for path in glossary_files:
        display = str(path)
        if base is not None and path.is_relative_to(base):
            display = path.relative_to(base).as_posix()
        for entry in _read_glossary(path, display, report, first_order=order):
            merger.add(entry)
        order += 100_000  # entries keep their file order across files
    vocabulary = merger.finish(include_standard)
    return vocabulary, sorted(report.findings, key=Finding.sort_key)


# --- reading files ---------------------------------------------------------------------------


def _load_shipped(report: _Report) -> _Shipped:
    name = SHIPPED_SOURCE
    with resources.as_file(resources.files("qmsdocs.vocabulary") / _SHIPPED_FILE) as path:
        data = report.load(path, name)
    shipped = _Shipped(title="", standard=STANDARD, groups=[], drafts=[])
    if not isinstance(data, dict):
        if data is not None:
            report.problem("bad-glossary", "the term list must be a mapping", name, 1)
        return shipped
    problem = Problems(name, report.findings)  # reports into the same list
    _check_fields(data, _SHIPPED_FIELDS, "term list", name, report)
    shipped.title = str(data.get("title", ""))
    shipped.standard = str(data.get("standard", STANDARD))
    shipped.groups = _shipped_groups(data.get("groups"), problem)
    entries = data.get("terms")
    if not isinstance(entries, list):
        problem("bad-glossary", "'terms' must be a list", line_of(data, "terms"))
        return shipped
    names: dict[str, _Draft] = {}
    parsed: list[tuple[_Draft, _Entry]] = []
    group_ids = {group.id for group in shipped.groups}
    for index, raw in enumerate(entries):
        entry = _parse_entry(
            raw, line_of(entries, index), name, index, _SHIPPED_ENTRY_FIELDS, report
        )
        draft = _shipped_draft(entry, index, shipped, group_ids, names, problem)
        if draft is None or entry is None:
            continue
        names.update((normalise_name(n), draft) for n in entry.names)
        parsed.append((draft, entry))
        shipped.drafts.append(draft)
    for draft, entry in parsed:
        for see, line in entry.see or ():
            target = names.get(normalise_name(see))
            if target is None:
                problem("unknown-see", f"{draft.number}: 'see' names an unknown term '{see}'", line)
            elif target is not draft and target.key not in draft.see_keys:
                draft.see_keys.append(target.key)
    return shipped


def _shipped_groups(groups: Any, problem: Problems) -> list[Group]:
    result = []
    for index, raw in enumerate(groups if isinstance(groups, list) else []):
        if not isinstance(raw, dict) or not {"id", "title"} <= raw.keys():
            problem(
                "bad-glossary", "each group needs an 'id' and a 'title'", line_of(groups, index)
            )
            continue
        result.append(Group(str(raw["id"]), str(raw["title"])))
    return result


def _shipped_draft(
    entry: _Entry | None,
    index: int,
    shipped: _Shipped,
    group_ids: set[str],
    names: dict[str, _Draft],
    problem: Problems,
) -> _Draft | None:
    """One ISO 9000 entry of the shipped list, or None (reported) when it cannot be used."""
    if entry is None:
        return None
    number = entry.ref or ""
    if not _SHIPPED_NUMBER_RE.fullmatch(number):
        problem("bad-term-ref", f"{entry.label} needs a 'ref' like \"3.8.6\"", entry.line)
        return None
    group = number.rsplit(".", 1)[0]
    if group not in group_ids:
        problem("bad-term-ref", f"{number}: no group {group} is listed", entry.line)
    if any(d.number == number for d in shipped.drafts):
        problem("duplicate-term", f"{number} is listed twice", entry.line)
        return None
    if entry.term is None or entry.explanation is None:
        problem("missing-field", f"{number} needs a 'term' and an 'explanation'", entry.line)
        return None
    clash = next((names[n] for n in map(normalise_name, entry.names) if n in names), None)
    if clash is not None:
        problem("duplicate-term", f"{number} repeats a name of {clash.number}", entry.line)
        return None
    return _Draft(
        key=slugify(entry.term),
        term=entry.term,
        explanation=entry.explanation,
        source=SHIPPED_SOURCE,
        line=entry.line,
        term_line=entry.line_of("term"),
        order=index,
        origin=Origin.STANDARD,
        number=number,
        standard=shipped.standard,
        group=group,
        admitted=list(entry.admitted or ()),
        forms=list(entry.forms or ()),
        link=entry.link if entry.link is not None else True,
        link_note=entry.link_note,
        shipped_term=entry.term,
    )


def _read_glossary(path: Path, name: str, report: _Report, *, first_order: int) -> list[_Entry]:
    """The entries of one organisation glossary file (a list, or a mapping with `terms`)."""
    data = report.load(path, name)
    if data is None:
        return []
    if isinstance(data, dict):
        _check_fields(data, _GLOSSARY_FIELDS, "glossary", name, report)
        if "terms" not in data:
            report.problem(
                "bad-glossary",
                "a glossary mapping needs a 'terms' list",
                name,
                line_of(data),
                "put the entries under 'terms:', or make the file a plain list of entries",
            )
            return []
        raw_entries = data["terms"]
        if not isinstance(raw_entries, list):
            report.problem(
                "bad-glossary",
                "'terms' must be a list of entries",
                name,
                line_of(data, "terms"),
                "start each entry with '- term: ...'",
            )
            return []
    elif isinstance(data, list):
        raw_entries = data
    else:
        report.problem(
            "bad-glossary",
            f"a glossary must be a list of entries, not {_kind(data)}",
            name,
            line_of(data) or 1,
            "start each entry with '- term: ...', or put the list under 'terms:'",
        )
        return []
    language = "en"
    if isinstance(data, dict) and "language" in data:
        value = data["language"]
        if isinstance(value, str) and _LANGUAGE_RE.fullmatch(value.strip().lower()):
            language = value.strip().lower()
        else:
            report.problem(
                "bad-field",
                f"'language' must be a two-letter language code such as de, not {value!r}",
                name,
                line_of(data, "language"),
            )
    entries = []
    for index, raw in enumerate(raw_entries):
        line = line_of(raw_entries, index)
        entry = _parse_entry(raw, line, name, first_order + index, _ENTRY_FIELDS, report)
        if entry is not None:
            entry.language = language
            entries.append(entry)
    return entries


def _check_fields(
    data: dict[Any, Any], allowed: Sequence[str], what: str, name: str, report: _Report
) -> None:
    for key in data:
        if key not in allowed:
            report.problem(
                "unknown-field",
                f"unknown {what} field '{key}'",
                name,
                line_of(data, key),
                _allowed_hint(str(key), allowed),
                Severity.WARNING,
            )


def _parse_entry(
    raw: Any,
    line: int | None,
    name: str,
    order: int,
    allowed: Sequence[str],
    report: _Report,
) -> _Entry | None:
    """Type-check one entry; wrong fields give findings and count as not given."""
    if not isinstance(raw, dict):
        report.problem(
            "bad-glossary",
            f"each entry must be a mapping with 'term' and 'explanation', not {_kind(raw)}",
            name,
            line,
            "write '- term: ...' and, indented below it, 'explanation: ...'",
        )
        return None
    entry = _Entry(name, line_of(raw) or line, order, raw)

    def problem(code: str, message: str, at: int | None, hint: str | None = None) -> None:
        report.problem(code, message, name, at or entry.line, hint)

    for key in raw:
        if key not in allowed:
            report.problem(
                "unknown-field",
                f"unknown field '{excerpt(key)}' in an entry",
                name,
                line_of(raw, key),
                _allowed_hint(str(key), allowed),
                Severity.WARNING,
            )
    entry.term = _text(entry, "term", problem, name_like=True)
    entry.ref = _text(entry, "ref", problem, name_like=True)
    entry.explanation = _text(entry, "explanation", problem, name_like=False)
    entry.admitted = _names(_texts(entry, "admitted", problem))
    entry.forms = _names(_texts(entry, "forms", problem))
    entry.see = _texts(entry, "see", problem)
    entry.link_note = _text(entry, "link_note", problem, name_like=False)
    link = entry.raw.get("link")
    if isinstance(link, bool):
        entry.link = link
    elif link is not None:
        problem(
            "bad-field",
            f"{entry.label}: 'link' must be true or false, not {_kind(link)}",
            entry.line_of("link"),
        )
    wording = _text(entry, "wording", problem, name_like=True)
    if wording is not None:
        if wording.casefold() in _WORDINGS:
            entry.wording = wording.casefold()
        else:
            problem(
                "bad-field",
                f"{entry.label}: 'wording' must be 'own' or 'official', not '{wording}'",
                entry.line_of("wording"),
            )
    return entry


def _text(entry: _Entry, name: str, problem: _Problem, *, name_like: bool) -> str | None:
    """A text field: None if absent; whitespace is normalised in names.

    A field written with nothing after it (`explanation:`, or `null`) is empty, not absent:
    the author meant to fill it, and dropping the entry without a word would lose it.
    """
    if name not in entry.raw:
        return None
    value = entry.raw[name]
    if value is None:
        value = ""
    if not isinstance(value, str):
        problem(
            "bad-field",
            f"{entry.label}: '{name}' must be text, not {_kind(value)}",
            entry.line_of(name),
            "put the value in quotes" if isinstance(value, int | float | bool) else None,
        )
        return None
    text = " ".join(value.split()) if name_like else value.strip()
    if not text:
        problem("missing-field", f"{entry.label}: '{name}' is empty", entry.line_of(name), None)
        return None
    return text


def _texts(
    entry: _Entry, name: str, problem: _Problem
) -> tuple[tuple[str, int | None], ...] | None:
    """A list-of-texts field, each item with its line; a single text counts as a list of one."""
    value = entry.raw.get(name)
    if value is None:
        return None
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        problem(
            "bad-field",
            f"{entry.label}: '{name}' must be a list of texts, not {_kind(value)}",
            entry.line_of(name),
            f"write {name}: [first, second]",
        )
        return None
    items: list[tuple[str, int | None]] = []
    for index, item in enumerate(value):
        at = line_of(value, index) or entry.line_of(name)
        if not isinstance(item, str) or not item.strip():
            problem(
                "bad-field",
                f"{entry.label}: each item of '{name}' must be a non-empty text, not {_kind(item)}",
                at,
                "put the value in quotes" if isinstance(item, int | float | bool) else None,
            )
            continue
        items.append((" ".join(item.split()), at))
    return tuple(items)


def _names(items: tuple[tuple[str, int | None], ...] | None) -> tuple[str, ...] | None:
    return None if items is None else tuple(text for text, _line in items)


def _kind(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return "a text"
    return type(value).__name__


def _allowed_hint(key: str, allowed: Sequence[str]) -> str:
    close = difflib.get_close_matches(key, allowed, n=1)
    prefix = f"did you mean '{close[0]}'? " if close else ""
    return prefix + "allowed fields: " + ", ".join(allowed)


# --- merging ---------------------------------------------------------------------------------


class _Merger:
    """Applies organisation entries to the shipped drafts, then checks names and references."""

    def __init__(self, shipped: _Shipped, report: _Report) -> None:
        self.shipped = shipped
        self.report = report
        self.by_number = {d.number: d for d in shipped.drafts if d.number}
        # Names as shipped (preferred and admitted): what an organisation entry may override.
        self.shipped_names = {
            normalise_name(n): d for d in shipped.drafts for n in (d.term, *d.admitted)
        }
        self.extensions: list[_Draft] = []

    def problem(
        self, code: str, message: str, entry: _Entry, line: int | None, hint: str | None = None
    ) -> None:
        self.report.problem(code, message, entry.source, line or entry.line, hint)

    def add(self, entry: _Entry) -> None:
        """Merge one organisation entry: override a shipped entry, or extend the vocabulary."""
        found = self._target(entry)
        if found is None:
            return
        target, cited = found
        if target is not None:
            self._override(target, entry)
        else:
            self._extend(entry, cited)

    def _target(self, entry: _Entry) -> tuple[_Draft | None, tuple[str, str] | None] | None:
        """The shipped draft the entry overrides (or None), and the (standard, number) an own
        term cites; None altogether when the entry cannot be placed (findings say why)."""
        cited: tuple[str, str] | None = None
        by_ref: _Draft | None = None
        if entry.ref is not None:
            match = _REF_RE.fullmatch(entry.ref)
            if match is None:
                self.problem(
                    "bad-term-ref",
                    f"{entry.label}: 'ref: {entry.ref}' does not cite a numbered term",
                    entry,
                    entry.line_of("ref"),
                    'write it as "ISO 9000:2015 3.8.6", or as "3.8.6" for ISO 9000:2015',
                )
                return None
            standard = match["std"].strip(" ,")
            number = match["num"]
            if not standard or _ISO9000_RE.fullmatch(standard):
                by_ref = self.by_number.get(number)
                if by_ref is None:
                    self.problem(
                        "unknown-term-ref",
                        f"{entry.label}: {STANDARD} has no term {number}",
                        entry,
                        entry.line_of("ref"),
                        self._ref_hint(entry, number),
                    )
                    return None
                return by_ref, None
            cited = (" ".join(standard.split()), number)
        matches: dict[str, _Draft] = {}
        for name in entry.names:
            draft = self.shipped_names.get(normalise_name(name))
            if draft is not None and draft.number:
                matches[draft.number] = draft
        if len(matches) > 1:
            listed = ", ".join(f"{d.number} '{d.shipped_term}'" for d in matches.values())
            self.problem(
                "ambiguous-override",
                f"{entry.label} names several {STANDARD} entries: {listed}",
                entry,
                entry.line,
                "an entry overrides one ISO term; add 'ref' to say which, and drop the other "
                "names from 'admitted'",
            )
            return None
        if matches:
            (draft,) = matches.values()
            if cited is not None:
                self.problem(
                    "bad-term-ref",
                    f"{entry.label} is the {STANDARD} term {draft.number}, but 'ref' cites "
                    f"{cited[0]} {cited[1]}",
                    entry,
                    entry.line_of("ref"),
                    f"remove 'ref' to override {STANDARD} {draft.number}, or rename the term",
                )
                return None
            return draft, None
        return None, cited

    def _ref_hint(self, entry: _Entry, number: str) -> str:
        for name in entry.names:
            draft = self.shipped_names.get(normalise_name(name))
            if draft is not None:
                return f"'{draft.shipped_term}' is {STANDARD} {draft.number}"
        close = difflib.get_close_matches(number, list(self.by_number), n=1)
        if close:
            return f"did you mean {close[0]} '{self.by_number[close[0]].shipped_term}'?"
        return f"{STANDARD} numbers its terms 3.1.1 to 3.13.17"

    def _override(self, draft: _Draft, entry: _Entry) -> None:
        if draft.override is not None:
            first = draft.override
            self.problem(
                "duplicate-term",
                f"{entry.label}: {STANDARD} {draft.number} '{draft.shipped_term}' is already "
                f"overridden at {first.source}:{first.line}",
                entry,
                entry.line,
                "merge the two entries into one",
            )
            return
        draft.override = entry
        draft.order = entry.order
        if entry.term is not None:
            draft.term = entry.term
            draft.term_line = entry.line_of("term")
        admitted = list(entry.admitted) if entry.admitted is not None else list(draft.admitted)
        # The standard's own term stays recognisable after a rename, so that text written
        # with it still links, and the key (the anchor) stays the shipped one.
        if draft.shipped_term is not None:
            admitted.append(draft.shipped_term)
        preferred = normalise_name(draft.term)
        draft.admitted = _unique(n for n in admitted if normalise_name(n) != preferred)
        if entry.forms is not None:
            draft.forms = list(entry.forms)
        if entry.explanation is not None:
            draft.explanation = entry.explanation
        if entry.see is not None:
            draft.see_names = list(entry.see)
        if entry.link is not None:
            draft.link = entry.link
        if entry.wording == "official":
            if entry.explanation is None:
                self.problem(
                    "missing-field",
                    f"{entry.label}: 'wording: official' needs the official text in 'explanation'",
                    entry,
                    entry.line_of("wording"),
                    "paste the licensed definition, or remove 'wording'",
                )
            else:
                draft.origin = Origin.OFFICIAL
        draft.source = entry.source
        draft.line = entry.line

    def _extend(self, entry: _Entry, cited: tuple[str, str] | None) -> None:
        missing = [name for name in ("term", "explanation") if getattr(entry, name) is None]
        for name in missing:
            if name in entry.raw:
                continue  # present but wrong: already reported by the type check
            hint = (
                "each entry needs 'term:' and 'explanation:'"
                if name == "term"
                else "say in a sentence or two what the term means here"
            )
            self.problem("missing-field", f"{entry.label} has no '{name}'", entry, None, hint)
        if entry.term is None or entry.explanation is None:
            return
        key = slugify(entry.term)
        if not key:
            self.problem(
                "bad-field",
                f"{entry.label}: a term needs at least one letter or digit",
                entry,
                entry.line_of("term"),
            )
            return
        self.extensions.append(
            _Draft(
                key=key,
                term=entry.term,
                explanation=entry.explanation,
                source=entry.source,
                line=entry.line,
                term_line=entry.line_of("term"),
                order=entry.order,
                origin=Origin.OFFICIAL if entry.wording == "official" else Origin.ORGANISATION,
                number=cited[1] if cited else None,
                standard=cited[0] if cited else None,
                admitted=_unique(
                    n
                    for n in entry.admitted or ()
                    if normalise_name(n) != normalise_name(entry.term)
                ),
                forms=list(entry.forms or ()),
                see_names=list(entry.see or ()),
                link=entry.link if entry.link is not None else True,
                language=entry.language,
                override=entry,
            )
        )

    def finish(self, include_standard: bool) -> Vocabulary:
        """Check names across all entries, resolve `see`, and build the vocabulary."""
        for draft in self.shipped.drafts:
            draft.included = include_standard or draft.override is not None
        names: dict[str, _Draft] = {}
        # Every ISO entry in the vocabulary keeps its key, so those are taken before any
        # organisation term can claim the same anchor.
        keys = {d.key: d for d in self.shipped.drafts if d.included}
        for draft in self._in_claiming_order():
            self._claim(draft, names, keys)
        final = [d for d in self.shipped.drafts if d.included]
        final += [d for d in self.extensions if d.included]
        display = {normalise_name(n): n for d in final for n in (d.term, *d.admitted)}
        terms = [self._term(draft, names, keys, display) for draft in final]
        used_groups = {term.group for term in terms}
        groups = [group for group in self.shipped.groups if group.id in used_groups]
        return Vocabulary(terms, groups, title=self.shipped.title)

    def _in_claiming_order(self) -> list[_Draft]:
        """Shipped entries nobody changed first, then the organisation's entries as its files
        list them: of a clashing pair, the later entry is the one reported (and left out)."""
        untouched = [d for d in self.shipped.drafts if d.included and d.override is None]
        declared = sorted(
            [d for d in self.shipped.drafts if d.override is not None] + self.extensions,
            key=lambda d: d.order,
        )
        return untouched + declared

    def _claim(self, draft: _Draft, names: dict[str, _Draft], keys: dict[str, _Draft]) -> None:
        """Register the key and names of a draft, reporting (and dropping) clashes."""
        entry = draft.override
        other = keys.get(draft.key)
        if other is not None and entry is not None and draft.shipped_term is None:
            self.problem(
                "duplicate-term",
                f"'{draft.term}' and '{other.term}' ({other.location()}) would share the "
                f"anchor #{draft.key}",
                entry,
                draft.term_line,
                "use one spelling, and list the other under 'admitted'",
            )
            draft.included = False
            return
        preferred = normalise_name(draft.term)
        other = names.get(preferred)
        if other is not None and entry is not None:
            hint = "rename it, or merge the two entries into one"
            if draft.shipped_term is not None:
                hint = f"keep the {STANDARD} term '{draft.shipped_term}', or choose an unused name"
            self.problem(
                "duplicate-term",
                f"'{draft.term}' is already defined at {other.location()}",
                entry,
                draft.term_line,
                hint,
            )
            if draft.shipped_term is None or normalise_name(draft.shipped_term) in names:
                draft.included = False
                return
            # An override cannot take a name another entry holds: it keeps the standard's term.
            draft.term = draft.shipped_term
            preferred = normalise_name(draft.term)
            draft.admitted = [n for n in draft.admitted if normalise_name(n) != preferred]
        keys[draft.key] = draft
        names[preferred] = draft
        kept = []
        for name in draft.admitted:
            other = names.get(normalise_name(name))
            if other is not None and other is not draft and entry is not None:
                self.problem(
                    "duplicate-term",
                    f"'{draft.term}': the admitted term '{name}' is already defined at "
                    f"{other.location()} ('{other.term}')",
                    entry,
                    entry.line_of("admitted"),
                    "remove it from 'admitted', or merge the two entries into one",
                )
                continue
            names[normalise_name(name)] = draft
            kept.append(name)
        draft.admitted = kept

    def _term(
        self,
        draft: _Draft,
        names: dict[str, _Draft],
        keys: dict[str, _Draft],
        display: dict[str, str],
    ) -> Term:
        if draft.see_names is None:
            see = [key for key in draft.see_keys if key in keys and keys[key].included]
        else:
            see = []
            for name, line in draft.see_names:
                target = names.get(normalise_name(name)) or keys.get(name)
                if target is None or not target.included:
                    self._unknown_see(draft, name, line, display)
                elif target is not draft:
                    see.append(target.key)
        return Term(
            key=draft.key,
            term=draft.term,
            number=draft.number,
            standard=draft.standard,
            group=draft.group,
            admitted=tuple(draft.admitted),
            forms=tuple(_unique(draft.forms)),
            explanation=draft.explanation,
            see=tuple(_unique(see)),
            origin=draft.origin,
            source=draft.source,
            line=draft.line,
            link=draft.link,
            link_note=draft.link_note,
            language=draft.language,
        )

    def _unknown_see(
        self, draft: _Draft, name: str, line: int | None, display: dict[str, str]
    ) -> None:
        shipped = self.shipped_names.get(normalise_name(name))
        if shipped is not None:
            hint = (
                f"'{shipped.shipped_term}' is {STANDARD} {shipped.number}, which this "
                f"glossary does not include: add an entry '- term: {shipped.shipped_term}'"
            )
        else:
            close = difflib.get_close_matches(normalise_name(name), list(display), n=1)
            hint = (
                f"did you mean '{display[close[0]]}'?"
                if close
                else "'see' lists preferred or admitted terms of other entries"
            )
        self.report.problem(
            "unknown-see",
            f"'{draft.term}': 'see' names an unknown term '{name}'",
            draft.source,
            line or draft.line,
            hint,
            Severity.WARNING,
        )


def _unique(names: Any) -> list[str]:
    """The names without repeats (case-insensitively), first spelling kept, order kept."""
    seen: set[str] = set()
    result = []
    for name in names:
        folded = normalise_name(name)
        if folded not in seen:
            seen.add(folded)
            result.append(name)
    return result
